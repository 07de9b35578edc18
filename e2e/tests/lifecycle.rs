//! The session's life after sign-in, in headless Chromium against devstack:
//! sign-out racing a refresh (in one tab and across tabs), a revoke that
//! hangs, one refresh for all tabs sharing localStorage, refresh-token
//! rotation, the key-set refetch after a key rotation, and an IdP error that
//! belongs to no sign-in of this tab.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use e2e::network::{hang, hold_answers, release, wait_for_calls};
use e2e::{Options, Stack};
use serde_json::{json, Value};

const TOKEN: &str = "/oauth2/token";
const REVOKE: &str = "/oauth2/revoke";

/// Waits until `check` holds, failing with `what` after a while.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn refresh_token(stack: &Stack, area: &str) -> Option<String> {
    stack
        .stored_tokens(area)
        .await
        .and_then(|t| t["refresh_token"].as_str().map(str::to_owned))
}

/// `grant_type=refresh_token` at devstack's token endpoint, outside the
/// browser; returns the status and the JSON answer.
async fn redeem_refresh(stack: &Stack, token: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth2/token", stack.devstack.hosted_ui_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", &stack.devstack.client_id()),
            ("refresh_token", token),
        ])
        .send()
        .await
        .expect("POST /oauth2/token");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn session_notice(stack: &Stack) -> String {
    stack.browser.testid_text("session-notice").await
}

fn local_storage() -> Options {
    Options {
        config: json!({"tokenStorage": "local"}),
        ..Options::default()
    }
}

// ------------------------------------------------------------ sign-out

#[tokio::test]
async fn sign_out_while_a_refresh_is_in_flight_stays_signed_out() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let b = &stack.browser;
    hold_answers(b, TOKEN).await;
    hold_answers(b, REVOKE).await;
    b.testid("refresh").await.click().await.unwrap();
    wait_for_calls(b, TOKEN, 1).await;
    b.testid("logout").await.click().await.unwrap();
    wait_for_calls(b, REVOKE, 1).await;
    assert!(
        stack.stored_tokens("sessionStorage").await.is_none(),
        "the stored session is forgotten before the revoke answers"
    );
    // The refresh answers now, with valid new tokens: they are dropped.
    release(b, TOKEN).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        stack.stored_tokens("sessionStorage").await.is_none(),
        "a refresh that answers during sign-out writes nothing back"
    );
    release(b, REVOKE).await;
    let notice = session_notice(&stack).await;
    assert!(notice.contains("signed out"), "{notice}");
    assert_eq!(b.current_url().await, stack.url("/"));
    stack.assert_no_session().await;
    stack.close().await;
}

#[tokio::test]
async fn a_revoke_that_hangs_does_not_keep_the_tokens() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let b = &stack.browser;
    hang(b, REVOKE).await;
    b.testid("logout").await.click().await.unwrap();
    wait_for_calls(b, REVOKE, 1).await;
    assert!(
        stack.stored_tokens("sessionStorage").await.is_none(),
        "sign-out forgets the tokens before it revokes"
    );
    // Within the app's time limit sign-out goes on to /logout and back.
    let notice = session_notice(&stack).await;
    assert!(
        notice.contains("signed out") && notice.contains("did not answer"),
        "{notice}"
    );
    assert_eq!(b.current_url().await, stack.url("/"));
    stack.assert_no_session().await;
    // The hosted UI session ended too: the next sign-in shows the form.
    stack.start_sign_in("code").await;
    b.css("input#password").await;
    stack.close().await;
}

#[tokio::test]
async fn sign_out_in_one_tab_while_another_refreshes_signs_both_out() {
    let stack = Stack::with(local_storage()).await;
    stack.sign_in("code").await;
    let c = &stack.browser.client;
    let first = c.window().await.unwrap();
    let second = c.new_window(true).await.unwrap().handle;
    c.switch_to_window(second.clone()).await.unwrap();
    stack.browser.goto(&stack.url("/")).await;
    stack.wait_signed_in_on_home().await;
    // The second tab's refresh is answered by the pool but not yet seen.
    hold_answers(&stack.browser, TOKEN).await;
    stack.browser.testid("refresh").await.click().await.unwrap();
    wait_for_calls(&stack.browser, TOKEN, 1).await;

    c.switch_to_window(first.clone()).await.unwrap();
    stack.browser.testid("logout").await.click().await.unwrap();
    let notice = session_notice(&stack).await;
    assert!(notice.contains("signed out"), "{notice}");

    c.switch_to_window(second).await.unwrap();
    release(&stack.browser, TOKEN).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        !stack.browser.has("[data-testid=user]").await,
        "the refreshing tab is signed out too"
    );
    assert!(
        stack.stored_tokens("localStorage").await.is_none(),
        "the late refresh wrote nothing back"
    );

    c.switch_to_window(first).await.unwrap();
    stack.browser.goto(&stack.url("/")).await;
    stack.browser.testid("login").await;
    stack.assert_no_session().await;
    stack.close().await;
}

// ------------------------------------------------------------- refresh

#[tokio::test]
async fn tabs_sharing_storage_refresh_once_and_share_the_result() {
    tabs_refresh_once(true).await;
}

#[tokio::test]
async fn without_web_locks_a_storage_lease_keeps_refresh_single_flight() {
    tabs_refresh_once(false).await;
}

/// Hides the Web Locks API from this page, as in browsers without it.
async fn hide_web_locks(stack: &Stack) {
    stack
        .browser
        .eval("Object.defineProperty(navigator, 'locks', {value: undefined, configurable: true}); return null")
        .await;
}

/// Two tabs share localStorage, rotation has no grace period: the second
/// tab's refresh waits for the first one's and takes its result.
async fn tabs_refresh_once(web_locks: bool) {
    let stack = Stack::with(Options {
        // Rotation without a grace period: a refresh token works once.
        seed: |seed| {
            seed.client.refresh_rotation = true;
            seed.client.refresh_rotation_grace_seconds = 0;
        },
        ..local_storage()
    })
    .await;
    stack.sign_in("code").await;
    let before = refresh_token(&stack, "localStorage").await.unwrap();
    let c = &stack.browser.client;
    let first = c.window().await.unwrap();
    let second = c.new_window(true).await.unwrap().handle;
    c.switch_to_window(second.clone()).await.unwrap();
    stack.browser.goto(&stack.url("/")).await;
    stack.wait_signed_in_on_home().await;
    hold_answers(&stack.browser, TOKEN).await;
    if !web_locks {
        hide_web_locks(&stack).await;
    }

    c.switch_to_window(first.clone()).await.unwrap();
    hold_answers(&stack.browser, TOKEN).await;
    if !web_locks {
        hide_web_locks(&stack).await;
    }
    stack.browser.testid("refresh").await.click().await.unwrap();
    wait_for_calls(&stack.browser, TOKEN, 1).await;
    if !web_locks {
        assert!(
            stack
                .storage("localStorage", "cognito-spa.refresh.lease")
                .await
                .is_string(),
            "the refreshing tab holds the lease"
        );
    }
    // The pool has rotated the token; the old one is dead a second later.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    c.switch_to_window(second.clone()).await.unwrap();
    release(&stack.browser, TOKEN).await;
    stack.browser.testid("refresh").await.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    c.switch_to_window(first.clone()).await.unwrap();
    release(&stack.browser, TOKEN).await;
    let result = stack.browser.testid_text("refresh-result").await;
    assert!(result.contains("A new refresh token came"), "{result}");
    let after = refresh_token(&stack, "localStorage").await.unwrap();
    assert!(after != before, "the first tab stored the rotated token");

    c.switch_to_window(second).await.unwrap();
    let result = stack.browser.testid_text("refresh-result").await;
    assert!(result.starts_with("Refreshed"), "{result}");
    stack.wait_signed_in_on_home().await;
    assert_eq!(
        e2e::network::calls(&stack.browser, TOKEN).await,
        0,
        "the second tab took the first one's result instead of refreshing"
    );
    assert!(
        refresh_token(&stack, "localStorage").await.as_deref() == Some(after.as_str()),
        "both tabs keep the one rotated token"
    );

    c.switch_to_window(first).await.unwrap();
    stack.wait_signed_in_on_home().await;
    assert_eq!(
        stack
            .storage("localStorage", "cognito-spa.refresh.lease")
            .await,
        Value::Null,
        "no lease is left behind"
    );
    stack.close().await;
}

#[tokio::test]
async fn rotation_keeps_each_new_refresh_token_and_the_old_ones_die() {
    assert!(
        devstack::Seed::builtin().client.refresh_rotation,
        "the built-in seed rotates refresh tokens"
    );
    let clock = devstack::ManualClock::starting_now();
    let stack = Stack::with(Options {
        clock: Some(clock.clock()),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let b = &stack.browser;
    let mut seen = vec![refresh_token(&stack, "sessionStorage").await.unwrap()];
    for _ in 0..2 {
        let last = seen.last().unwrap().clone();
        b.testid("refresh").await.click().await.unwrap();
        eventually("the rotated refresh token is stored", || async {
            refresh_token(&stack, "sessionStorage")
                .await
                .is_some_and(|t| t != last)
        })
        .await;
        let result = b.testid_text("refresh-result").await;
        assert!(result.contains("A new refresh token came"), "{result}");
        seen.push(refresh_token(&stack, "sessionStorage").await.unwrap());
    }
    stack.wait_signed_in().await;
    // Past the grace period only the newest refresh token works.
    clock.advance(61);
    for old in &seen[..2] {
        let (status, body) = redeem_refresh(&stack, old).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant"))
        );
    }
    let (status, _) = redeem_refresh(&stack, &seen[2]).await;
    assert_eq!(status, 200, "the app's current refresh token still works");
    stack.close().await;
}

/// A key set served with a long `Cache-Control: max-age`, as CDNs and
/// Cognito's own endpoint may; counts the requests that reach it.
struct CachedKeySet {
    origin: String,
    body: Arc<RwLock<String>>,
    hits: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl CachedKeySet {
    async fn start() -> CachedKeySet {
        type Shared = (Arc<RwLock<String>>, Arc<AtomicUsize>);
        async fn answer(State((body, hits)): State<Shared>) -> Response {
            hits.fetch_add(1, Ordering::SeqCst);
            let text = body.read().unwrap().clone();
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                ],
                text,
            )
                .into_response()
        }
        let body = Arc::new(RwLock::new(String::new()));
        let hits = Arc::new(AtomicUsize::new(0));
        let app = axum::Router::new()
            .fallback(answer)
            .with_state((body.clone(), hits.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        CachedKeySet {
            origin,
            body,
            hits,
            task,
        }
    }

    fn url(&self) -> String {
        format!("{}/jwks.json", self.origin)
    }

    async fn publish(&self, stack: &Stack) {
        let published = reqwest::get(stack.devstack.jwks_url())
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        *self.body.write().unwrap() = published;
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for CachedKeySet {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test]
async fn the_key_set_refetch_after_an_unknown_kid_bypasses_the_http_cache() {
    let keys = CachedKeySet::start().await;
    let stack = Stack::with(Options {
        config: json!({"jwksUri": keys.url()}),
        ..Options::default()
    })
    .await;
    keys.publish(&stack).await;
    stack.sign_in("code").await;
    let fetched = keys.hits();
    assert!(fetched >= 1);
    stack.devstack.rotate_keys();
    keys.publish(&stack).await;
    stack.browser.testid("refresh").await.click().await.unwrap();
    eventually("the refetch reaches the key set's server", || async {
        keys.hits() > fetched
    })
    .await;
    let result = stack.browser.testid_text("refresh-result").await;
    assert!(result.starts_with("Refreshed"), "{result}");
    stack.wait_signed_in().await;
    stack.close().await;
}

// ------------------------------------------------------------ callback

#[tokio::test]
async fn an_idp_error_for_no_sign_in_of_this_tab_shows_none_of_its_text() {
    let stack = Stack::start().await;
    let spoof = "error=access_denied&error_description=Your+account+is+locked.+Call+%2B1-555-0100";
    // No sign-in pending in this tab.
    stack
        .browser
        .goto(&stack.url(&format!("/callback?{spoof}&state=forged")))
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("state"), "{text}");
    assert!(!text.contains("Call") && !text.contains("locked"), "{text}");
    stack.assert_no_session().await;

    // A sign-in pending, but the answer carries another state (or none).
    for state in ["&state=forged", ""] {
        stack.browser.goto(&stack.url("/")).await;
        stack.start_sign_in("code").await;
        stack.browser.css("input#password").await;
        stack
            .browser
            .goto(&stack.url(&format!("/callback?{spoof}{state}")))
            .await;
        let text = stack.auth_error().await;
        assert!(text.starts_with("state"), "{text}");
        assert!(!text.contains("Call") && !text.contains("locked"), "{text}");
        stack.assert_no_session().await;
    }
    stack.close().await;
}
