//! devstack under hostile load, on loopback, each run bounded in time: the
//! same code redeemed at once by many clients, oversized headers and bodies,
//! malformed forms, stalled (slowloris) clients and a flood of connections.
//! Every case ends with a clean refusal, the server keeps serving, and no
//! request panicked (`Handle::panics`).

use devstack::{DevStackConfig, Handle, KeyStore, Seed};
use reqwest::{Client, StatusCode};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Resident memory is the whole test process's: the test that measures it
/// and the one that sends megabyte bodies take turns, or one's buffers would
/// read as the other's growth.
static MEMORY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A megabyte body is refused with 413. The server answers before reading
/// it and closes, so the client may instead fail mid-send: the body was
/// refused either way, and a 2xx or another status fails the test.
fn assert_too_large(sent: reqwest::Result<reqwest::Response>, what: &str) {
    match sent {
        Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{what}"),
        Err(e) => assert!(
            e.is_request() || e.is_body(),
            "{what}: neither a 413 nor a connection closed mid-send: {e}"
        ),
    }
}

mod support;
use support::{CALLBACK, CHALLENGE, VERIFIER};

fn keys() -> KeyStore {
    static KEYS: OnceLock<KeyStore> = OnceLock::new();
    KEYS.get_or_init(|| KeyStore::generate().expect("keygen"))
        .clone()
}

async fn stack_with(tweak: impl FnOnce(&mut DevStackConfig)) -> Handle {
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    cfg.keys = Some(keys());
    cfg.capture_log = true;
    tweak(&mut cfg);
    devstack::start(cfg).await.expect("stack starts")
}

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn host_port(url: &str) -> String {
    url.trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string()
}

/// Sends raw bytes on a fresh connection and reads the whole answer (the
/// server closes after an error response); bounded by a timeout.
async fn raw(addr: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // A server may answer (and close) before reading all of an oversized
    // request: a write error then is fine, the answer is what counts.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes within 5 s");
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

/// A fresh authorization code for the demo user (code + PKCE).
async fn code(handle: &Handle) -> String {
    support::demo_code(&handle.hosted_ui_url(), handle.client_id().as_str()).await
}

async fn assert_still_serving(handle: &Handle) {
    let res = client()
        .get(handle.jwks_url())
        .send()
        .await
        .expect("the server still answers");
    assert_eq!(res.status(), StatusCode::OK);
}

async fn finish(handle: Handle) {
    assert_still_serving(&handle).await;
    assert_eq!(handle.panics(), 0, "no request panicked");
    handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_redemption_of_one_code_has_exactly_one_winner() {
    let handle = stack_with(|_| {}).await;
    for _round in 0..3 {
        let code = code(&handle).await;
        let token_url = format!("{}/oauth2/token", handle.hosted_ui_url());
        let client_id = handle.client_id();
        let attempts: Vec<_> = (0..24)
            .map(|_| {
                let (url, code, client_id) = (token_url.clone(), code.clone(), client_id.clone());
                tokio::spawn(async move {
                    let res = Client::new()
                        .post(url)
                        .form(&[
                            ("grant_type", "authorization_code"),
                            ("client_id", client_id.as_str()),
                            ("code", code.as_str()),
                            ("redirect_uri", CALLBACK),
                            ("code_verifier", VERIFIER),
                        ])
                        .send()
                        .await
                        .unwrap();
                    let status = res.status();
                    let body: serde_json::Value = res.json().await.unwrap();
                    (status, body)
                })
            })
            .collect();
        let mut wins = 0;
        for attempt in attempts {
            let (status, body) = attempt.await.unwrap();
            if status == StatusCode::OK {
                wins += 1;
                assert!(body["id_token"].is_string());
            } else {
                assert_eq!(status, StatusCode::BAD_REQUEST);
                assert_eq!(body["error"], "invalid_grant", "{body}");
            }
        }
        assert_eq!(wins, 1, "exactly one redemption wins");
    }
    finish(handle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_headers_and_bodies_are_refused_cleanly() {
    let _turn = MEMORY.lock().await;
    let handle = stack_with(|cfg| cfg.request_timeout = Duration::from_secs(2)).await;
    let ui = host_port(&handle.hosted_ui_url());
    let api = host_port(&handle.api_url());

    // One header larger than hyper's whole read buffer (~400 KiB): 431.
    let huge = "a".repeat(512 * 1024);
    let answer = raw(
        &ui,
        format!("GET /login HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n").as_bytes(),
    )
    .await;
    assert_eq!(
        status_of(&answer),
        431,
        "{}",
        &answer[..answer.len().min(200)]
    );

    // A huge bearer token to the API: refused the same way.
    let answer = raw(
        &api,
        format!("GET /prod/book HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {huge}\r\n\r\n")
            .as_bytes(),
    )
    .await;
    assert_eq!(status_of(&answer), 431);

    // More header fields than hyper parses (100): 431.
    let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let answer = raw(
        &ui,
        format!("GET /login HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes(),
    )
    .await;
    assert_eq!(status_of(&answer), 431);

    // A 1 MiB form body at the token endpoint: 413 before any parsing.
    let body = format!("grant_type=authorization_code&code={}", "c".repeat(1 << 20));
    let res = client()
        .post(format!("{}/oauth2/token", handle.hosted_ui_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await;
    assert_too_large(res, "/oauth2/token");
    for path in ["/login", "/oauth2/revoke"] {
        let res = client()
            .post(format!("{}{path}", handle.hosted_ui_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await;
        assert_too_large(res, path);
    }

    // A body announced as huge but never sent: refused on the length alone,
    // without waiting for it.
    let answer = raw(
        &ui,
        b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\ngrant_type=",
    )
    .await;
    assert_eq!(status_of(&answer), 413);

    // A body announced small but never sent: 408 after the request timeout.
    let started = Instant::now();
    let answer = raw(
        &ui,
        b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=",
    )
    .await;
    assert_eq!(status_of(&answer), 408);
    assert!(started.elapsed() < Duration::from_secs(4));

    // Garbage instead of HTTP: 400, not a hang.
    let answer = raw(
        &ui,
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 400);
    let answer = raw(
        &ui,
        b"GET /login HTTP/1.1\r\nHost: x\r\nBad Header Name: v\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 400);

    // A query string far beyond anything legitimate: refused, not parsed forever.
    let answer = raw(
        &ui,
        format!("GET /oauth2/authorize?state={huge} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(
        matches!(status_of(&answer), 400 | 414 | 431),
        "{}",
        &answer[..answer.len().min(200)]
    );

    finish(handle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_forms_get_oauth_errors() {
    let handle = stack_with(|_| {}).await;
    let token = format!("{}/oauth2/token", handle.hosted_ui_url());
    let client_id = handle.client_id();
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (form, b"".to_vec(), "invalid_request"),
        (form, b"%%%%&&&===&%zz=%".to_vec(), "invalid_request"),
        (form, b"\xff\xfe\x00grant_type=authorization_code".to_vec(), "invalid_request"),
        ("application/json", br#"{"grant_type":"authorization_code"}"#.to_vec(), "invalid_request"),
        (
            form,
            format!("grant_type=authorization_code&client_id={client_id}&code=&redirect_uri=").into_bytes(),
            "invalid_request",
        ),
        (
            form,
            format!("grant_type=authorization_code&client_id={client_id}&code=nope&redirect_uri={CALLBACK}&code_verifier=x").into_bytes(),
            "invalid_grant",
        ),
        (
            form,
            format!("grant_type=password&client_id={client_id}").into_bytes(),
            "unsupported_grant_type",
        ),
        (form, b"grant_type=refresh_token&client_id=someone-else&refresh_token=x".to_vec(), "invalid_client"),
        (
            form,
            format!("grant_type=refresh_token&client_id={client_id}&refresh_token=%00%0a%0d").into_bytes(),
            "invalid_grant",
        ),
        (
            form,
            // Thousands of parameters, still under the body limit.
            (0..6000).map(|i| format!("p{i}=v&")).collect::<String>().into_bytes(),
            "invalid_request",
        ),
    ];
    for (content_type, body, error) in cases {
        let res = client()
            .post(&token)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = res.status();
        let json: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            (status, json["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some(error)),
            "{}",
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
    }

    // Login and revoke with junk forms: clean 4xx, never 500.
    for (path, body) in [
        ("/login", "%zz&_csrf=&username=%00&password="),
        ("/login?client_id=%ff%fe", "_csrf=x"),
        ("/oauth2/revoke", "token=&client_id=%"),
        ("/oauth2/revoke", "token=x&token=y"),
    ] {
        let res = client()
            .post(format!("{}{path}", handle.hosted_ui_url()))
            .header("content-type", form)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_client_error(),
            "{path} {body}: {}",
            res.status()
        );
    }
    // Hostile query strings on every GET endpoint.
    for path in [
        "/oauth2/authorize?response_type=code&client_id=%ff&redirect_uri=javascript:alert(1)",
        "/oauth2/authorize?response_type=token&response_type=code&client_id=x",
        "/logout?client_id=%00&logout_uri=data:text/html,hi",
        "/login?redirect_uri=%E2%80%AE",
        "/error?error=<script>alert(1)</script>",
        "/oauth2/userInfo",
    ] {
        let res = client()
            .get(format!("{}{path}", handle.hosted_ui_url()))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
        let body = res.text().await.unwrap();
        assert!(!body.contains("<script>"), "{path} reflects markup: {body}");
    }
    finish(handle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_client_does_not_block_others_and_is_cut_off() {
    let handle = stack_with(|cfg| cfg.header_read_timeout = Duration::from_secs(1)).await;
    let ui = host_port(&handle.hosted_ui_url());
    // Twenty clients send half a request line and stall.
    let mut stalled = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(&ui).await.unwrap();
        s.write_all(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Le")
            .await
            .unwrap();
        stalled.push(s);
    }
    // Others are served at once meanwhile.
    let started = Instant::now();
    for _ in 0..10 {
        assert_still_serving(&handle).await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "served in {:?} despite the stalled clients",
        started.elapsed()
    );
    // And each stalled client is disconnected after the header timeout.
    let started = Instant::now();
    for mut s in stalled {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "a stalled client is cut off within 5 s");
    }
    assert!(started.elapsed() < Duration::from_secs(4));
    finish(handle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_flood_is_capped_and_the_server_recovers() {
    let _turn = MEMORY.lock().await;
    let handle = stack_with(|cfg| {
        cfg.header_read_timeout = Duration::from_secs(1);
        cfg.max_connections = 8;
    })
    .await;
    let ui = host_port(&handle.hosted_ui_url());
    let rss_before = rss_kib();
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(&ui).await.unwrap();
        s.write_all(b"GET /login HTTP/1.1\r\n").await.unwrap();
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Over the cap: accepted, then closed at once without an answer.
    let mut extra = TcpStream::connect(&ui).await.unwrap();
    let mut buf = Vec::new();
    let _ = extra
        .write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let read = tokio::time::timeout(Duration::from_secs(2), extra.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "refused at once, not queued");
    assert!(buf.is_empty(), "no answer over the cap");
    // After the header timeout frees the slots, service is back.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(held);
    // A burst of a few hundred short connections leaves memory where it was.
    for _ in 0..40 {
        let batch: Vec<_> = (0..8)
            .map(|_| {
                let ui = ui.clone();
                tokio::spawn(async move {
                    raw(&ui, b"GET /oauth2/authorize?x=%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .await
                })
            })
            .collect();
        for answer in batch {
            let answer = answer.await.unwrap();
            // Under the cap these are answered (the hosted UI's error page).
            assert!(answer.is_empty() || status_of(&answer) == 400, "{answer}");
        }
    }
    if let (Some(before), Some(after)) = (rss_before, rss_kib()) {
        assert!(
            after.saturating_sub(before) < 64 * 1024,
            "resident memory grew from {before} KiB to {after} KiB"
        );
    }
    finish(handle).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_never_holds_codes_states_or_tokens() {
    let handle = stack_with(|_| {}).await;
    let code = code(&handle).await;
    let res = Client::new()
        .post(format!("{}/oauth2/token", handle.hosted_ui_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", handle.client_id().as_str()),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    let tokens: serde_json::Value = res.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap().to_string();
    let res = Client::new()
        .get(format!("{}/book", handle.api_url()))
        .header("authorization", &id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let lines = handle.log_lines();
    assert!(lines.len() >= 4, "{lines:?}");
    let refresh = tokens["refresh_token"].as_str().unwrap();
    for line in &lines {
        for secret in [
            code.as_str(),
            id_token.as_str(),
            refresh,
            VERIFIER,
            CHALLENGE,
            "c3RhdGUx",
            "Passw0rd!",
        ] {
            assert!(
                !line.contains(secret),
                "the log line {line:?} leaks a secret"
            );
        }
        assert!(!line.contains('?'), "no query strings in {line:?}");
    }
    finish(handle).await;
}

/// Resident memory of this process (Linux), in KiB.
fn rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
