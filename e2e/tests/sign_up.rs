//! Sign-up as a person does it: from the app's sign-in, the hosted UI's
//! "Sign up" link, the code read from devstack's outbox, a wrong code
//! refused, the right one confirmed, and the new user signed in on the app
//! with both tokens verified; and the same from the app's own `signup` link.

use e2e::Stack;
use serde_json::Value;

const NEW_USER: &str = "newreader";
const NEW_PASSWORD: &str = "N3w-reader!pass";

/// The newest code the outbox holds for `username`.
async fn code_for(stack: &Stack, username: &str) -> String {
    let outbox: Value = reqwest::get(format!(
        "{}/_devstack/outbox",
        stack.devstack.hosted_ui_url()
    ))
    .await
    .expect("GET /_devstack/outbox")
    .json()
    .await
    .expect("the outbox is JSON");
    outbox["messages"]
        .as_array()
        .expect("a messages array")
        .iter()
        .rev()
        .find(|m| m["username"] == username)
        .and_then(|m| m["code"].as_str())
        .unwrap_or_else(|| panic!("no code for {username} in {outbox}"))
        .to_owned()
}

async fn type_into(stack: &Stack, selector: &str, text: &str) {
    stack
        .browser
        .css(selector)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
}

async fn submit(stack: &Stack) {
    stack
        .browser
        .css("button[type=submit]")
        .await
        .click()
        .await
        .expect("submit the form");
}

/// Fills and sends the hosted UI's sign-up form for the new user, then
/// waits for the page that asks for the code.
async fn sign_up_form(stack: &Stack) {
    type_into(stack, "input#username", NEW_USER).await;
    type_into(stack, "input#email", "newreader@example.com").await;
    type_into(stack, "input#password", NEW_PASSWORD).await;
    submit(stack).await;
    stack.browser.css("input#code").await;
}

/// Sends `code`, then waits until the app shows the new user signed in
/// with both tokens verified.
async fn confirm_and_land_signed_in(stack: &Stack, code: &str) {
    let b = &stack.browser;
    type_into(stack, "input#code", code).await;
    submit(stack).await;
    b.css("[data-testid=verify-id][data-status=valid]").await;
    b.css("[data-testid=verify-access][data-status=valid]")
        .await;
    let user = b.testid_text("user").await;
    assert!(
        user.contains(NEW_USER),
        "the nav names the new user: {user:?}"
    );
}

#[tokio::test]
async fn a_new_user_signs_up_confirms_with_the_outbox_code_and_lands_signed_in() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    stack.start_sign_in("code").await;
    b.css("a#sign-up")
        .await
        .click()
        .await
        .expect("click Sign up");

    sign_up_form(&stack).await;

    // The code page; a wrong code is refused and the page stays.
    let code = code_for(&stack, NEW_USER).await;
    assert_eq!(code.len(), 6, "a 6-digit code: {code:?}");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_into(&stack, "input#code", wrong).await;
    submit(&stack).await;
    let error = b.css("#form-error").await.text().await.unwrap_or_default();
    assert!(!error.is_empty(), "a wrong code shows an error");
    assert!(
        !b.has("[data-testid=user]").await,
        "a wrong code signs nobody in"
    );

    confirm_and_land_signed_in(&stack, &code).await;
    stack.close().await;
}

/// The app's `signup` link goes straight to the hosted UI's sign-up page
/// with the selected flow's authorize query, and the round trip ends signed
/// in like a sign-in (state, nonce and, here, the implicit flow's at_hash).
#[tokio::test]
async fn the_apps_signup_link_signs_a_new_user_up_with_the_selected_flow() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    b.goto(&stack.url("/")).await;
    b.testid("flow").await;
    b.eval("const s = document.querySelector('[data-testid=flow]'); s.value = 'implicit'; s.dispatchEvent(new Event('change')); return null")
        .await;
    let href = b
        .eval("return document.querySelector('[data-testid=signup]').href")
        .await;
    let href = href.as_str().expect("the signup link has an href");
    let domain = stack.devstack.hosted_ui_url();
    assert!(
        href.starts_with(&format!("{domain}/signup?")),
        "the hosted UI's sign-up page: {href}"
    );
    assert!(
        href.contains("response_type=token"),
        "the selected flow: {href}"
    );
    assert!(
        !href.contains("state="),
        "no secret before the click: {href}"
    );

    b.testid("signup")
        .await
        .click()
        .await
        .expect("click signup");
    b.css("input#username").await;
    let on_signup = b.current_url().await;
    assert!(
        on_signup.starts_with(&format!("{domain}/signup?")) && on_signup.contains("state="),
        "the click adds this round trip's state: {on_signup}"
    );
    sign_up_form(&stack).await;
    let code = code_for(&stack, NEW_USER).await;
    confirm_and_land_signed_in(&stack, &code).await;
    let address = b.current_url().await;
    assert!(
        !address.contains("access_token") && !address.contains("state="),
        "tokens and state are gone from the address bar: {address}"
    );
    stack.close().await;
}
