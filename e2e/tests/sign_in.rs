//! Sign-in and sign-out in headless Chromium against devstack, through the
//! real login form, for both flows; and the failures the app must refuse.

use e2e::hosted_ui::{answer_for, param, replace_param, tamper_signature};
use e2e::{Options, Stack};
use serde_json::{json, Value};

#[tokio::test]
async fn code_flow_signs_in_through_the_login_form() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let b = &stack.browser;
    assert_eq!(
        b.current_url().await,
        stack.url("/profile"),
        "no code or state left in the address"
    );
    assert!(
        b.has("[data-testid=claims-id] tr[data-claim='cognito:username']")
            .await
    );
    assert!(
        b.has("[data-testid=claims-access] tr[data-claim=scope]")
            .await
    );
    let tokens = stack
        .stored_tokens("sessionStorage")
        .await
        .expect("tokens in sessionStorage");
    assert_eq!(tokens["flow"], json!("code"));
    assert!(
        tokens["refresh_token"].is_string(),
        "the code flow keeps a refresh token"
    );
    assert_eq!(
        stack.storage("sessionStorage", "cognito-spa.pending").await,
        Value::Null,
        "the sign-in secrets are consumed"
    );
    let history = b.eval("return history.length").await;
    assert!(history.as_i64().unwrap() >= 1);
    stack.close().await;
}

#[tokio::test]
async fn implicit_flow_signs_in_and_checks_at_hash() {
    let stack = Stack::start().await;
    stack.sign_in("implicit").await;
    let b = &stack.browser;
    assert_eq!(
        b.current_url().await,
        stack.url("/profile"),
        "no tokens left in the fragment"
    );
    assert!(
        b.has("[data-testid=verify-id] tr[data-check=at_hash]")
            .await
    );
    let at_hash = b
        .eval("return document.querySelector('[data-testid=verify-id] tr[data-check=at_hash] .badge').textContent")
        .await;
    assert_eq!(at_hash, json!("pass"));
    let tokens = stack
        .stored_tokens("sessionStorage")
        .await
        .expect("tokens stored");
    assert_eq!(tokens["flow"], json!("implicit"));
    assert_eq!(
        tokens["refresh_token"],
        Value::Null,
        "implicit sign-in has no refresh token"
    );
    stack.close().await;
}

#[tokio::test]
async fn idp_error_redirect_is_shown_with_its_code() {
    let stack = Stack::with(Options {
        config: json!({"scopes": ["openid", "admin/everything"]}),
        ..Options::default()
    })
    .await;
    stack.start_sign_in("code").await;
    let text = stack.auth_error().await;
    assert!(text.contains("invalid_scope"), "{text}");
    stack.assert_no_session().await;
    stack.close().await;
}

#[tokio::test]
async fn a_state_that_does_not_match_is_refused_before_any_token_request() {
    let stack = Stack::start().await;
    stack.start_sign_in("code").await;
    let login_url = stack.browser.current_url().await;
    // The tab's own PKCE verifier, read before the callback consumes it.
    stack.browser.client.back().await.unwrap();
    stack.browser.testid("flow").await;
    let pending = stack.storage("sessionStorage", "cognito-spa.pending").await;
    let pending: Value =
        serde_json::from_str(pending.as_str().expect("a pending sign-in")).unwrap();
    let verifier = pending["verifier"].as_str().unwrap().to_owned();

    let answer = answer_for(&login_url, e2e::stack::USER, e2e::stack::PASSWORD).await;
    let query = answer.split_once('?').unwrap().1;
    let forged = replace_param(query, "state", "state-from-another-tab");
    stack
        .browser
        .goto(&stack.url(&format!("/callback?{forged}")))
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("state"), "{text}");
    stack.assert_no_session().await;

    // The app never sent the code to the token endpoint: it still redeems
    // (a used or burnt code would answer invalid_grant).
    let code = param(query, "code").unwrap();
    let (status, body) = stack.redeem_code(&code, &verifier).await;
    assert_eq!(status, 200, "the code was still unused: {}", body["error"]);
    assert!(body["id_token"].is_string());
    stack.close().await;
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let stack = Stack::start().await;
    stack.start_sign_in("implicit").await;
    let login_url = stack.browser.current_url().await;
    let answer = answer_for(&login_url, e2e::stack::USER, e2e::stack::PASSWORD).await;
    let fragment = answer.split_once('#').unwrap().1;
    let id_token = param(fragment, "id_token").unwrap();
    let tampered = replace_param(fragment, "id_token", &tamper_signature(&id_token));
    stack
        .browser
        .goto(&stack.url(&format!("/callback#{tampered}")))
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("signature"), "{text}");
    stack.assert_no_session().await;
    stack.close().await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    // devstack's clock runs two hours behind: its tokens expired an hour ago.
    let stack = Stack::with(Options {
        clock: Some(devstack::Clock::from_fn(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64
                - 7200
        })),
        ..Options::default()
    })
    .await;
    stack.start_sign_in("code").await;
    stack
        .submit_login_form(e2e::stack::USER, e2e::stack::PASSWORD)
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("expired"), "{text}");
    stack.assert_no_session().await;
    stack.close().await;
}

#[tokio::test]
async fn a_failed_callback_leaves_the_existing_session_untouched() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let before = stack.stored_tokens("sessionStorage").await;
    stack
        .browser
        .goto(&stack.url("/callback?code=replayed&state=old"))
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("state"), "{text}");
    assert_eq!(stack.stored_tokens("sessionStorage").await, before);
    assert!(
        stack.browser.has("[data-testid=user]").await,
        "still signed in"
    );
    stack.close().await;
}

#[tokio::test]
async fn reload_keeps_the_session() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    stack.browser.client.refresh().await.unwrap();
    stack.wait_signed_in().await;
    stack.close().await;
}

/// Signs in on a pool with or without refresh-token rotation, clicks
/// `refresh`, and returns the refresh result's text with the stored token
/// set before and after.
async fn refresh_once(rotation: bool) -> (Stack, String, Value, Value) {
    let stack = Stack::with(Options {
        seed: if rotation {
            |seed| seed.client.refresh_rotation = true
        } else {
            |seed| seed.client.refresh_rotation = false
        },
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let before = stack.stored_tokens("sessionStorage").await.unwrap();
    stack.browser.testid("refresh").await.click().await.unwrap();
    let result = stack.browser.testid_text("refresh-result").await;
    let after = stack.stored_tokens("sessionStorage").await.unwrap();
    (stack, result, before, after)
}

#[tokio::test]
async fn refresh_replaces_the_access_token_and_keeps_the_refresh_token() {
    // The built-in seed rotates refresh tokens; this is the unrotated path.
    let (stack, result, before, after) = refresh_once(false).await;
    assert!(result.contains("No new refresh token came"), "{result}");
    assert_ne!(after["access_token"], before["access_token"]);
    assert_eq!(
        after["refresh_token"], before["refresh_token"],
        "rotation off: the old refresh token stays"
    );
    stack.wait_signed_in().await;
    stack.close().await;
}

#[tokio::test]
async fn refresh_with_rotation_takes_the_new_refresh_token() {
    let (stack, result, before, after) = refresh_once(true).await;
    assert!(result.contains("A new refresh token came"), "{result}");
    assert_ne!(after["refresh_token"], before["refresh_token"]);
    stack.close().await;
}

#[tokio::test]
async fn an_unknown_kid_after_key_rotation_refetches_the_key_set() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let old_kid = stack
        .browser
        .eval("return document.querySelector('[data-testid=verify-access] tr[data-check=kid] td:last-child').textContent")
        .await;
    stack.devstack.rotate_keys();
    stack.browser.testid("refresh").await.click().await.unwrap();
    stack.browser.testid("refresh-result").await;
    stack.wait_signed_in().await;
    let new_kid = stack
        .browser
        .eval("return document.querySelector('[data-testid=verify-access] tr[data-check=kid] td:last-child').textContent")
        .await;
    assert_ne!(
        old_kid, new_kid,
        "the new token is signed by the new key, which the app fetched"
    );
    stack.close().await;
}

#[tokio::test]
async fn an_expired_session_is_refreshed_on_reload() {
    let stack = Stack::with(Options {
        seed: |seed| {
            seed.tokens.id_seconds = 3;
            seed.tokens.access_seconds = 3;
        },
        config: json!({"clockSkewSeconds": 0}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let before = stack.stored_tokens("sessionStorage").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    stack.browser.client.refresh().await.unwrap();
    stack.wait_signed_in().await;
    let after = stack.stored_tokens("sessionStorage").await.unwrap();
    assert_ne!(
        after["access_token"], before["access_token"],
        "the expired tokens were replaced"
    );
    stack.close().await;
}

#[tokio::test]
async fn an_expired_implicit_session_signs_out_with_a_message() {
    let stack = Stack::with(Options {
        seed: |seed| {
            seed.tokens.id_seconds = 2;
            seed.tokens.access_seconds = 2;
        },
        config: json!({"clockSkewSeconds": 0}),
        ..Options::default()
    })
    .await;
    stack.sign_in("implicit").await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    stack.browser.goto(&stack.url("/")).await;
    let notice = stack.browser.testid_text("session-notice").await;
    assert!(notice.contains("expired"), "{notice}");
    stack.assert_no_session().await;
    stack.close().await;
}

#[tokio::test]
async fn sign_out_clears_storage_and_ends_the_hosted_ui_session() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    stack.browser.testid("logout").await.click().await.unwrap();
    let notice = stack.browser.testid_text("session-notice").await;
    assert!(
        notice.contains("signed out") && notice.contains("revoked"),
        "{notice}"
    );
    assert_eq!(
        stack.browser.current_url().await,
        stack.url("/"),
        "back from the hosted UI's /logout"
    );
    stack.assert_no_session().await;
    // The hosted UI forgot us: the next sign-in shows the form again.
    stack.start_sign_in("code").await;
    stack.browser.css("input#password").await;
    stack.close().await;
}

#[tokio::test]
async fn a_second_sign_in_reuses_the_hosted_ui_session() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    stack.browser.testid("forget").await.click().await.unwrap();
    let notice = stack.browser.testid_text("session-notice").await;
    assert!(notice.contains("hosted UI still remembers you"), "{notice}");
    stack.assert_no_session().await;
    stack.browser.goto(&stack.url("/")).await;
    stack.start_sign_in("code").await;
    // No form this time: straight back, signed in.
    stack.wait_signed_in().await;
    stack.close().await;
}

#[tokio::test]
async fn profile_without_a_session_signs_in_and_comes_back() {
    let stack = Stack::start().await;
    stack.browser.goto(&stack.url("/profile")).await;
    stack
        .submit_login_form(e2e::stack::USER, e2e::stack::PASSWORD)
        .await;
    stack.wait_signed_in().await;
    assert_eq!(stack.browser.current_url().await, stack.url("/profile"));
    stack.close().await;
}

#[tokio::test]
async fn memory_storage_ends_the_session_on_reload() {
    let stack = Stack::with(Options {
        config: json!({"tokenStorage": "memory"}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    assert_eq!(stack.stored_tokens("sessionStorage").await, None);
    assert_eq!(stack.stored_tokens("localStorage").await, None);
    stack.browser.goto(&stack.url("/")).await;
    stack.browser.testid("login").await;
    assert!(!stack.browser.has("[data-testid=user]").await);
    stack.close().await;
}

#[tokio::test]
async fn local_storage_shares_sign_out_across_tabs() {
    let stack = Stack::with(Options {
        config: json!({"tokenStorage": "local"}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    assert!(stack.stored_tokens("localStorage").await.is_some());
    let c = &stack.browser.client;
    let first = c.window().await.unwrap();
    let second = c.new_window(true).await.unwrap();
    c.switch_to_window(second.handle).await.unwrap();
    stack.browser.goto(&stack.url("/")).await;
    stack.wait_signed_in_on_home().await;
    stack.browser.testid("forget").await.click().await.unwrap();
    c.switch_to_window(first).await.unwrap();
    let notice = stack.browser.testid_text("session-notice").await;
    assert!(notice.contains("signed out in another tab"), "{notice}");
    assert!(!stack.browser.has("[data-testid=user]").await);
    stack.close().await;
}
