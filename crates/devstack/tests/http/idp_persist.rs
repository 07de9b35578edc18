//! The user pool survives a restart: users created or changed at runtime,
//! refresh tokens and revocations, from `<state dir>/user-pool.json`.

use crate::common::*;
use devstack::{DevStackConfig, Seed};
use reqwest::StatusCode;
use serde_json::json;
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "devstack-{name}-{}-{}",
        std::process::id(),
        devstack::ids::uuid_v4()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn stack_in(dir: &Path) -> Stack {
    let dir = dir.to_path_buf();
    stack_with(move |c| c.state_dir = Some(dir)).await
}

#[tokio::test]
async fn users_refresh_tokens_and_revocations_survive_a_restart() {
    let dir = temp_dir("persist");
    let s = stack_in(&dir).await;
    let cid = s.handle.client_id();
    assert_eq!(
        call(
            &s,
            "SignUp",
            json!({"ClientId": cid, "Username": "kim", "Password": "Kim-passw0rd!"})
        )
        .await
        .status,
        StatusCode::OK
    );
    call(
        &s,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "kim"}),
    )
    .await;
    call(&s, "AdminSetUserPassword", json!({"UserPoolId": POOL, "Username": "demo", "Password": "Changed-passw0rd", "Permanent": true})).await;
    call(
        &s,
        "AdminDeleteUser",
        json!({"UserPoolId": POOL, "Username": "outsider"}),
    )
    .await;
    let kept = password_auth(&s, "kim", "Kim-passw0rd!").await.body["AuthenticationResult"]
        ["RefreshToken"]
        .clone();
    let revoked = password_auth(&s, "kim", "Kim-passw0rd!").await.body["AuthenticationResult"]
        ["RefreshToken"]
        .clone();
    call(
        &s,
        "RevokeToken",
        json!({"Token": revoked, "ClientId": cid}),
    )
    .await;
    s.handle.shutdown().await;

    let file = std::fs::read_to_string(dir.join("user-pool.json")).unwrap();
    for secret in ["Kim-passw0rd!", "Changed-passw0rd", "Passw0rd!"] {
        assert!(!file.contains(secret), "a clear password in the state file");
    }
    for token in [&kept, &revoked] {
        assert!(
            !file.contains(token.as_str().unwrap()),
            "a usable refresh token in the state file"
        );
    }

    let s = stack_in(&dir).await;
    assert_eq!(
        password_auth(&s, "kim", "Kim-passw0rd!").await.status,
        StatusCode::OK
    );
    assert_eq!(
        password_auth(&s, "demo", "Changed-passw0rd").await.status,
        StatusCode::OK
    );
    assert_eq!(
        password_auth(&s, "demo", PASSWORD).await.error().0,
        "NotAuthorizedException"
    );
    assert_eq!(
        password_auth(&s, "outsider", PASSWORD).await.error().0,
        "UserNotFoundException"
    );
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": kept, "ClientId": cid}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": revoked, "ClientId": cid}),
    )
    .await;
    assert_eq!(
        a.error(),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
    // The hosted UI signs the runtime password in too.
    let q = s.authorize_query(&[]);
    assert_eq!(
        s.login(&q, "demo", "Changed-passw0rd").await.status(),
        StatusCode::FOUND
    );
    s.handle.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn hosted_ui_refresh_tokens_and_revocations_survive_a_restart() {
    let dir = temp_dir("hosted-refresh");
    let s = stack_in(&dir).await;
    let kept = s.tokens(&[], "demo").await;
    let revoked = s.tokens(&[], "demo").await;
    let kept_rt = kept["refresh_token"].as_str().unwrap().to_string();
    let revoked_rt = revoked["refresh_token"].as_str().unwrap().to_string();
    let revoked_access = revoked["access_token"].as_str().unwrap().to_string();
    assert_eq!(s.revoke(&revoked_rt).await.status(), StatusCode::OK);
    s.handle.shutdown().await;

    let file = std::fs::read_to_string(dir.join("user-pool.json")).unwrap();
    for token in [&kept_rt, &revoked_rt] {
        assert!(
            !file.contains(token.as_str()),
            "a usable refresh token in the state file"
        );
    }

    let s = stack_in(&dir).await;
    let res = s.refresh(&kept_rt).await;
    assert_eq!(res.status(), StatusCode::OK);
    let refreshed: serde_json::Value = res.json().await.unwrap();
    let new_access = payload(refreshed["access_token"].as_str().unwrap());
    let old_access = payload(kept["access_token"].as_str().unwrap());
    // Still the same sign-in after the restart.
    assert_eq!(new_access["origin_jti"], old_access["origin_jti"]);
    assert_eq!(new_access["auth_time"], old_access["auth_time"]);
    assert_eq!(new_access["scope"], old_access["scope"]);
    assert_eq!(
        error_of(s.refresh(&revoked_rt).await).await,
        "invalid_grant"
    );
    // The revoked sign-in's access token stays refused by userInfo.
    assert_eq!(
        s.userinfo(&revoked_access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.userinfo(refreshed["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::OK
    );
    s.handle.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_corrupt_hosted_ui_part_stops_devstack_too() {
    let dir = temp_dir("corrupt-hosted");
    let s = stack_in(&dir).await;
    s.tokens(&[], "demo").await;
    s.handle.shutdown().await;
    let path = dir.join("user-pool.json");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Only the hosted UI's part goes bad: an expiry that is not a number.
    let refresh = state["hosted_ui"]["refresh"].as_object_mut().unwrap();
    assert_eq!(refresh.len(), 1, "the sign-in's refresh token was saved");
    for record in refresh.values_mut() {
        record["expires_at"] = json!("tomorrow");
    }
    let bad = serde_json::to_string(&state).unwrap();
    std::fs::write(&path, &bad).unwrap();
    refuses_to_start_over_a_corrupt_state_file(&dir).await;
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts devstack on the state in `dir` and expects it to refuse, naming
/// the corrupt file.
async fn refuses_to_start_over_a_corrupt_state_file(dir: &std::path::Path) {
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    cfg.keys = Some(keys());
    cfg.state_dir = Some(dir.to_path_buf());
    let err = devstack::start(cfg)
        .await
        .err()
        .expect("refuses to start")
        .to_string();
    assert!(
        err.contains("user-pool.json") && err.contains("corrupt"),
        "{err}"
    );
}

#[tokio::test]
async fn a_corrupt_state_file_stops_devstack_with_its_name() {
    let dir = temp_dir("corrupt");
    std::fs::write(dir.join("user-pool.json"), b"{\"version\":1,\"pool_id\":").unwrap();
    refuses_to_start_over_a_corrupt_state_file(&dir).await;
    // And the file is left as it was: no silent reset.
    assert_eq!(
        std::fs::read(dir.join("user-pool.json")).unwrap(),
        b"{\"version\":1,\"pool_id\":"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_crash_mid_write_leaves_the_previous_state() {
    let dir = temp_dir("crash");
    let s = stack_in(&dir).await;
    let cid = s.handle.client_id();
    call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "lee", "Password": "Lee-passw0rd!"}),
    )
    .await;
    call(
        &s,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "lee"}),
    )
    .await;
    s.handle.shutdown().await;
    // What a crash between write and rename leaves: a partial temp file.
    let good = std::fs::read(dir.join("user-pool.json")).unwrap();
    std::fs::write(
        dir.join(".user-pool.json.tmp-999-abcdefgh"),
        &good[..good.len() / 2],
    )
    .unwrap();
    let s = stack_in(&dir).await;
    assert_eq!(
        password_auth(&s, "lee", "Lee-passw0rd!").await.status,
        StatusCode::OK
    );
    s.handle.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
