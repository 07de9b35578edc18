//! The protocol trace (`/trace`) in headless Chromium against devstack: the
//! steps of each flow in order with their statuses, masking (no full
//! secret in the page, the trace's storage or the console unless revealed),
//! sign-out leaving only its own steps, and every copied `curl` command run
//! with the real curl against devstack, answering as the app was answered.

use std::future::Future;
use std::time::{Duration, Instant};

use e2e::hosted_ui::{answer_for, param};
use e2e::stack::{PASSWORD, USER};
use e2e::Stack;
use serde_json::Value;

const TRACE_KEY: &str = "cognito-spa.trace";

/// Waits until `check` holds; a failing wait prints the page's text.
async fn wait_until<F, Fut>(stack: &Stack, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + e2e::browser::WAIT;
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "waited in vain for {what}; the page says:\n{}",
        stack.browser.body_text().await
    );
}

/// Opens /trace through the nav link (no reload: a reload verifies the
/// stored session again, which the trace would rightly show).
async fn open_trace(stack: &Stack) {
    let b = &stack.browser;
    b.css("nav a[href='/trace']").await.click().await.unwrap();
    b.testid("trace").await;
    // The help file arrives, or its absence is said.
    b.css(
        "[data-testid=trace-page][data-help=loaded], [data-testid=trace-page][data-help=missing]",
    )
    .await;
}

/// `(data-step, data-status)` of every step, in order.
async fn steps(stack: &Stack) -> Vec<(String, String)> {
    let found = stack
        .browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=trace] [data-testid=trace-step]')]\
             .map(s => [s.dataset.step, s.dataset.status])",
        )
        .await;
    serde_json::from_value(found).unwrap()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Waits for exactly these steps on /trace (none pending any more).
async fn expect_steps(stack: &Stack, expected: &[(&str, &str)]) {
    let want = pairs(expected);
    let deadline = Instant::now() + e2e::browser::WAIT;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        seen = steps(stack).await;
        if seen == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the trace shows {seen:?}, expected {want:?}; the page says:\n{}",
        stack.browser.body_text().await
    );
}

/// The `data-curl` of the `nth` copy-curl button of the steps named `step`.
async fn curl_of(stack: &Stack, step: &str, nth: usize) -> String {
    let found = stack
        .browser
        .eval(&format!(
            "const s = [...document.querySelectorAll('[data-testid=trace-step][data-step={step}]')][{nth}]; \
             const b = s && s.querySelector('[data-testid=copy-curl]'); return b ? b.dataset.curl : null"
        ))
        .await;
    found
        .as_str()
        .unwrap_or_else(|| panic!("no copy-curl in the {step} step #{nth}"))
        .to_owned()
}

/// The `data-status` of the `nth` step named `step`.
async fn status_of(stack: &Stack, step: &str, nth: usize) -> String {
    stack
        .browser
        .eval(&format!(
            "return [...document.querySelectorAll('[data-testid=trace-step][data-step={step}]')][{nth}].dataset.status"
        ))
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs `command` with /usr/bin/curl through bash, the placeholders set as
/// environment variables; returns the HTTP status of the answer.
async fn run_curl(command: &str, secrets: &[(&str, &str)]) -> u16 {
    assert!(command.contains("curl -i "), "{command}");
    for (name, _) in secrets {
        assert!(
            command.contains(&format!("${name}")),
            "{command} uses ${name}"
        );
    }
    let mut shell = tokio::process::Command::new("/bin/bash");
    shell
        .arg("-c")
        .arg(command.replace("curl -i ", "/usr/bin/curl --max-time 10 -sS -i "))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .kill_on_drop(true);
    for (name, value) in secrets {
        shell.env(name, value);
    }
    let output = tokio::time::timeout(Duration::from_secs(20), shell.output())
        .await
        .expect("curl finishes within 20 s")
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{command}\nfailed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let status_line = stdout.lines().next().unwrap_or_default();
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {stdout}"))
}

async fn stored_token(stack: &Stack, name: &str) -> String {
    stack
        .stored_tokens("sessionStorage")
        .await
        .expect("a session")[name]
        .as_str()
        .unwrap_or_else(|| panic!("a stored {name}"))
        .to_owned()
}

/// Starts a code sign-in and logs in at the hosted UI outside the
/// browser, so the app has not seen the answer yet; returns the callback
/// address, the code and the sign-in's PKCE verifier.
async fn fresh_code(stack: &Stack) -> (String, String, String) {
    let b = &stack.browser;
    b.goto(&stack.url("/")).await;
    stack.start_sign_in("code").await;
    b.css("input#password").await;
    let login = b.current_url().await;
    b.client.back().await.unwrap();
    b.testid("flow").await;
    let pending = stack.storage("sessionStorage", "cognito-spa.pending").await;
    let pending: Value =
        serde_json::from_str(pending.as_str().expect("a pending sign-in")).unwrap();
    let verifier = pending["verifier"].as_str().unwrap().to_owned();
    let answer = answer_for(&login, USER, PASSWORD).await;
    let query = answer.split_once('?').map_or("", |(_, q)| q);
    let code = param(query, "code").expect("a code");
    (answer, code, verifier)
}

async fn userinfo_answered(stack: &Stack) {
    stack
        .browser
        .css("[data-testid=userinfo][data-status=ok]")
        .await;
}

#[tokio::test]
async fn a_code_flow_sign_in_is_traced_in_order_and_its_exchange_replays() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    userinfo_answered(&stack).await;
    open_trace(&stack).await;
    expect_steps(&stack, &AFTER_REFRESH_AND_BOOK[..SIGN_IN_STEPS]).await;
    let b = &stack.browser;
    // The authorize step lists each parameter, explained.
    for name in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
    ] {
        let about = b
            .css(&format!(
                "[data-step=authorize] tr[data-name={name}] td.about"
            ))
            .await
            .text()
            .await
            .unwrap();
        assert!(!about.is_empty(), "{name} is explained");
    }
    let verify = b.css("[data-step=verify]").await.text().await.unwrap();
    for check in ["signature", "issuer", "audience", "token_use", "nonce"] {
        assert!(
            verify.contains(check),
            "the verify step lists {check}: {verify}"
        );
    }
    let token = b.css("[data-step=token]").await.text().await.unwrap();
    assert!(token.contains("content-type"), "answer headers: {token}");
    assert!(token.contains(" ms"), "the time it took: {token}");

    // The exchange's command, replayed with a fresh code and its verifier.
    let exchange = curl_of(&stack, "token", 0).await;
    for part in [
        "\"code=$CODE\"",
        "\"code_verifier=$CODE_VERIFIER\"",
        "'grant_type=authorization_code'",
        &format!("'redirect_uri={}'", stack.url("/callback")),
        &format!("'client_id={}'", stack.devstack.client_id()),
        "# $CODE: ",
        "# $CODE_VERIFIER: ",
    ] {
        assert!(exchange.contains(part), "{part} in\n{exchange}");
    }
    // A fresh sign-in's code, which the app never redeems: sign out first
    // (the hosted UI would skip its form otherwise).
    b.testid("logout").await.click().await.unwrap();
    b.testid("session-notice").await;
    let (_, code, verifier) = fresh_code(&stack).await;
    let status = run_curl(&exchange, &[("CODE", &code), ("CODE_VERIFIER", &verifier)]).await;
    assert_eq!(
        status, 200,
        "the replayed exchange answers as the app's did"
    );
    stack.close().await;
}

#[tokio::test]
async fn an_implicit_sign_in_is_traced_in_order() {
    let stack = Stack::start().await;
    stack.sign_in("implicit").await;
    userinfo_answered(&stack).await;
    assert!(
        !stack.browser.has("[data-testid=refresh]").await,
        "no refresh token, so no refresh button"
    );
    open_trace(&stack).await;
    expect_steps(
        &stack,
        &[
            ("authorize", "sent"),
            ("callback", "ok"),
            ("jwks", "200"),
            ("verify", "ok"),
            ("userinfo", "200"),
        ],
    )
    .await;
    let b = &stack.browser;
    let access = b
        .css("[data-step=callback] tr[data-name=access_token] td.mono")
        .await
        .text()
        .await
        .unwrap();
    assert!(access.contains("[signature hidden]"), "{access}");
    let verify = b.css("[data-step=verify]").await.text().await.unwrap();
    assert!(verify.contains("at_hash"), "{verify}");
    stack.close().await;
}

/// How many of [`AFTER_REFRESH_AND_BOOK`] a code-flow sign-in that lands
/// on /profile makes (up to its userInfo call).
const SIGN_IN_STEPS: usize = 6;

/// A code-flow sign-in on /profile, then a refresh and a `/book` call.
const AFTER_REFRESH_AND_BOOK: &[(&str, &str)] = &[
    ("authorize", "sent"),
    ("callback", "ok"),
    ("token", "200"),
    ("jwks", "200"),
    ("verify", "ok"),
    ("userinfo", "200"),
    ("refresh", "200"),
    ("verify", "ok"),
    // /profile shows the refreshed session anew, userInfo included.
    ("userinfo", "200"),
    ("book", "200"),
];

/// On /profile: refreshes, waits for the userInfo call that follows, then
/// calls `/book` with the ID token and waits for its answer.
async fn refresh_then_call_book(stack: &Stack) {
    let b = &stack.browser;
    b.testid("refresh").await.click().await.unwrap();
    b.testid("refresh-result").await;
    userinfo_answered(stack).await;
    b.testid("call-book").await.click().await.unwrap();
    b.testid("book-status").await;
}

#[tokio::test]
async fn refresh_userinfo_book_and_sign_out_are_traced_and_replay_with_curl() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    userinfo_answered(&stack).await;
    let b = &stack.browser;

    // A refresh from /profile, then a /book call with the ID token.
    refresh_then_call_book(&stack).await;
    let console_curl = b
        .css("[data-testid=book-console] [data-testid=copy-curl]")
        .await
        .attr("data-curl")
        .await
        .unwrap()
        .expect("the console's copy-curl has data-curl");
    // A click says how the copy went, whether the browser allowed it or not.
    b.css("[data-testid=book-console] [data-testid=copy-curl]")
        .await
        .click()
        .await
        .unwrap();
    let said = b
        .css("[data-testid=book-console] [data-testid=copy-curl] + [role=status]:not(:empty)")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        said == "Copied. Set the $PLACEHOLDERS first." || said.starts_with("Could not copy: "),
        "{said}"
    );
    open_trace(&stack).await;
    expect_steps(&stack, AFTER_REFRESH_AND_BOOK).await;

    let refresh_token = stored_token(&stack, "refresh_token").await;
    let access_token = stored_token(&stack, "access_token").await;
    let id_token = stored_token(&stack, "id_token").await;
    let book = curl_of(&stack, "book", 0).await;
    assert_eq!(book, console_curl, "the console copies the same command");
    assert!(
        book.contains("\"Authorization: Bearer $ID_TOKEN\""),
        "{book}"
    );
    assert_eq!(run_curl(&book, &[("ID_TOKEN", &id_token)]).await, 200);
    let userinfo = curl_of(&stack, "userinfo", 0).await;
    assert_eq!(
        run_curl(&userinfo, &[("ACCESS_TOKEN", &access_token)]).await,
        200
    );
    let refresh = curl_of(&stack, "refresh", 0).await;
    assert!(refresh.contains("# $REFRESH_TOKEN: "), "{refresh}");
    assert_eq!(
        run_curl(&refresh, &[("REFRESH_TOKEN", &refresh_token)]).await,
        200
    );

    // Sign-out: only its revoke and logout remain, with no token in them.
    b.testid("logout").await.click().await.unwrap();
    b.testid("session-notice").await;
    assert_eq!(b.current_url().await, stack.url("/"));
    open_trace(&stack).await;
    expect_steps(&stack, &[("revoke", "200"), ("logout", "sent")]).await;
    let trace_html = b
        .css("[data-testid=trace]")
        .await
        .html(false)
        .await
        .unwrap();
    assert!(
        !trace_html.contains("eyJ"),
        "no token after sign-out: {trace_html}"
    );
    assert!(!trace_html.contains(&refresh_token));
    let stored = stack.storage("sessionStorage", TRACE_KEY).await;
    let stored = stored.as_str().unwrap_or_default();
    assert!(!stored.contains("eyJ") && !stored.contains(&refresh_token));
    let revoke = curl_of(&stack, "revoke", 0).await;
    assert_eq!(status_of(&stack, "revoke", 0).await, "200");
    assert_eq!(
        run_curl(&revoke, &[("REFRESH_TOKEN", &refresh_token)]).await,
        200,
        "revoking again answers as the app was answered"
    );
    stack.close().await;
}

#[tokio::test]
async fn no_secret_reaches_the_page_the_trace_s_storage_or_the_console_unless_revealed() {
    let stack = Stack::start().await;
    let (answer, code, verifier) = fresh_code(&stack).await;
    let b = &stack.browser;
    b.goto(&answer).await;
    stack.wait_signed_in().await;
    userinfo_answered(&stack).await;
    let mut secrets = vec![code.clone(), verifier.clone()];
    for name in ["id_token", "access_token", "refresh_token"] {
        secrets.push(stored_token(&stack, name).await);
    }
    refresh_then_call_book(&stack).await;
    for name in ["id_token", "access_token", "refresh_token"] {
        secrets.push(stored_token(&stack, name).await);
    }
    open_trace(&stack).await;
    expect_steps(&stack, AFTER_REFRESH_AND_BOOK).await;
    // Reloaded: the trace comes back from sessionStorage (the reload
    // verifies the stored session again, and shows that too).
    b.goto(&stack.url("/trace")).await;
    b.css("[data-testid=trace-step][data-step=book]").await;

    let page = b
        .eval("return document.documentElement.outerHTML")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let stored = stack.storage("sessionStorage", TRACE_KEY).await;
    let stored = stored
        .as_str()
        .expect("the trace is in sessionStorage")
        .to_owned();
    let local = stack.storage("localStorage", TRACE_KEY).await;
    assert_eq!(local, Value::Null, "the trace lives in this tab only");
    let console = b.console_log().await.join("\n");
    for secret in &secrets {
        assert!(secret.len() >= 20, "a real secret: {secret}");
        assert!(!page.contains(secret.as_str()), "the page shows a secret");
        assert!(
            !stored.contains(secret.as_str()),
            "the trace stores a secret"
        );
        assert!(
            !console.contains(secret.as_str()),
            "the console shows a secret"
        );
    }
    // Masked as the contract says: 4 characters of the code and verifier.
    assert!(
        page.contains(&format!("{}…", &code[..4])),
        "the code's first 4"
    );
    assert!(page.contains(&format!("{}…", &verifier[..4])));
    assert!(page.contains("[a refresh token is never shown]"));
    let id_token = stored_token(&stack, "id_token").await;
    let (header_payload, _) = id_token.rsplit_once('.').unwrap();
    assert!(
        page.contains(header_payload),
        "a JWT shows header and payload"
    );

    // A reveal shows the session's token, read from the session.
    b.css("[data-step=book] [data-testid=trace-reveal]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(&stack, "the revealed ID token", || async {
        let html = b.eval("return document.documentElement.outerHTML").await;
        html.as_str().unwrap_or_default().contains(&id_token)
    })
    .await;
    let stored_after = stack.storage("sessionStorage", TRACE_KEY).await;
    assert!(
        !stored_after
            .as_str()
            .unwrap_or_default()
            .contains(&id_token),
        "a reveal copies nothing into the trace"
    );
    stack.close().await;
}

#[tokio::test]
async fn the_sdk_path_names_this_pool_and_devstack_s_endpoint_and_the_cli_signs_in() {
    let stack = Stack::start().await;
    stack.browser.goto(&stack.url("/")).await;
    open_trace(&stack).await;
    let cli = stack.browser.testid("sdk-cli").await.text().await.unwrap();
    let client = stack.devstack.client_id();
    for part in [
        "aws cognito-idp initiate-auth",
        "--auth-flow USER_PASSWORD_AUTH",
        &format!("--client-id '{client}'"),
        &format!("--endpoint-url '{}'", stack.devstack.hosted_ui_url()),
        "USERNAME=$COGNITO_USERNAME,PASSWORD=$COGNITO_PASSWORD",
    ] {
        assert!(cli.contains(part), "{part} in {cli}");
    }
    let python = stack
        .browser
        .testid("sdk-boto3")
        .await
        .text()
        .await
        .unwrap();
    assert!(python.contains("initiate_auth("), "{python}");
    assert!(
        python.contains(&format!("ClientId=\"{client}\"")),
        "{python}"
    );
    assert!(
        python.contains(&format!(
            "endpoint_url=\"{}\"",
            stack.devstack.hosted_ui_url()
        )),
        "{python}"
    );

    // The CLI command as shown, run with setup's AWS CLI against devstack.
    let aws = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/venv/bin/aws");
    assert!(
        std::path::Path::new(aws).is_file(),
        "no AWS CLI at {aws}: run `cargo xtask setup`"
    );
    let command = cli.replacen("aws ", &format!("{aws} "), 1);
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new("/bin/bash")
            .arg("-c")
            .arg(command)
            .env("COGNITO_USERNAME", USER)
            .env("COGNITO_PASSWORD", PASSWORD)
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the AWS CLI answers within 60 s")
    .expect("run bash");
    let answer = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && answer.contains("\"IdToken\""),
        "{cli}\n{answer}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stack.close().await;
}

#[tokio::test]
async fn without_its_help_file_the_trace_still_shows_every_step_and_says_so() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    userinfo_answered(&stack).await;
    let b = &stack.browser;
    // This page's fetch of the help file fails (no reload: the trace and
    // the session stay as they are).
    b.eval(
        "const real = window.fetch; window.fetch = (input, init) => \
         String((input && input.url) || input).includes('trace-help') \
         ? Promise.reject(new TypeError('Failed to fetch')) : real(input, init); return null",
    )
    .await;
    open_trace(&stack).await;
    let notice = b.testid("trace-help-missing").await.text().await.unwrap();
    assert!(notice.contains("without them"), "{notice}");
    expect_steps(&stack, &AFTER_REFRESH_AND_BOOK[..SIGN_IN_STEPS]).await;
    assert!(!b.has("[data-testid=trace-step] td.about:not(:empty)").await);
    assert!(b.has("[data-step=token] [data-testid=copy-curl]").await);
    stack.close().await;
}

/// Writes docs/screenshots/trace.png for the README.
#[tokio::test]
#[ignore = "writes the README screenshot: cargo test -p e2e --test trace -- --ignored screenshot"]
async fn screenshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    userinfo_answered(&stack).await;
    let b = &stack.browser;
    b.client.set_window_size(1280, 1600).await.unwrap();
    open_trace(&stack).await;
    b.eval("window.scrollTo(0, 0); return null").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.screenshot(&dir.join("trace.png")).await;
    stack.close().await;
}

/// /trace's code is a chunk fetched when the page first opens. When that
/// fetch fails (a redeploy removed it, the network dropped), the page says
/// so instead of staying blank, and the rest of the app keeps working.
#[tokio::test]
async fn a_page_whose_chunk_cannot_load_says_so() {
    let stack = Stack::start().await;
    stack
        .site
        .remove_file(&format!("/{}", e2e::wasm_file("-split_trace-")));
    stack.sign_in("code").await;
    let b = &stack.browser;
    b.css("nav a[href='/trace']").await.click().await.unwrap();
    let notice = b.testid_text("chunk-error").await;
    assert!(notice.contains("could not be loaded"), "{notice}");
    assert!(!b.has("[data-testid=trace]").await);
    // The app still routes and still holds the session.
    b.css("nav a[href='/profile']").await.click().await.unwrap();
    stack.wait_signed_in().await;
}
