//! Checks a running `cargo xtask demo` the way a person uses it: open the
//! app, sign in through devstack's hosted UI as the demo user, and see both
//! tokens verified and `/book` answered. It needs the demo already running,
//! so it is ignored by `cargo test`; run it with
//! `cargo test -p e2e --test demo -- --ignored` (`DEMO_URL` overrides
//! `http://127.0.0.1:8080/`).

use e2e::stack::{PASSWORD, USER};
use e2e::Browser;

#[tokio::test]
#[ignore = "needs `cargo xtask demo` running: cargo test -p e2e --test demo -- --ignored"]
async fn the_running_demo_signs_in_and_calls_book() {
    let app = std::env::var("DEMO_URL").unwrap_or_else(|_| "http://127.0.0.1:8080/".to_owned());
    let b = Browser::start().await;
    b.goto(&app).await;
    b.testid("login").await.click().await.expect("click login");
    b.submit_login_form(USER, PASSWORD).await;
    b.css("[data-testid=verify-id][data-status=valid]").await;
    b.css("[data-testid=verify-access][data-status=valid]")
        .await;
    let user = b.testid_text("user").await;
    assert!(user.contains(USER), "the nav names the user: {user:?}");

    b.testid("call-book")
        .await
        .click()
        .await
        .expect("click call-book");
    let status = b.testid_text("book-status").await;
    assert_eq!(status.trim(), "200", "the demo user may read the book");
    b.close().await;
}
