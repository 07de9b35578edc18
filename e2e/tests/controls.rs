//! devstack's `/_devstack` page driven in headless Chromium, and the app
//! reacting without a restart: expired tokens explained by the `/book`
//! console, a key rotation picked up by refetching the key set, a gateway
//! without CORS on its errors shown as a network error, new groups in the
//! refreshed tokens, a global sign-out refusing the refresh token, and one
//! failed token request.

use std::time::Instant;

use e2e::{Options, Stack};
use serde_json::json;

/// Opens devstack's controls page in the app's tab, clicks `button` (a CSS
/// selector) and waits until the page shows the new state; then goes
/// back to the app's `/profile`, signed in from the stored session.
async fn press(stack: &Stack, button: &str) {
    press_after(stack, "", button).await;
    stack.browser.goto(&stack.url("/profile")).await;
    stack.wait_signed_in().await;
}

/// [`press`] after running `prepare` (JavaScript that fills the page's
/// inputs) on the controls page; then back to the app's home page, which,
/// unlike `/profile`, stays put when the session ends.
async fn press_on_home(stack: &Stack, prepare: &str, button: &str) {
    press_after(stack, prepare, button).await;
    stack.browser.goto(&stack.url("/")).await;
    stack.wait_signed_in_on_home().await;
}

async fn press_after(stack: &Stack, prepare: &str, button: &str) {
    let b = &stack.browser;
    b.goto(&format!("{}/_devstack", stack.devstack.hosted_ui_url()))
        .await;
    let state = || async {
        b.eval("return document.getElementById('state').textContent")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let deadline = Instant::now() + e2e::browser::WAIT;
    let before = loop {
        let text = state().await;
        if text.starts_with('{') {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the controls page shows no state"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    if !prepare.is_empty() {
        b.eval(&format!("{prepare}; return null")).await;
    }
    b.css(button)
        .await
        .click()
        .await
        .expect("click the control");
    loop {
        let error = b
            .eval("return document.getElementById('error').textContent")
            .await;
        assert_eq!(error, json!(""), "the control was refused");
        if state().await != before {
            break;
        }
        assert!(Instant::now() < deadline, "{button} changed nothing");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Clicks `refresh` on the home page and returns the text the app shows
/// for it: the refresh result, or the notice of a session that ended.
async fn refresh_on_home(stack: &Stack) -> String {
    let b = &stack.browser;
    b.testid("refresh")
        .await
        .click()
        .await
        .expect("click refresh");
    let deadline = Instant::now() + e2e::browser::WAIT;
    loop {
        for hook in ["refresh-result", "session-notice"] {
            if b.has(&format!("[data-testid={hook}]")).await {
                return b.testid_text(hook).await;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the refresh showed nothing:\n{}",
            b.body_text().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The ID token's `cognito:groups` row on `/profile`.
async fn groups_row(stack: &Stack) -> String {
    stack.browser.goto(&stack.url("/profile")).await;
    stack.wait_signed_in().await;
    stack
        .browser
        .css("[data-testid=claims-id] tr[data-claim='cognito:groups']")
        .await
        .text()
        .await
        .unwrap_or_default()
}

/// Clicks `call-book` with `token` and returns the status and explanation
/// once the status shows.
async fn call_book(stack: &Stack, token: &str) -> (String, String) {
    let b = &stack.browser;
    b.testid("book-token").await;
    b.eval(&format!(
        "const s = document.querySelector('[data-testid=book-token]'); s.value = '{token}'; s.dispatchEvent(new Event('change')); return null"
    ))
    .await;
    let rows = || async {
        b.eval("return document.querySelectorAll('[data-testid=book-history] tbody tr').length")
            .await
            .as_u64()
            .unwrap_or(0)
    };
    let before = rows().await;
    b.testid("call-book").await.click().await.unwrap();
    // The history keeps five calls: at five, a new one shows in place.
    let deadline = Instant::now() + e2e::browser::WAIT;
    while rows().await <= before && before < 5 {
        assert!(Instant::now() < deadline, "the call got no answer");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let status = b.testid_text("book-status").await;
    let explanation = b.testid_text("book-explanation").await;
    (status, explanation)
}

#[tokio::test]
async fn expire_shows_as_expired_tokens_at_the_api() {
    let stack = Stack::with(Options {
        // The control moves devstack's clock a token lifetime (61 s) on;
        // the app's leeway keeps the next tokens' iat acceptable.
        seed: |seed| {
            seed.tokens.id_seconds = 60;
            seed.tokens.access_seconds = 60;
        },
        config: json!({"clockSkewSeconds": 300}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    assert_eq!(call_book(&stack, "id").await.0, "200");
    press(&stack, "[data-control=expire-tokens]").await;
    let (status, explanation) = call_book(&stack, "id").await;
    assert_eq!(status, "401");
    assert!(explanation.contains("has expired"), "{explanation}");
    stack.close().await;
}

#[tokio::test]
async fn after_a_rotation_new_tokens_verify_with_the_refetched_keys() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let kid = || async {
        stack
            .browser
            .eval("return document.querySelector('[data-testid=verify-id] tr[data-check=kid] td:last-child').textContent")
            .await
    };
    let old_kid = kid().await;
    press(&stack, "[data-control=rotate-keys]").await;
    stack.browser.testid("refresh").await.click().await.unwrap();
    stack.browser.testid("refresh-result").await;
    stack.wait_signed_in().await;
    assert_ne!(kid().await, old_kid, "signed with the new key, fetched");
    stack.close().await;
}

#[tokio::test]
async fn cors_off_turns_a_gateway_401_into_a_network_error() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    // The Cognito authorizer without scopes refuses the access token.
    assert_eq!(call_book(&stack, "access").await.0, "401");
    press(
        &stack,
        "[data-control=gateway-cors][data-body='{\"enabled\":false}']",
    )
    .await;
    let (status, explanation) = call_book(&stack, "access").await;
    assert_eq!(status, "network-error");
    assert!(
        explanation.contains("without CORS headers"),
        "{explanation}"
    );
    stack.close().await;
}

#[tokio::test]
async fn new_groups_come_with_the_next_refresh() {
    let stack = Stack::with(Options {
        seed: |seed| seed.user_pool.groups.push("editors".into()),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let before = groups_row(&stack).await;
    assert!(before.contains("readers"), "{before}");
    assert!(!before.contains("editors"), "{before}");
    press_on_home(
        &stack,
        "document.getElementById('username').value = 'demo'; document.getElementById('groups').value = 'editors, readers'",
        "#set-groups",
    )
    .await;
    // The tokens in hand keep the old groups until the refresh.
    let refreshed = refresh_on_home(&stack).await;
    assert!(refreshed.starts_with("Refreshed"), "{refreshed}");
    let after = groups_row(&stack).await;
    assert!(
        after.contains("editors") && after.contains("readers"),
        "{after}"
    );
    stack.close().await;
}

/// Signs in, presses the control, refreshes on the home page, and checks
/// that the refresh failed and ended the session; returns what it said.
async fn refresh_refused_after(stack: &Stack, prepare: &str, button: &str) -> String {
    stack.sign_in("code").await;
    press_on_home(stack, prepare, button).await;
    let shown = refresh_on_home(stack).await;
    assert!(shown.contains("could not be refreshed"), "{shown}");
    stack.assert_no_session().await;
    shown
}

#[tokio::test]
async fn a_global_sign_out_makes_the_refresh_token_useless() {
    let stack = Stack::start().await;
    let shown = refresh_refused_after(
        &stack,
        "document.getElementById('username').value = 'demo'",
        "#sign-out",
    )
    .await;
    assert!(shown.contains("invalid_grant"), "{shown}");
    stack.close().await;
}

#[tokio::test]
async fn an_armed_fault_fails_only_the_next_token_request() {
    let stack = Stack::start().await;
    let shown = refresh_refused_after(
        &stack,
        "document.getElementById('fault').value = '503'",
        "#fail-next",
    )
    .await;
    assert!(
        shown.contains("server_error"),
        "the endpoint's error is named: {shown}"
    );
    // The fault was for one request: signing in again works (the hosted
    // UI's cookie skips its form, so the code exchange is the next request).
    stack.start_sign_in("code").await;
    stack.wait_signed_in().await;
    stack.close().await;
}
