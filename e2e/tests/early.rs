//! What index.html starts before the wasm runs (src/web/early.js): the
//! wasm's compilation, on every page, and on /callback /profile's chunks;
//! and on /callback the code exchange and the key set, at once, once each,
//! only for this tab's own answer. The wasm takes their answers off the
//! page, and sends the requests itself when they were not sent.

use e2e::hosted_ui::{answer_for, replace_param};
use e2e::stack::{PASSWORD, USER};
use e2e::Stack;
use serde_json::Value;

/// When each of `entries` (a JavaScript list of performance entries)
/// started, in ms since the page began, and when the app mounted.
async fn started(stack: &Stack, entries: &str) -> (Vec<f64>, f64) {
    let found: Value = stack
        .browser
        .eval(&format!(
            "return [({entries}).map(e => e.startTime), \
             performance.getEntriesByName('app-ready')[0].startTime]"
        ))
        .await;
    let starts = found[0]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    (starts, found[1].as_f64().unwrap())
}

/// The requests of this document to URLs ending in `path`.
async fn requests(stack: &Stack, path: &str) -> (Vec<f64>, f64) {
    let entries =
        format!("performance.getEntriesByType('resource').filter(r => r.name.endsWith('{path}'))");
    started(stack, &entries).await
}

/// The marks named `name`.
async fn marks(stack: &Stack, name: &str) -> (Vec<f64>, f64) {
    started(stack, &format!("performance.getEntriesByName('{name}')")).await
}

async fn left_on_the_page(stack: &Stack) -> Value {
    stack
        .browser
        .eval("return ['cognitoSpaToken', 'cognitoSpaKeys', 'cognitoSpaConfig'].filter(g => g in window)")
        .await
}

/// The hosted UI's answer to a sign-in this tab started, not followed yet.
async fn answer(stack: &Stack) -> String {
    stack.browser.goto(&stack.url("/")).await;
    stack.start_sign_in("code").await;
    stack.browser.css("input#password").await;
    let login = stack.browser.current_url().await;
    answer_for(&login, USER, PASSWORD).await
}

#[tokio::test]
async fn the_code_is_exchanged_once_before_the_app_mounts() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let (token, mounted) = requests(&stack, "/oauth2/token").await;
    assert_eq!(token.len(), 1, "one code exchange: {token:?}");
    assert!(
        token[0] < mounted,
        "sent before the app mounted ({} ms, mounted at {mounted} ms)",
        token[0]
    );
    let (keys, _) = requests(&stack, "/jwks.json").await;
    assert_eq!(keys.len(), 1, "one key set fetch: {keys:?}");
    assert!(keys[0] < mounted);
    assert_eq!(left_on_the_page(&stack).await, serde_json::json!([]));
    // The benchmark's end of the page's own part of a sign-in.
    let (shown, _) = marks(&stack, "tokens-shown").await;
    assert_eq!(shown.len(), 1, "tokens-shown once: {shown:?}");
    assert!(shown[0] > mounted);
    stack.close().await;
}

#[tokio::test]
async fn without_prepared_requests_the_app_sends_them_itself() {
    let stack = Stack::start().await;
    let answer = answer(&stack).await;
    // A sign-in record from a version that prepared nothing (the record
    // is the app origin's: back there to change it).
    stack.browser.goto(&stack.url("/")).await;
    stack.browser.testid("login").await;
    stack
        .browser
        .eval(
            "const p = JSON.parse(sessionStorage.getItem('cognito-spa.pending')); delete p.early; \
             sessionStorage.setItem('cognito-spa.pending', JSON.stringify(p)); return null",
        )
        .await;
    stack.browser.goto(&answer).await;
    stack.wait_signed_in().await;
    let (token, mounted) = requests(&stack, "/oauth2/token").await;
    assert_eq!(token.len(), 1, "one code exchange: {token:?}");
    assert!(token[0] > mounted, "sent by the app, after it mounted");
    stack.close().await;
}

#[tokio::test]
async fn an_answer_with_another_state_sends_nothing_early() {
    let stack = Stack::start().await;
    let answer = answer(&stack).await;
    let (page, query) = answer.split_once('?').unwrap();
    let forged = replace_param(query, "state", "not-this-tabs-state");
    stack.browser.goto(&format!("{page}?{forged}")).await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("state"), "{text}");
    let (token, _) = requests(&stack, "/oauth2/token").await;
    assert!(token.is_empty(), "the code was not redeemed: {token:?}");
    let (keys, _) = requests(&stack, "/jwks.json").await;
    assert!(keys.is_empty(), "nothing was fetched for it: {keys:?}");
    stack.assert_no_session().await;
    stack.close().await;
}

/// The main module is fetched once (early.js's compilation uses the
/// preload), /profile's chunks once each and before the app mounted, and
/// every chunk the loader took is gone from the page.
#[tokio::test]
async fn the_wasm_is_fetched_once_and_profile_s_chunks_before_the_app_mounts() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let main = format!("/{}", e2e::wasm_file("_bg"));
    let (fetched, _) = requests(&stack, &main).await;
    assert_eq!(fetched.len(), 1, "{main} fetched once: {fetched:?}");
    for chunk in [e2e::wasm_file("-split_profile-"), e2e::wasm_file("-chunk_")] {
        let (fetched, mounted) = requests(&stack, &format!("/{chunk}")).await;
        assert_eq!(fetched.len(), 1, "{chunk} fetched once: {fetched:?}");
        assert!(
            fetched[0] < mounted,
            "{chunk} asked for before the app mounted ({} ms, mounted at {mounted} ms)",
            fetched[0]
        );
    }
    let left = stack
        .browser
        .eval("return Object.keys(window.cognitoSpaWasm)")
        .await;
    assert_eq!(left, serde_json::json!([main]));
    // Chromium warns about a preload nothing used a few seconds after load.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let console = stack.browser.console_log().await;
    assert!(
        !console.iter().any(|entry| entry.contains("preload")),
        "{console:?}"
    );
    stack.close().await;
}

/// A chunk whose early compilation failed (here: it answers 404) is not
/// kept: /profile says it could not load, and the next visit compiles it
/// afresh once the file is back.
#[tokio::test]
async fn a_profile_chunk_that_failed_early_is_fetched_afresh_next_time() {
    let stack = Stack::start().await;
    let chunk = format!("/{}", e2e::wasm_file("-split_profile-"));
    stack.site.remove_file(&chunk);
    stack.start_sign_in("code").await;
    stack.submit_login_form(USER, PASSWORD).await;
    let b = &stack.browser;
    let notice = b.testid_text("chunk-error").await;
    assert!(notice.contains("could not be loaded"), "{notice}");
    stack.site.restore_file(&chunk);
    b.css("nav a[href='/']").await.click().await.unwrap();
    b.css("nav a[href='/profile']").await.click().await.unwrap();
    stack.wait_signed_in().await;
    stack.close().await;
}
