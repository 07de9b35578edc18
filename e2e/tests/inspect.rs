//! The token inspector and the `/book` console in headless Chromium against
//! devstack: claims tables and verification reports for both tokens, the
//! userInfo `sub` check, and every answer of `GET /book` under each
//! authorizer, explained.

use std::time::{Duration, Instant};

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use devstack::{AuthorizerMode, ManualClock};
use e2e::{Options, Stack};
use serde_json::{json, Value};

/// What one call of the console showed.
struct Answer {
    status: String,
    body: String,
    explanation: String,
}

async fn select_token(stack: &Stack, token: &str) {
    stack.browser.testid("book-token").await;
    stack
        .browser
        .eval(&format!(
            "const s = document.querySelector('[data-testid=book-token]'); s.value = '{token}'; s.dispatchEvent(new Event('change')); return null"
        ))
        .await;
}

async fn history_len(stack: &Stack) -> u64 {
    stack
        .browser
        .eval("return document.querySelectorAll('[data-testid=book-history] tbody tr').length")
        .await
        .as_u64()
        .unwrap_or(0)
}

async fn read_answer(stack: &Stack) -> Answer {
    let b = &stack.browser;
    let text = |id: &str| {
        let id = id.to_owned();
        async move { b.testid(&id).await.text().await.unwrap_or_default() }
    };
    Answer {
        status: text("book-status").await,
        body: text("book-body").await,
        explanation: text("book-explanation").await,
    }
}

/// Chooses `token` in `book-token`, clicks `call-book`, waits for the
/// answer (a new history line) and reads it.
async fn call_book(stack: &Stack, token: &str) -> Answer {
    select_token(stack, token).await;
    let before = history_len(stack).await;
    stack
        .browser
        .testid("call-book")
        .await
        .click()
        .await
        .unwrap();
    wait_until(stack, "a new line in the call history", || async {
        history_len(stack).await > before || before == 5
    })
    .await;
    read_answer(stack).await
}

async fn wait_until<F, Fut>(stack: &Stack, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + e2e::browser::WAIT;
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "waited in vain for {what}; the page says:\n{}",
        stack.browser.body_text().await
    );
}

async fn claim_names(stack: &Stack, table: &str) -> Vec<String> {
    let names = stack
        .browser
        .eval(&format!(
            "return [...document.querySelectorAll('[data-testid={table}] tr[data-claim]')].map(r => r.dataset.claim)"
        ))
        .await;
    serde_json::from_value(names).unwrap()
}

/// The claim descriptions are data fetched when /profile first needs them;
/// without them the tables still show every claim and value, and say so.
#[tokio::test]
async fn claims_tables_stand_without_their_descriptions() {
    let stack = Stack::start().await;
    stack.site.remove_file("/explain.json");
    stack.sign_in("code").await;
    let b = &stack.browser;
    for table in ["claims-id", "claims-access"] {
        let names = claim_names(&stack, table).await;
        for claim in ["sub", "token_use", "exp", "iat", "iss"] {
            assert!(
                names.contains(&claim.to_owned()),
                "{table}: {claim} in {names:?}"
            );
        }
    }
    let note = || async {
        b.eval("return document.querySelector('[data-testid=claims-id] [data-testid=claims-about-missing]')?.textContent ?? ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    wait_until(
        &stack,
        "the note that the descriptions are missing",
        || async { note().await.contains("could not be loaded") },
    )
    .await;
    let note = note().await;
    assert!(note.contains("HTTP 404"), "{note}");
    let described = b
        .eval("return document.querySelectorAll('.claims .about').length")
        .await;
    assert_eq!(described, json!(0));
    let sub = b
        .css("[data-testid=claims-id] tr[data-claim=sub] td")
        .await
        .text()
        .await
        .unwrap();
    assert!(!sub.is_empty(), "the value is shown");
    stack.close().await;
}

#[tokio::test]
async fn profile_shows_both_tokens_claims_reports_and_userinfo() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    let b = &stack.browser;

    let id = claim_names(&stack, "claims-id").await;
    for claim in [
        "cognito:username",
        "aud",
        "token_use",
        "sub",
        "exp",
        "iat",
        "email_verified",
        "cognito:groups",
        "nonce",
    ] {
        assert!(
            id.contains(&claim.to_owned()),
            "ID token claim {claim} in {id:?}"
        );
    }
    let access = claim_names(&stack, "claims-access").await;
    for claim in ["scope", "client_id", "token_use", "username", "sub", "exp"] {
        assert!(
            access.contains(&claim.to_owned()),
            "access token claim {claim} in {access:?}"
        );
    }
    assert!(
        !access.contains(&"aud".to_owned()),
        "access tokens have no aud"
    );

    // Rendered for people: a relative expiry, scopes as a list, yes/no.
    let exp = b
        .css("[data-testid=claims-id] tr[data-claim=exp]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        exp.contains("expires in 59 min") || exp.contains("expires in 1 h"),
        "{exp}"
    );
    let scopes = b
        .eval("return [...document.querySelectorAll('[data-testid=claims-access] tr[data-claim=scope] li')].map(li => li.textContent)")
        .await;
    let scopes: Vec<String> = serde_json::from_value(scopes).unwrap();
    for scope in ["openid", "email", "profile"] {
        assert!(scopes.contains(&scope.to_owned()), "{scopes:?}");
    }
    let verified = b
        .css("[data-testid=claims-id] tr[data-claim=email_verified] td")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(verified, "yes");

    // What each claim means arrives with explain.json, fetched on /profile.
    wait_until(&stack, "the claim descriptions", || async {
        b.eval("const a = document.querySelector('[data-testid=claims-id] tr[data-claim=sub] .about'); return a ? a.textContent : ''")
            .await
            .as_str()
            .is_some_and(|about| about.contains("unique id"))
    })
    .await;
    let scope = b
        .css("[data-testid=claims-access] tr[data-claim=scope] .about")
        .await
        .text()
        .await
        .unwrap();
    assert!(scope.contains("OAuth scopes"), "{scope}");

    // Every check of both reports, with a result and a reason.
    for report in ["verify-id", "verify-access"] {
        let checks = b
            .eval(&format!(
                "return [...document.querySelectorAll('[data-testid={report}] tr[data-check]')].map(r => [r.dataset.check, r.querySelector('.badge').textContent])"
            ))
            .await;
        let checks: Vec<(String, String)> = serde_json::from_value(checks).unwrap();
        let words: Vec<&str> = checks.iter().map(|(w, _)| w.as_str()).collect();
        for word in [
            "signature",
            "kid",
            "issuer",
            "audience",
            "token_use",
            "expired",
            "not yet valid",
            "iat",
            "nonce",
            "at_hash",
        ] {
            assert!(words.contains(&word), "{report} lists {word}: {words:?}");
        }
        assert!(
            checks.iter().all(|(_, result)| result != "fail"),
            "{checks:?}"
        );
    }
    let nonce = b
        .eval("return document.querySelector('[data-testid=verify-id] tr[data-check=nonce] .badge').textContent")
        .await;
    assert_eq!(nonce, json!("pass"), "the sign-in nonce check is kept");

    // The header, and the raw token only on request.
    let alg = b
        .css("[data-token=id] [data-header=alg]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(alg, "RS256");
    assert!(
        !b.has("[data-testid=raw-id]").await,
        "the raw token is hidden"
    );

    // userInfo answers for the same sub.
    b.css("[data-testid=userinfo][data-status=ok]").await;
    let sub = b
        .css("[data-testid=userinfo] tr[data-attr=sub] td")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(sub, "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b");
    stack.close().await;
}

#[tokio::test]
async fn cognito_authorizer_without_scopes_wants_the_id_token() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;

    let ok = call_book(&stack, "id").await;
    assert_eq!(ok.status, "200");
    assert!(ok.body.contains("\"authorizer\""), "{}", ok.body);
    assert!(
        ok.explanation.contains("Cognito user pool authorizer"),
        "{}",
        ok.explanation
    );

    let refused = call_book(&stack, "access").await;
    assert_eq!(refused.status, "401");
    assert!(refused.body.contains("Unauthorized"), "{}", refused.body);
    assert!(
        refused.explanation.contains("no aud"),
        "{}",
        refused.explanation
    );

    let none = call_book(&stack, "none").await;
    assert_eq!(none.status, "401");
    assert!(
        none.explanation.contains("No Authorization header"),
        "{}",
        none.explanation
    );

    assert_eq!(history_len(&stack).await, 3, "the history keeps the calls");
    // The same console is on the home page.
    stack.browser.goto(&stack.url("/")).await;
    stack.wait_signed_in_on_home().await;
    assert_eq!(call_book(&stack, "id").await.status, "200");
    stack.close().await;
}

#[tokio::test]
async fn cognito_authorizer_with_scopes_wants_the_access_token() {
    let stack = Stack::with(Options {
        authorizer: AuthorizerMode::CognitoScopes,
        config: json!({"scopes": ["openid", "email", "profile", "books/read"]}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let ok = call_book(&stack, "access").await;
    assert_eq!(ok.status, "200");
    assert!(
        ok.explanation.contains("with method scopes"),
        "{}",
        ok.explanation
    );
    let refused = call_book(&stack, "id").await;
    assert_eq!(refused.status, "401");
    assert!(
        refused.explanation.contains("no scope claim"),
        "{}",
        refused.explanation
    );
    stack.close().await;
}

#[tokio::test]
async fn lambda_authorizer_allows_the_books_read_scope() {
    let stack = Stack::with(Options {
        authorizer: AuthorizerMode::Lambda,
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let ok = call_book(&stack, "access").await;
    assert_eq!(ok.status, "200");
    assert!(
        ok.explanation.contains("Lambda authorizer allowed"),
        "{}",
        ok.explanation
    );
    let none = call_book(&stack, "none").await;
    assert_eq!(none.status, "401");
    stack.close().await;
}

#[tokio::test]
async fn lambda_authorizer_denies_a_token_without_the_books_read_scope() {
    let stack = Stack::with(Options {
        authorizer: AuthorizerMode::Lambda,
        config: json!({"scopes": ["openid", "email", "profile"]}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let denied = call_book(&stack, "access").await;
    assert_eq!(denied.status, "403");
    assert!(denied.body.contains("explicit deny"), "{}", denied.body);
    assert!(
        denied.explanation.contains("Effect Deny"),
        "{}",
        denied.explanation
    );
    assert!(
        denied.explanation.contains("openid, email, profile"),
        "the explanation lists the token's scopes: {}",
        denied.explanation
    );
    stack.close().await;
}

async fn select_api(stack: &Stack, name: &str) {
    stack
        .browser
        .eval(&format!(
            "const s = document.querySelector('[data-testid=book-api]'); s.value = {name:?}; s.dispatchEvent(new Event('change')); return null"
        ))
        .await;
}

/// The answer has `status`, and its explanation says `words`.
fn assert_answer(answer: &Answer, status: &str, words: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(
        answer.explanation.contains(words),
        "{words:?} not in: {}",
        answer.explanation
    );
}

/// With `apis`, one console offers every API and explains each answer for
/// exactly that API's authorizer, naming no other kind.
#[tokio::test]
async fn the_api_select_explains_each_authorizer_exactly() {
    let stack = Stack::with(Options {
        apis: true,
        // One scope short of the Lambda's books/read, for its explicit deny.
        config: json!({"scopes": ["openid", "email", "profile"]}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let options: Vec<String> = serde_json::from_value(
        stack
            .browser
            .eval("return [...document.querySelectorAll('[data-testid=book-api] option')].map(o => o.value)")
            .await,
    )
    .unwrap();
    assert_eq!(
        options,
        [
            "Cognito authorizer (ID token)",
            "Cognito authorizer with scopes (access token)",
            "Lambda TOKEN authorizer (access token)"
        ]
    );

    // The first API is selected at the start: Cognito, no method scopes.
    // (Five calls in all: `call_book` tells a new answer by the history,
    // which keeps five.)
    let refused = call_book(&stack, "access").await;
    assert_answer(
        &refused,
        "401",
        "This API's Cognito user pool authorizer has no OAuth scopes",
    );
    assert!(
        !refused.explanation.contains("Lambda"),
        "{}",
        refused.explanation
    );

    select_api(&stack, &options[1]).await;
    let hint = stack
        .browser
        .testid("book-authorizer")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(hint.contains("method scopes books/read"), "{hint}");
    let id = call_book(&stack, "id").await;
    assert_answer(&id, "401", "OAuth scopes (books/read)");
    // The access token lacks books/read.
    let access = call_book(&stack, "access").await;
    assert_answer(&access, "401", "carries the scopes openid, email, profile");
    assert_answer(&access, "401", "asks for one of the scopes books/read");

    select_api(&stack, &options[2]).await;
    assert_answer(
        &call_book(&stack, "id").await,
        "401",
        "takes access tokens only",
    );
    assert_answer(&call_book(&stack, "access").await, "403", "Effect Deny");

    let apis_in_history = stack
        .browser
        .eval("return [...document.querySelectorAll('[data-testid=book-history] tbody tr td:first-child')].map(td => td.textContent)")
        .await;
    assert_eq!(
        apis_in_history[0], options[2],
        "the history names the API of each call: {apis_in_history}"
    );
    stack.close().await;
}

#[tokio::test]
async fn an_expired_token_is_explained_refreshed_once_and_retried() {
    // devstack's clock is frozen at the start; tokens live a minute.
    let clock = ManualClock::starting_now();
    let stack = Stack::with(Options {
        seed: |seed| {
            seed.tokens.id_seconds = 60;
            seed.tokens.access_seconds = 60;
        },
        // The refreshed tokens are issued "90 s later" by devstack's clock:
        // within the app's leeway for iat.
        config: json!({"clockSkewSeconds": 300}),
        clock: Some(clock.clock()),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    // For API Gateway the ID token is now past its exp.
    clock.advance(90);
    let expired = call_book(&stack, "id").await;
    assert_eq!(expired.status, "401");
    assert!(
        expired.body.contains("The incoming token has expired"),
        "{}",
        expired.body
    );
    assert!(
        expired.explanation.contains("has expired"),
        "{}",
        expired.explanation
    );

    let b = &stack.browser;
    let retry = b.testid("book-retry").await;
    let refreshed = b.testid("book-refresh").await.text().await.unwrap();
    assert!(refreshed.contains("refreshed once"), "{refreshed}");
    retry.click().await.unwrap();
    wait_until(&stack, "the retried call", || async {
        history_len(&stack).await == 2
    })
    .await;
    let again = read_answer(&stack).await;
    assert_eq!(again.status, "200", "the refreshed ID token passes");
    stack.close().await;
}

#[tokio::test]
async fn a_gateway_error_without_cors_is_a_network_error_explained() {
    let stack = Stack::with(Options {
        gateway_cors: false,
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let answer = call_book(&stack, "access").await;
    assert_eq!(answer.status, "network-error");
    assert!(
        answer.explanation.contains("without CORS headers"),
        "{}",
        answer.explanation
    );
    assert!(
        answer.explanation.contains("DEFAULT_4XX and DEFAULT_5XX"),
        "{}",
        answer.explanation
    );
    // A 200 carries CORS headers, so it still reads fine.
    assert_eq!(call_book(&stack, "id").await.status, "200");
    stack.close().await;
}

/// The hosted UI domain of a pool that answers userInfo with another
/// user's `sub` (as a misrouted or malicious endpoint would).
async fn foreign_userinfo() -> (String, tokio::task::JoinHandle<()>) {
    async fn answer(method: Method) -> Response {
        let mut res = if method == Method::OPTIONS {
            StatusCode::NO_CONTENT.into_response()
        } else {
            axum::Json(json!({
                "sub": "00000000-0000-4000-8000-000000000000",
                "username": "demo",
                "email": "someone.else@example.com",
            }))
            .into_response()
        };
        let h = res.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization"),
        );
        res
    }
    let app = axum::Router::new().route("/oauth2/userInfo", axum::routing::any(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (origin, task)
}

#[tokio::test]
async fn a_userinfo_answer_for_another_sub_is_rejected() {
    let stack = Stack::start().await;
    stack.sign_in("code").await;
    stack
        .browser
        .css("[data-testid=userinfo][data-status=ok]")
        .await;
    // The same tokens, but config.json now names a domain whose userInfo
    // answers for someone else (and the deployed CSP allows it); the
    // stored session is restored on reload.
    let (origin, server) = foreign_userinfo().await;
    let mut config: Value = stack.devstack.app_config_json(Some(&stack.site.origin()));
    config["domain"] = json!(origin);
    stack.site.set_config(config.to_string());
    let index = std::fs::read_to_string(e2e::dist_dir().join("index.html")).unwrap();
    let policy = e2e::csp::policy(&index, &config);
    stack
        .site
        .set_headers(e2e::csp::production_headers(&policy));
    stack.browser.goto(&stack.url("/profile")).await;
    stack.wait_signed_in().await;
    let b = &stack.browser;
    b.css("[data-testid=userinfo][data-status=rejected]").await;
    let text = b.testid("userinfo-error").await.text().await.unwrap();
    assert!(text.contains("differs from the ID token's sub"), "{text}");
    assert!(
        !b.body_text().await.contains("someone.else@example.com"),
        "the rejected attributes are not shown"
    );
    server.abort();
    stack.close().await;
}

/// Writes docs/screenshots/profile.png and book-403.png for the README.
#[tokio::test]
#[ignore = "writes the README screenshots: cargo test -p e2e --test inspect -- --ignored screenshots"]
async fn screenshots() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let stack = Stack::with(Options {
        authorizer: AuthorizerMode::Lambda,
        config: json!({"scopes": ["openid", "email", "profile"]}),
        ..Options::default()
    })
    .await;
    stack.sign_in("code").await;
    let b = &stack.browser;
    b.client.set_window_size(1280, 1400).await.unwrap();
    b.css("[data-testid=userinfo][data-status=ok]").await;
    b.eval("window.scrollTo(0, 0); return null").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.screenshot(&dir.join("profile.png")).await;

    b.client.set_window_size(1280, 1180).await.unwrap();
    let denied = call_book(&stack, "access").await;
    assert_eq!(denied.status, "403");
    b.eval("document.querySelector('[data-testid=book-console]').scrollIntoView({block: 'start'}); window.scrollBy(0, -16); return null")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.screenshot(&dir.join("book-403.png")).await;
    stack.close().await;
}
