use crate::common::*;
use devstack::config::seed::Flow;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_client_or_redirect_gives_an_html_page_and_no_redirect() {
    let s = stack().await;
    for extra in [
        vec![("client_id", "someoneelse0000000000000000")],
        vec![("client_id", "")],
        vec![("redirect_uri", "http://localhost:8080/callback/")],
        vec![("redirect_uri", "https://evil.example/callback")],
        vec![("redirect_uri", "")],
    ] {
        let res = s
            .get(&format!("/oauth2/authorize?{}", s.authorize_query(&extra)))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{extra:?}");
        assert!(res.headers().get("location").is_none());
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(res.text().await.unwrap().contains("error"));
    }
    // The /error page exists too, like Cognito's.
    let res = s.get("/error?error=redirect_mismatch").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("redirect_mismatch"));
}

async fn redirected_error(
    s: &Stack,
    extra: &[(&str, &str)],
) -> (String, std::collections::HashMap<String, String>) {
    let res = s
        .get(&format!("/oauth2/authorize?{}", s.authorize_query(extra)))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND, "{extra:?}");
    let loc = location(&res);
    assert!(loc.starts_with(CALLBACK), "{loc}");
    let p = params_of(&loc, false);
    (p["error"].clone(), p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameter_errors_are_redirected_with_state() {
    let s = stack().await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("response_type", "")], "invalid_request"),
        (&[("response_type", "id_token")], "invalid_request"),
        (&[("code_challenge_method", "")], "invalid_request"),
        (&[("code_challenge_method", "plain")], "invalid_request"),
        (&[("code_challenge", "")], "invalid_request"),
        (&[("code_challenge", "short")], "invalid_request"),
        (&[("scope", "openid books/write")], "invalid_scope"),
        (&[("scope", "email")], "invalid_scope"),
        (&[("scope", "profile books/read")], "invalid_scope"),
        (&[("scope", "phone openid")], "invalid_scope"),
    ];
    for (extra, want) in cases {
        let (error, p) = redirected_error(&s, extra).await;
        assert_eq!(&error, want, "{extra:?}");
        assert_eq!(p["state"], "c3RhdGUx");
        assert!(p.contains_key("error_description"));
        assert!(!p.contains_key("code"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_not_enabled_are_unauthorized_client() {
    let s = stack_with(|c| c.seed.client.allowed_flows = vec![Flow::Code]).await;
    let (error, _) = redirected_error(&s, &[("response_type", "token")]).await;
    assert_eq!(error, "unauthorized_client");
    let s = stack_with(|c| c.seed.client.allowed_flows = vec![Flow::Implicit]).await;
    let (error, _) = redirected_error(&s, &[]).await;
    assert_eq!(error, "unauthorized_client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_session_goes_to_login_with_the_same_query() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let res = s.get(&format!("/oauth2/authorize?{q}")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), format!("/login?{q}"));
    // Scope may be omitted: all the client's scopes are used.
    let q = s.authorize_query(&[("scope", "")]);
    let res = s.get(&format!("/oauth2/authorize?{q}")).await;
    assert_eq!(location(&res), format!("/login?{q}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_app_origins_are_registered() {
    let s = stack_with(|c| c.extra_app_origins = vec!["http://127.0.0.1:9999/".into()]).await;
    let q = s.authorize_query(&[("redirect_uri", "http://127.0.0.1:9999/callback")]);
    let res = s.get(&format!("/oauth2/authorize?{q}")).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).starts_with("/login?"));
    let cfg = s.handle.app_config_json(Some("http://127.0.0.1:9999"));
    assert_eq!(cfg["redirectUri"], "http://127.0.0.1:9999/callback");
    assert_eq!(cfg["logoutUri"], "http://127.0.0.1:9999/");
    assert_eq!(cfg["clientId"], "7devstack0local0client0abc");
    assert_eq!(cfg["domain"], s.handle.hosted_ui_url());
    assert_eq!(cfg["apiUrl"], s.handle.api_url());
    assert_eq!(cfg["jwksUri"], s.handle.jwks_url());
    assert_eq!(cfg["userPoolId"], "us-east-1_DevStack1");
    assert_eq!(cfg["region"], "us-east-1");
    assert!(cfg.get("issuer").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_parameters_are_invalid_request() {
    let s = stack().await;
    let base = s.authorize_query(&[]);
    // Trusted client and redirect URI: the error goes back to the app,
    // without a state (which of the two would it be?).
    for extra in [
        "state=c3RhdGUy",
        "scope=openid",
        "nonce=x",
        "response_type=code",
        "state=",
    ] {
        let q = format!("{base}&{extra}");
        for path in ["/oauth2/authorize", "/login"] {
            let res = s.get(&format!("{path}?{q}")).await;
            assert_eq!(res.status(), StatusCode::FOUND, "{path} {extra}");
            let p = params_of(&location(&res), false);
            assert_eq!(p["error"], "invalid_request", "{path} {extra}");
            assert!(!p.contains_key("state"), "{path} {extra}");
        }
    }
    // Two client ids or redirect URIs: nothing can be trusted, no redirect.
    for extra in [
        "redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback".to_string(),
        format!("client_id={}", s.handle.client_id()),
    ] {
        let res = s.get(&format!("/oauth2/authorize?{base}&{extra}")).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{extra}");
        assert!(res.headers().get("location").is_none());
        assert!(res.text().await.unwrap().contains("invalid_request"));
    }
}
