//! The real client libraries against a real devstack: boto3, the AWS CLI and
//! pycognito (from tools/venv), amazon-cognito-identity-js and Amplify JS
//! v6 (from tools/node), all installed by `cargo xtask setup`. Missing tools fail
//! the test with that instruction; they never pass silently.

use devstack::{DevStackConfig, Handle, KeyStore, Seed};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PASSWORD: &str = "Passw0rd!";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv_bin(name: &str) -> PathBuf {
    root().join("tools/venv/bin").join(name)
}

fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk")
}

fn require(path: &Path, what: &str) {
    assert!(
        path.exists(),
        "{what} not installed ({} missing): run cargo xtask setup",
        path.display()
    );
}

/// A stack whose issuer is its own origin (`http://127.0.0.1:PORT/<pool>`),
/// which is what pycognito checks when given an `endpoint_url`.
async fn stack(own_issuer: bool) -> Handle {
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    let port = if own_issuer {
        // Pick a free port first: the issuer must name it.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    } else {
        0
    };
    if own_issuer {
        cfg.seed.pool.issuer = Some(format!("http://127.0.0.1:{port}/{}", cfg.seed.pool.id));
    }
    cfg.hosted_ui_port = port;
    cfg.api_port = 0;
    let keys = tokio::task::spawn_blocking(KeyStore::generate)
        .await
        .unwrap()
        .unwrap();
    cfg.keys = Some(keys);
    devstack::start(cfg).await.expect("stack starts")
}

fn env_for(h: &Handle) -> Vec<(&'static str, String)> {
    vec![
        ("ENDPOINT", h.hosted_ui_url()),
        ("API_URL", h.api_url()),
        ("POOL_ID", h.seed().pool.id.clone()),
        ("CLIENT_ID", h.client_id()),
        ("JWKS_URL", h.jwks_url()),
        ("USERNAME", "demo".into()),
        ("PASSWORD", PASSWORD.into()),
        // Nothing from the developer's own AWS setup.
        ("AWS_CONFIG_FILE", "/dev/null".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".into()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        ),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
        ("PYTHONDONTWRITEBYTECODE", "1".into()),
    ]
}

async fn run(mut cmd: Command, h: &Handle) -> (bool, String) {
    for (k, v) in env_for(h) {
        cmd.env(k, v);
    }
    let out: Output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("the client runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn python(script: &str, h: &Handle) -> String {
    let py = venv_bin("python");
    require(&py, "tools/venv (boto3, pycognito, awscli)");
    let mut cmd = Command::new(py);
    cmd.arg(scripts().join(script)).current_dir(scripts());
    let (ok, out) = run(cmd, h).await;
    assert!(ok, "{script} failed:\n{out}");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_admin_initiate_auth_then_book() {
    let h = stack(false).await;
    let out = python("boto3_book.py", &h).await;
    assert!(out.contains("ok: /book 200"), "{out}");
    assert!(out.contains("boto3: all checks passed"), "{out}");
    assert_eq!(h.panics(), 0);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_sign_up_recovery_and_admin_operations() {
    let h = stack(false).await;
    let out = python("boto3_accounts.py", &h).await;
    assert!(
        out.contains("ok: sign_up → outbox → confirm_sign_up"),
        "{out}"
    );
    assert!(out.contains("boto3 accounts: all checks passed"), "{out}");
    assert_eq!(h.panics(), 0);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_srp_right_and_wrong_password() {
    let h = stack(true).await;
    let out = python("pycognito_srp.py", &h).await;
    assert!(out.contains("ok: pycognito authenticate as demo"), "{out}");
    assert!(
        out.contains("ok: NotAuthorizedException: Incorrect username or password."),
        "{out}"
    );
    assert_eq!(h.panics(), 0);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_initiate_auth() {
    let h = stack(false).await;
    let aws = venv_bin("aws");
    require(&aws, "the AWS CLI (tools/venv)");
    let cli = |password: &str| {
        let mut cmd = Command::new(&aws);
        cmd.args([
            "cognito-idp",
            "initiate-auth",
            "--endpoint-url",
            &h.hosted_ui_url(),
            "--region",
            "us-east-1",
            "--output",
            "json",
            "--auth-flow",
            "USER_PASSWORD_AUTH",
            "--client-id",
            &h.client_id(),
            "--auth-parameters",
            &format!("USERNAME=demo,PASSWORD={password}"),
        ]);
        cmd
    };
    let (ok, out) = run(cli(PASSWORD), &h).await;
    assert!(ok, "aws cognito-idp initiate-auth failed:\n{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let id = v["AuthenticationResult"]["IdToken"].as_str().unwrap();
    let book = reqwest::Client::new()
        .get(format!("{}/book", h.api_url()))
        .header("Authorization", format!("Bearer {id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(book.status(), 200);

    let (ok, out) = run(cli("wrong-Passw0rd"), &h).await;
    assert!(!ok);
    assert!(
        out.contains("(NotAuthorizedException)") && out.contains("Incorrect username or password."),
        "{out}"
    );

    // A signed admin call: the CLI signs with the dummy credentials.
    let mut admin = Command::new(&aws);
    admin.args([
        "cognito-idp",
        "admin-initiate-auth",
        "--endpoint-url",
        &h.hosted_ui_url(),
        "--region",
        "us-east-1",
        "--output",
        "json",
        "--user-pool-id",
        &h.seed().pool.id,
        "--client-id",
        &h.client_id(),
        "--auth-flow",
        "ADMIN_USER_PASSWORD_AUTH",
        "--auth-parameters",
        &format!("USERNAME=demo,PASSWORD={PASSWORD}"),
    ]);
    let (ok, out) = run(admin, &h).await;
    assert!(ok, "admin-initiate-auth failed:\n{out}");
    assert!(out.contains("\"AccessToken\""), "{out}");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_cognito_identity_js_srp_and_aws_jwt_verify() {
    let modules = root().join("tools/node/node_modules");
    require(
        &modules.join("amazon-cognito-identity-js/package.json"),
        "amazon-cognito-identity-js (tools/node)",
    );
    require(
        &modules.join("aws-jwt-verify/package.json"),
        "aws-jwt-verify (tools/node)",
    );
    let h = stack(false).await;
    let mut cmd = Command::new("node");
    cmd.arg(scripts().join("acijs_srp.mjs"))
        .env("NODE_PATH", &modules);
    let (ok, out) = run(cmd, &h).await;
    assert!(ok, "amazon-cognito-identity-js script failed:\n{out}");
    assert!(out.contains("ok: USER_SRP_AUTH sign-in"), "{out}");
    assert!(out.contains("ok: signUp → outbox code"), "{out}");
    assert!(
        out.contains("ok: wrong password: NotAuthorizedException"),
        "{out}"
    );
    assert_eq!(h.panics(), 0);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_v6_sign_in_sign_up_and_wrong_password() {
    let modules = root().join("tools/node/node_modules");
    require(
        &modules.join("aws-amplify/package.json"),
        "aws-amplify (tools/node)",
    );
    let h = stack(false).await;
    let mut cmd = Command::new("node");
    cmd.arg(scripts().join("amplify_auth.mjs"))
        .env("NODE_PATH", &modules);
    let (ok, out) = run(cmd, &h).await;
    assert!(ok, "Amplify script failed:\n{out}");
    for line in [
        "ok: amplify signIn USER_SRP_AUTH as demo",
        "ok: amplify signIn USER_PASSWORD_AUTH as demo",
        "ok: USER_SRP_AUTH wrong password: NotAuthorizedException: Incorrect username or password.",
        "ok: USER_PASSWORD_AUTH wrong password: NotAuthorizedException: Incorrect username or password.",
        "ok: amplify signUp → outbox → confirmSignUp",
        "amplify: all checks passed",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    assert_eq!(h.panics(), 0);
    h.shutdown().await;
}
