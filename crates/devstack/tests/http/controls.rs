//! The `/_devstack` live controls, against a real stack: each one's effect
//! on the next request, and refusal of every request another site could
//! make.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn ok(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn userinfo(s: &Stack, access: &str) -> StatusCode {
    Client::new()
        .get(s.ui("/oauth2/userInfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expire_makes_every_issued_token_expired_until_the_clock_is_reset() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let id = format!("Bearer {}", t["id_token"].as_str().unwrap());
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(s.book(Some(&id)).await.status(), StatusCode::OK);
    assert_eq!(userinfo(&s, access).await, StatusCode::OK);

    let state = ok(s.control("expire-tokens", json!({})).await).await;
    assert_eq!(state["clock"]["offset_seconds"], 3601);
    let res = s.book(Some(&id)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["message"], "The incoming token has expired");
    let scoped = s
        .book_at("/cognito-scopes", Some(&format!("Bearer {access}")))
        .await;
    assert_eq!(scoped.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(userinfo(&s, access).await, StatusCode::UNAUTHORIZED);

    let state = ok(s.control("reset-clock", json!({})).await).await;
    assert_eq!(state["clock"]["offset_seconds"], 0);
    assert_eq!(s.book(Some(&id)).await.status(), StatusCode::OK);

    let res = s.control("expire-tokens", json!({"seconds": 0})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = s.control("expire-tokens", json!({"minutes": 5})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(s.control_state().await["clock"]["offset_seconds"], 0);
}

fn kid(jwt: &str) -> String {
    header(jwt)["kid"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_keeps_the_current_and_previous_keys_only() {
    let s = stack().await;
    let oldest = s.tokens(&[], "demo").await;
    for _ in 0..3 {
        ok(s.control("rotate-keys", json!({})).await).await;
    }
    let previous = s.tokens(&[], "demo").await;
    let answer = ok(s.control("rotate-keys", json!({})).await).await;
    let jwks: Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 4, "two ID keys and two access keys: {kids:?}");
    assert!(kids.contains(&answer["id_kid"].as_str().unwrap()));
    assert!(kids.contains(&answer["access_kid"].as_str().unwrap()));

    let fresh = s.tokens(&[], "demo").await;
    assert_eq!(kid(fresh["id_token"].as_str().unwrap()), answer["id_kid"]);
    let state = s.control_state().await;
    assert_eq!(state["keys"]["signing_id_kid"], answer["id_kid"]);
    assert_eq!(state["keys"]["id_kids"].as_array().unwrap().len(), 2);
    for (tokens, status) in [
        (&fresh, StatusCode::OK),
        // Signed with the previous key: still verifies until it ages out.
        (&previous, StatusCode::OK),
        // Signed four rotations ago: its key is gone.
        (&oldest, StatusCode::UNAUTHORIZED),
    ] {
        let id = format!("Bearer {}", tokens["id_token"].as_str().unwrap());
        assert_eq!(s.book(Some(&id)).await.status(), status);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_cors_switches_off_and_on_for_gateway_errors_only() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let id = format!("Bearer {}", t["id_token"].as_str().unwrap());
    let allow_origin = |res: &reqwest::Response| {
        res.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_string())
    };

    let state = ok(s.control("gateway-cors", json!({"enabled": false})).await).await;
    assert_eq!(state["gateway_cors"], false);
    for base in ["", "/cognito", "/lambda"] {
        let res = s.book_at(base, Some("Bearer nope")).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(allow_origin(&res), None, "{base}");
    }
    let res = s.book_at("/missing", None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(allow_origin(&res), None);
    // The backend's own answer keeps its CORS headers.
    let res = s.book(Some(&id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(allow_origin(&res).as_deref(), Some("*"));

    ok(s.control("gateway-cors", json!({"enabled": true})).await).await;
    let res = s.book(Some("Bearer nope")).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(allow_origin(&res).as_deref(), Some("*"));
    assert_eq!(s.control_state().await["gateway_cors"], true);
    let res = s.control("gateway-cors", json!({"enabled": "no"})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_groups_change_shows_in_the_next_refreshed_token() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let refresh_token = t["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(
        payload(t["id_token"].as_str().unwrap())["cognito:groups"],
        json!(["readers"])
    );

    ok(
        s.control("groups", json!({"username": "demo", "groups": []}))
            .await,
    )
    .await;
    let res = s.refresh(&refresh_token).await;
    let refreshed: Value = ok(res).await;
    let claims = payload(refreshed["id_token"].as_str().unwrap());
    assert!(claims.get("cognito:groups").is_none(), "{claims}");

    let state = ok(s
        .control("groups", json!({"username": "demo", "groups": ["readers"]}))
        .await)
    .await;
    let demo = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "demo")
        .unwrap()
        .clone();
    assert_eq!(demo["groups"], json!(["readers"]));
    let refresh_token = refreshed["refresh_token"]
        .as_str()
        .unwrap_or(&refresh_token)
        .to_string();
    let refreshed: Value = ok(s.refresh(&refresh_token).await).await;
    assert_eq!(
        payload(refreshed["id_token"].as_str().unwrap())["cognito:groups"],
        json!(["readers"])
    );

    // An unknown group changes nothing, not even the known ones asked for.
    let res = s
        .control(
            "groups",
            json!({"username": "outsider", "groups": ["readers", "admins"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "ResourceNotFoundException");
    let state = s.control_state().await;
    let outsider = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "outsider")
        .unwrap()
        .clone();
    assert_eq!(outsider["groups"], json!([]));
    let res = s
        .control("groups", json!({"username": "nobody", "groups": []}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_revokes_every_refresh_token_of_the_user() {
    let s = stack().await;
    let first = s.tokens(&[], "demo").await;
    let second = s.tokens(&[], "demo").await;
    let other = s.tokens(&[], "outsider").await;
    let state = ok(s.control("sign-out", json!({"username": "demo"})).await).await;
    let demo = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "demo")
        .unwrap()
        .clone();
    assert!(demo["signed_out_at"].is_i64());
    for t in [&first, &second] {
        let res = s.refresh(t["refresh_token"].as_str().unwrap()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error_of(res).await, "invalid_grant");
    }
    let res = s.refresh(other["refresh_token"].as_str().unwrap()).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "other users keep their sessions"
    );
    let res = s.control("sign-out", json!({"username": "nobody"})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_next_fails_exactly_the_next_token_request() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let refresh_token = t["refresh_token"].as_str().unwrap();

    let state = ok(s
        .control("fail-next-token", json!({"error": "invalid_grant"}))
        .await)
    .await;
    assert_eq!(state["fail_next_token"], json!({"error": "invalid_grant"}));
    let res = s.refresh(refresh_token).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert_eq!(error_of(res).await, "invalid_grant");
    assert_eq!(s.refresh(refresh_token).await.status(), StatusCode::OK);
    assert_eq!(s.control_state().await["fail_next_token"], Value::Null);

    ok(s.control("fail-next-token", json!({"status": 500})).await).await;
    let res = s.refresh(refresh_token).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_of(res).await, "server_error");
    // A code exchange is a token request too.
    ok(
        s.control("fail-next-token", json!({"error": "invalid_request"}))
            .await,
    )
    .await;
    let code = s.code_for(&[], "demo").await;
    let res = s.exchange(&code).await;
    assert_eq!(error_of(res).await, "invalid_request");

    // Disarming, and what is refused.
    ok(
        s.control("fail-next-token", json!({"error": "invalid_grant"}))
            .await,
    )
    .await;
    ok(s.control("fail-next-token", json!({})).await).await;
    assert_eq!(s.refresh(refresh_token).await.status(), StatusCode::OK);
    for body in [
        json!({"error": "access_denied"}),
        json!({"status": 404}),
        json!({"error": "invalid_grant", "status": 500}),
    ] {
        let res = s.control("fail-next-token", body.clone()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    assert_eq!(s.control_state().await["fail_next_token"], Value::Null);
}

const CONTROLS: [(&str, &str); 7] = [
    ("expire-tokens", "{}"),
    ("reset-clock", "{}"),
    ("rotate-keys", "{}"),
    ("gateway-cors", r#"{"enabled":false}"#),
    ("groups", r#"{"username":"demo","groups":[]}"#),
    ("sign-out", r#"{"username":"demo"}"#),
    ("fail-next-token", r#"{"error":"invalid_grant"}"#),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_control_refuses_what_another_site_could_send() {
    let s = stack().await;
    let before = s.control_state().await;
    let client = Client::new();
    for (name, body) in CONTROLS {
        let url = s.ui(&format!("/_devstack/{name}"));
        let post = || client.post(&url).body(body);
        let attempts = [
            (
                "no custom header",
                post().header("Content-Type", "application/json"),
            ),
            (
                "text/plain form post",
                post().header("Content-Type", "text/plain"),
            ),
            (
                "urlencoded form post",
                post()
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Devstack-Control", "1"),
            ),
            (
                "evil Origin",
                post()
                    .header("Content-Type", "application/json")
                    .header("X-Devstack-Control", "1")
                    .header("Origin", "https://evil.example"),
            ),
            (
                "cross-site fetch",
                post()
                    .header("Content-Type", "application/json")
                    .header("X-Devstack-Control", "1")
                    .header("Sec-Fetch-Site", "cross-site"),
            ),
            (
                "rebound DNS name",
                post()
                    .header("Content-Type", "application/json")
                    .header("X-Devstack-Control", "1")
                    .header("Host", "evil.example"),
            ),
        ];
        for (what, request) in attempts {
            let res = request.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name}: {what}");
            let answer: Value = res.json().await.unwrap();
            assert_eq!(answer["error"], "cross_site_refused", "{name}: {what}");
        }
        let res = client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{name}: GET");
        let preflight = client
            .request(reqwest::Method::OPTIONS, &url)
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "content-type,x-devstack-control",
            )
            .send()
            .await
            .unwrap();
        let allow: Vec<_> = preflight
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .collect();
        assert!(allow.is_empty(), "{name}: preflight allowed {allow:?}");
    }
    let after = s.control_state().await;
    for key in ["clock", "keys", "gateway_cors", "fail_next_token", "users"] {
        assert_eq!(before[key], after[key], "{key} changed");
    }
    // The state is readable here but not by other sites (no CORS headers).
    let res = client
        .get(s.ui("/_devstack/state"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    for path in ["/_devstack/state", "/_devstack"] {
        let res = client
            .get(s.ui(path))
            .header("Host", "evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{path} on a rebound name"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_drives_the_controls_with_fetch() {
    let s = stack().await;
    let res = reqwest::get(s.ui("/_devstack")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let html = res.text().await.unwrap();
    assert!(html.contains("\"X-Devstack-Control\": \"1\""));
    assert!(html.contains("\"Content-Type\": \"application/json\""));
    for (name, _) in CONTROLS {
        assert!(
            html.contains(&format!("\"{name}\""))
                || html.contains(&format!("data-control=\"{name}\"")),
            "the page has no button for {name}"
        );
    }
    // The page's own requests (same origin, as a browser sends them) pass.
    let origin = s.handle.hosted_ui_url();
    let res = Client::new()
        .post(s.ui("/_devstack/gateway-cors"))
        .header("Content-Type", "application/json")
        .header("X-Devstack-Control", "1")
        .header("Origin", &origin)
        .header("Sec-Fetch-Site", "same-origin")
        .body(r#"{"enabled":false}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
