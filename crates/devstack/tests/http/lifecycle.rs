use crate::common::*;
use devstack::{DevStackConfig, Seed};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_and_jwks() {
    let s = stack().await;
    let res = reqwest::get(s.ui("/us-east-1_DevStack1/.well-known/openid-configuration"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["issuer"], s.handle.issuer());
    assert_eq!(doc["jwks_uri"], s.handle.jwks_url());
    assert_eq!(doc["token_endpoint"], s.ui("/oauth2/token"));
    assert_eq!(doc["authorization_endpoint"], s.ui("/oauth2/authorize"));
    assert_eq!(doc["userinfo_endpoint"], s.ui("/oauth2/userInfo"));
    assert_eq!(doc["revocation_endpoint"], s.ui("/oauth2/revoke"));

    let res = reqwest::get(s.handle.jwks_url()).await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let jwks: serde_json::Value = res.json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for k in keys {
        assert_eq!(k["kty"], "RSA");
        assert_eq!(k["alg"], "RS256");
        assert_eq!(k["use"], "sig");
        assert_eq!(k["e"], "AQAB");
        assert!(k["n"].as_str().unwrap().len() > 300);
    }
}

fn kids(jwks: &serde_json::Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_publishes_new_keys_and_keeps_the_previous_ones() {
    let s = stack().await;
    let before: serde_json::Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let old = s.tokens(&[], "demo").await;
    s.handle.rotate_keys();
    let after: serde_json::Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (before, after) = (kids(&before), kids(&after));
    assert_eq!(after.len(), 4);
    assert!(
        before.iter().all(|k| after.contains(k)),
        "old keys stay listed"
    );
    let new = s.tokens(&[], "demo").await;
    for (field, _) in [("id_token", ()), ("access_token", ())] {
        let kid_old = header(old[field].as_str().unwrap())["kid"]
            .as_str()
            .unwrap()
            .to_string();
        let kid_new = header(new[field].as_str().unwrap())["kid"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(kid_old, kid_new);
        assert!(!before.contains(&kid_new) && after.contains(&kid_new));
    }
    // Tokens signed with the old key still pass the API.
    let res = s.book(Some(old["id_token"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = s.book(Some(new["id_token"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::OK);

    // The control does the same, and keeps only the current and the
    // previous key of each kind: the first keys (and tokens signed with
    // them) are gone now.
    let res = reqwest::Client::new()
        .post(s.ui("/_devstack/rotate-keys"))
        .header("X-Devstack-Control", "1")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    let jwks: serde_json::Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all = kids(&jwks);
    assert_eq!(all.len(), 4);
    assert!(all.contains(&body["id_kid"].as_str().unwrap().to_string()));
    assert!(
        before.iter().all(|k| !all.contains(k)),
        "{before:?} {all:?}"
    );
    // Past the authorizer cache's 60 s, which still holds both results.
    s.clock.advance(61);
    let res = s.book(Some(new["id_token"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = s.book(Some(old["id_token"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_persist_in_the_state_dir() {
    let dir = std::env::temp_dir().join(format!("devstack-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let start = |dir: std::path::PathBuf| async move {
        let mut cfg = DevStackConfig::from_seed(Seed::builtin());
        cfg.hosted_ui_port = 0;
        cfg.api_port = 0;
        cfg.state_dir = Some(dir);
        devstack::start(cfg).await.unwrap()
    };
    let h = start(dir.clone()).await;
    let first: serde_json::Value = reqwest::get(h.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    h.shutdown().await;
    let mut pems: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pems.sort();
    assert_eq!(pems, [".gitignore", "access-0001.pem", "id-0001.pem"]);
    assert!(std::fs::read_to_string(dir.join("id-0001.pem"))
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    let h = start(dir.clone()).await;
    let second: serde_json::Value = reqwest::get(h.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kids(&first), kids(&second), "keys are reused");
    // Rotated-out keys leave the disk too; the kept ones come back.
    for _ in 0..3 {
        tokio::task::block_in_place(|| h.rotate_keys());
    }
    let rotated: serde_json::Value = reqwest::get(h.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    h.shutdown().await;
    let mut pems: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pems.sort();
    assert_eq!(
        pems,
        [
            ".gitignore",
            "access-0003.pem",
            "access-0004.pem",
            "id-0003.pem",
            "id-0004.pem"
        ]
    );
    let h = start(dir.clone()).await;
    let third: serde_json::Value = reqwest::get(h.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kids(&rotated), kids(&third));
    h.shutdown().await;
    // A half key pair is refused by name, not silently replaced.
    std::fs::remove_file(dir.join("access-0004.pem")).unwrap();
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    cfg.state_dir = Some(dir.clone());
    let err = devstack::start(cfg).await.err().expect("a broken key set");
    let err = format!("{err:#}");
    assert!(
        err.contains(&dir.display().to_string()) && err.contains("access keys [3]"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_port_is_a_clear_error_and_shutdown_frees_ports() {
    let s = stack().await;
    let port: u16 = url::Url::parse(&s.handle.hosted_ui_url())
        .unwrap()
        .port()
        .unwrap();
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = port;
    cfg.api_port = 0;
    cfg.keys = Some(keys());
    let err = devstack::start(cfg.clone())
        .await
        .err()
        .expect("port is busy")
        .to_string();
    assert!(
        err.contains(&port.to_string()) && err.contains("busy"),
        "{err}"
    );
    s.handle.shutdown().await;
    let h = devstack::start(cfg)
        .await
        .expect("port free after shutdown");
    h.shutdown().await;
}

#[test]
fn bad_seed_errors_name_the_field() {
    let base = devstack::config::seed::DEFAULT_SEED_TOML;
    let cases = [
        (
            base.replace("id_seconds = 3600", "id_seconds = \"soon\""),
            "id_seconds",
        ),
        (
            base.replace(
                "sub = \"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\"",
                "sub = \"nope\"",
            ),
            "users[1].sub",
        ),
        (
            base.replace("\"books/read\"]\n# Refresh", "\"books/write\"]\n# Refresh"),
            "allowed_scopes",
        ),
        (
            base.replace("[\"code\", \"implicit\"]", "[\"code\", \"password\"]"),
            "password",
        ),
        (
            base.replace("\"http://localhost:8080/callback\",", "\"not a url\","),
            "client.callback_urls[0]",
        ),
    ];
    for (text, field) in cases {
        let err = Seed::parse(&text, "test.toml").unwrap_err().to_string();
        assert!(err.contains(field), "{field}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_of_a_seed_built_in_code_are_checked_like_a_seed_file() {
    let mut cfg = devstack::DevStackConfig::from_seed(devstack::Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    cfg.keys = Some(keys());
    cfg.seed.api.routes = vec!["GET /{id}".into()];
    let Err(err) = devstack::start(cfg).await else {
        panic!("a route axum would read as a capture was accepted");
    };
    assert!(err.to_string().contains("api.routes[0]"), "{err}");
}
