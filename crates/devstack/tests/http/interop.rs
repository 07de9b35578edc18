//! Tokens minted here must pass aws-jwt-verify's CognitoJwtVerifier, the
//! library real Cognito backends use. Needs node and `cargo xtask setup`.

use crate::common::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn node_modules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/node/node_modules")
}

fn run_verifier(input: &serde_json::Value) -> (bool, String) {
    let modules = node_modules();
    assert!(
        modules.join("aws-jwt-verify").join("package.json").exists(),
        "aws-jwt-verify not installed: run cargo xtask setup"
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop/verify.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .env("NODE_PATH", &modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_jwt_verify_accepts_devstack_tokens() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let jwks: serde_json::Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut input = serde_json::json!({
        "userPoolId": "us-east-1_DevStack1",
        "clientId": s.handle.client_id(),
        "jwks": jwks,
        "idToken": t["id_token"],
        "accessToken": t["access_token"],
    });
    let (ok, out) = run_verifier(&input);
    assert!(ok, "aws-jwt-verify refused devstack tokens:\n{out}");
    assert!(
        out.contains("id: valid") && out.contains("access: valid"),
        "{out}"
    );

    // And the check is real: swapped tokens fail.
    input["idToken"] = t["access_token"].clone();
    let (ok, out) = run_verifier(&input);
    assert!(!ok, "swapped tokens must fail:\n{out}");
}

/// The differential run of issue 16, kept as a test: tokens signed with
/// devstack's own keys whose claims have a type Cognito never issues.
/// aws-jwt-verify refuses each, and so must the shared rules (cognito-jwt,
/// here through devstack's verifier, which the gateway uses).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_aws_jwt_verify_refuses_are_refused_here_too() {
    use cognito_jwt::TokenUse;
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let jwks_json: serde_json::Value = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwks = cognito_jwt::Jwks::parse(&jwks_json.to_string()).unwrap();
    let store = keys();
    let mutations: [(TokenUse, &str, serde_json::Value); 7] = [
        (
            TokenUse::Id,
            "aud",
            serde_json::json!([s.handle.client_id()]),
        ),
        (TokenUse::Id, "aud", serde_json::json!(7)),
        (TokenUse::Id, "jti", serde_json::json!(42)),
        (TokenUse::Access, "aud", serde_json::json!(7)),
        (TokenUse::Access, "jti", serde_json::json!(42)),
        (
            TokenUse::Access,
            "scope",
            serde_json::json!(["openid", "books/read"]),
        ),
        (TokenUse::Access, "scope", serde_json::json!(1)),
    ];
    for (token_use, claim, value) in mutations {
        let (slot, key, original) = match token_use {
            TokenUse::Id => ("idToken", store.id_key(), &t["id_token"]),
            TokenUse::Access => ("accessToken", store.access_key(), &t["access_token"]),
        };
        let mut claims = payload(original.as_str().unwrap());
        claims[claim] = value.clone();
        let mutated = devstack::mint::sign_jwt(key, &claims);
        let mut input = serde_json::json!({
            "userPoolId": "us-east-1_DevStack1",
            "clientId": s.handle.client_id(),
            "jwks": jwks_json,
            "idToken": t["id_token"],
            "accessToken": t["access_token"],
        });
        input[slot] = mutated.clone().into();
        let (ok, out) = run_verifier(&input);
        let why = format!("{token_use} token, {claim} = {value}");
        assert!(!ok, "aws-jwt-verify accepted the {why}:\n{out}");
        assert!(
            out.contains(&format!("{token_use}: INVALID")),
            "{why}: {out}"
        );
        let verdict = devstack::verify::verify(
            &mutated,
            &jwks,
            &s.handle.issuer(),
            &s.handle.client_id(),
            token_use,
            s.clock.now(),
        );
        assert!(verdict.is_err(), "accepted here: the {why}");
    }
}
