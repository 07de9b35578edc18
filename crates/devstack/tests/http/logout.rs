use crate::common::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_clears_the_session_and_redirects_to_the_sign_out_url() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    s.code_for(&[], "demo").await;
    // Session active: authorize skips the form.
    let res = s
        .get(&format!("/oauth2/authorize?{}", s.authorize_query(&[])))
        .await;
    assert!(location(&res).starts_with(CALLBACK));

    let res = s
        .get(&format!(
            "/logout?{}",
            query(&[
                ("client_id", &client_id),
                ("logout_uri", "http://localhost:8080/")
            ])
        ))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "http://localhost:8080/");
    assert!(set_cookies(res.headers())
        .iter()
        .any(|c| c.starts_with("cognito=;") && c.contains("Max-Age=0")));
    // Signed out: back to the form.
    let res = s
        .get(&format!("/oauth2/authorize?{}", s.authorize_query(&[])))
        .await;
    assert!(location(&res).starts_with("/login?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_sign_in_again_variant() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    s.code_for(&[], "demo").await;
    let q = query(&[
        ("client_id", &client_id),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "again"),
    ]);
    let res = s.get(&format!("/logout?{q}")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/login?{q}"));
    assert!(set_cookies(res.headers())
        .iter()
        .any(|c| c.starts_with("cognito=;")));
    let res = s
        .get(&format!("/oauth2/authorize?{}", s.authorize_query(&[])))
        .await;
    assert!(location(&res).starts_with("/login?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_mismatches_are_html_errors() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    for q in [
        query(&[
            ("client_id", &client_id),
            ("logout_uri", "http://localhost:8080"),
        ]),
        query(&[
            ("client_id", &client_id),
            ("logout_uri", "https://evil.example/"),
        ]),
        query(&[
            ("client_id", "other"),
            ("logout_uri", "http://localhost:8080/"),
        ]),
        query(&[("logout_uri", "http://localhost:8080/")]),
        query(&[("client_id", &client_id)]),
        query(&[
            ("client_id", &client_id),
            ("redirect_uri", "http://evil.example/cb"),
            ("response_type", "code"),
        ]),
        String::new(),
    ] {
        let res = s.get(&format!("/logout?{q}")).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
        assert!(res.headers().get("location").is_none());
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
}
