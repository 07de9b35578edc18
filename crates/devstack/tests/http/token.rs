use crate::common::*;
use reqwest::{Client, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_flow_with_pkce_rfc7636_vector() {
    let s = stack().await;
    let code = s.code_for(&[], "demo").await;
    let res = s.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    for k in ["access_token", "id_token", "refresh_token"] {
        assert!(body[k].as_str().is_some_and(|t| !t.is_empty()), "{k}");
    }
    assert_eq!(
        body["refresh_token"].as_str().unwrap().split('.').count(),
        5
    );
    // Single use.
    let res = s.exchange(&code).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(res).await, "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifier_redirect_uri_and_expiry_are_checked() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    let redeem = |code: String, redirect: &'static str, verifier: Option<&'static str>| {
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("client_id", client_id.clone()),
            ("code", code),
            ("redirect_uri", redirect.to_string()),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v.to_string()));
        }
        let url = s.ui("/oauth2/token");
        async move { Client::new().post(url).form(&form).send().await.unwrap() }
    };
    let wrong_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX";
    for (redirect, verifier) in [
        (CALLBACK, Some(wrong_verifier)),
        (CALLBACK, None),
        ("http://127.0.0.1:8080/callback", Some(VERIFIER)),
        ("http://localhost:8080/callback/", Some(VERIFIER)),
    ] {
        let code = s.code_for(&[], "demo").await;
        let res = redeem(code.clone(), redirect, verifier).await;
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "{redirect} {verifier:?}"
        );
        assert_eq!(error_of(res).await, "invalid_grant");
        // A failed attempt burns the code.
        assert_eq!(error_of(s.exchange(&code).await).await, "invalid_grant");
    }
    // Expiry: 5 minutes.
    let code = s.code_for(&[], "demo").await;
    s.clock.advance(299);
    assert_eq!(s.exchange(&code).await.status(), StatusCode::OK);
    let code = s.code_for(&[], "demo").await;
    s.clock.advance(301);
    assert_eq!(error_of(s.exchange(&code).await).await, "invalid_grant");
    assert_eq!(
        error_of(s.exchange("unknown-code").await).await,
        "invalid_grant"
    );
    // Without PKCE at authorize, no verifier is needed.
    let code = s
        .code_for(
            &[("code_challenge", ""), ("code_challenge_method", "")],
            "demo",
        )
        .await;
    assert_eq!(redeem(code, CALLBACK, None).await.status(), StatusCode::OK);
    // ...and one sent anyway is refused, as a live pool does: the code
    // was not bound to a verifier, so a verifier cannot redeem it.
    let code = s
        .code_for(
            &[("code_challenge", ""), ("code_challenge_method", "")],
            "demo",
        )
        .await;
    let res = redeem(code.clone(), CALLBACK, Some(VERIFIER)).await;
    assert_eq!(error_of(res).await, "invalid_grant");
    assert_eq!(
        error_of(redeem(code, CALLBACK, None).await).await,
        "invalid_grant",
        "the failed attempt burnt the code"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_form_parameters_are_invalid_request() {
    let s = stack().await;
    let client_id = s.handle.client_id();
    for repeated in [
        "redirect_uri",
        "code",
        "grant_type",
        "client_id",
        "code_verifier",
    ] {
        let code = s.code_for(&[], "demo").await;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ];
        let again = form.iter().find(|(k, _)| *k == repeated).copied().unwrap();
        form.push(again);
        let res = s.token(&form).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{repeated}");
        assert_eq!(error_of(res).await, "invalid_request", "{repeated}");
    }
    // /oauth2/revoke too: which of two tokens would it revoke?
    let res = Client::new()
        .post(s.ui("/oauth2/revoke"))
        .form(&[
            ("client_id", client_id.as_str()),
            ("token", "a"),
            ("token", "b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(res).await, "invalid_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_token_requests() {
    let s = stack().await;
    let url = s.ui("/oauth2/token");
    let client_id = s.handle.client_id();
    // JSON body.
    let res = Client::new()
        .post(&url)
        .json(&serde_json::json!({"grant_type": "refresh_token", "client_id": client_id, "refresh_token": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert_eq!(error_of(res).await, "invalid_request");
    // GET.
    let res = Client::new().get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    // Other grants, bad client, missing fields.
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
            ],
            "unsupported_grant_type",
        ),
        (
            vec![("grant_type", "password"), ("client_id", &client_id)],
            "unsupported_grant_type",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", "nope"),
                ("code", "x"),
                ("redirect_uri", CALLBACK),
            ],
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
            ],
            "invalid_request",
        ),
        (vec![("client_id", &client_id)], "invalid_request"),
        (vec![("grant_type", "refresh_token")], "invalid_request"),
        (
            vec![("grant_type", "refresh_token"), ("client_id", &client_id)],
            "invalid_request",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", &client_id),
                ("refresh_token", "garbage"),
            ],
            "invalid_grant",
        ),
    ];
    for (form, want) in cases {
        let res = s.token(&form).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{form:?}");
        assert_eq!(error_of(res).await, want, "{form:?}");
    }
    // Oversized body.
    let big = "a".repeat(100 * 1024);
    let res = s
        .token(&[
            ("grant_type", "refresh_token"),
            ("client_id", &client_id),
            ("refresh_token", &big),
        ])
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflights_for_oauth_endpoints() {
    let s = stack().await;
    for path in ["/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo"] {
        let res = Client::new()
            .request(reqwest::Method::OPTIONS, s.ui(path))
            .header("Origin", "http://localhost:8080")
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type",
            )
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}");
        assert_eq!(res.headers()["access-control-allow-origin"], "*");
        let allow = res.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(allow.contains("authorization") && allow.contains("content-type"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_without_rotation_keeps_the_refresh_token() {
    let s = stack().await;
    let first = s.tokens(&[], "demo").await;
    let rt = first["refresh_token"].as_str().unwrap();
    s.clock.advance(600);
    let res = s.refresh(rt).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body.get("refresh_token").is_none());
    assert_eq!(body["token_type"], "Bearer");
    let (old_id, new_id) = (
        payload(first["id_token"].as_str().unwrap()),
        payload(body["id_token"].as_str().unwrap()),
    );
    let new_access = payload(body["access_token"].as_str().unwrap());
    assert_eq!(new_id["auth_time"], old_id["auth_time"]);
    assert_eq!(new_access["auth_time"], old_id["auth_time"]);
    assert_eq!(new_id["origin_jti"], old_id["origin_jti"]);
    assert_eq!(
        new_id["iat"].as_i64().unwrap(),
        old_id["iat"].as_i64().unwrap() + 600
    );
    assert_ne!(new_id["jti"], old_id["jti"]);
    assert!(
        new_id.get("nonce").is_none(),
        "refreshed ID tokens carry no nonce"
    );
    // Still usable again.
    assert_eq!(s.refresh(rt).await.status(), StatusCode::OK);
    // Until it expires (30 days).
    s.clock.advance(30 * 24 * 3600);
    assert_eq!(error_of(s.refresh(rt).await).await, "invalid_grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_with_rotation_returns_a_new_token_and_honours_the_grace_period() {
    let s = stack_with(|c| c.seed.client.refresh_rotation = true).await;
    let first = s.tokens(&[], "demo").await;
    let rt1 = first["refresh_token"].as_str().unwrap().to_string();
    let body: serde_json::Value = s.refresh(&rt1).await.json().await.unwrap();
    let rt2 = body["refresh_token"]
        .as_str()
        .expect("rotated refresh token")
        .to_string();
    assert_ne!(rt1, rt2);
    // The old one works during the 60 s grace period…
    s.clock.advance(30);
    assert_eq!(s.refresh(&rt1).await.status(), StatusCode::OK);
    // …and not after.
    s.clock.advance(31);
    assert_eq!(error_of(s.refresh(&rt1).await).await, "invalid_grant");
    let res = s.refresh(&rt2).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["refresh_token"].as_str().is_some());
}
