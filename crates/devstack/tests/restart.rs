//! The real `devstack` binary keeps its user pool and the hosted UI's
//! refresh tokens across a restart and a crash (SIGKILL), and refuses to
//! start on a corrupt state file.

mod support;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SIGV4: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

/// The built-in seed's app client.
const CLIENT_ID: &str = "7devstack0local0client0abc";

struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devstack"))
        .args(["--hosted-ui-port", "0", "--api-port", "0", "--state-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("devstack starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("hosted UI (Cognito domain): ")
                .nth(1)
                .map(|u| u.trim().to_string())
        })
        .expect("devstack printed its URL");
    // Keep reading: a pipe closed after the URL line used to make the rest
    // of the banner fail to print, and the binary with it.
    std::thread::spawn(move || lines.for_each(drop));
    Running { child, url }
}

async fn call(url: &str, op: &str, body: Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{url}/"))
        .header(
            "X-Amz-Target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("Authorization", SIGV4)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "devstack-restart-{}-{}",
        std::process::id(),
        devstack::ids::uuid_v4()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn users_survive_a_kill_9_of_the_binary() {
    let dir = temp_dir();
    let stack = start(&dir);
    let client_id = CLIENT_ID;
    let (status, body) = call(
        &stack.url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "crash", "Password": "Crash-passw0rd!"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = call(
        &stack.url,
        "AdminConfirmSignUp",
        json!({"UserPoolId": "us-east-1_DevStack1", "Username": "crash"}),
    )
    .await;
    assert_eq!(status, 200);
    // The flusher writes within 100 ms of a change; wait for it (with room
    // for a busy machine), then crash.
    let file = dir.join("user-pool.json");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&file)
        .is_ok_and(|t| t.contains("\"crash\"") && t.contains("CONFIRMED"))
    {
        assert!(Instant::now() < deadline, "the state file was not written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(stack); // SIGKILL: no graceful shutdown, no final flush.

    let stack = start(&dir);
    let (status, body) = call(
        &stack.url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": "crash", "PASSWORD": "Crash-passw0rd!"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    drop(stack);

    // A corrupt file: the binary stops, naming it, and leaves it alone.
    std::fs::write(&file, b"{ not json").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_devstack"))
        .args(["--hosted-ui-port", "0", "--api-port", "0", "--state-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("user-pool.json") && err.contains("corrupt"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"{ not json");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The app's sign-in through the hosted UI (code + PKCE) against `url`: the
/// token endpoint's JSON.
async fn hosted_ui_tokens(url: &str) -> Value {
    let code = support::demo_code(url, CLIENT_ID).await;
    let res = reqwest::Client::new()
        .post(format!("{url}/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", &code),
            ("redirect_uri", support::CALLBACK),
            ("code_verifier", support::VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn refresh(url: &str, refresh_token: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/oauth2/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn hosted_ui_refresh_tokens_survive_a_kill_9_of_the_binary() {
    let dir = temp_dir();
    let stack = start(&dir);
    let tokens = hosted_ui_tokens(&stack.url).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    assert_eq!(refresh(&stack.url, refresh_token).await, 200);
    // The flusher writes within 100 ms of a change; wait for it (with room
    // for a busy machine), then crash.
    let file = dir.join("user-pool.json");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("\"origin_jti\"")) {
        assert!(Instant::now() < deadline, "the state file was not written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(stack); // SIGKILL: no graceful shutdown, no final flush.

    let stack = start(&dir);
    assert_eq!(refresh(&stack.url, refresh_token).await, 200);
    assert_eq!(refresh(&stack.url, "not-a-refresh-token").await, 400);
    drop(stack);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader that went away (the pipe's read end closed before the banner
/// is printed, as `devstack | head -1` or a test that read the URL does)
/// leaves the servers running: the banner's writes fail quietly.
#[tokio::test]
async fn a_closed_stdout_does_not_stop_the_servers() {
    let free_port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (ui, api) = (free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_devstack"))
        .args([
            "--hosted-ui-port",
            &ui.to_string(),
            "--api-port",
            &api.to_string(),
        ])
        .arg("--state-dir")
        .arg(temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("devstack starts");
    drop(child.stdout.take());
    let running = Running {
        child,
        url: format!("http://127.0.0.1:{ui}"),
    };
    let jwks = format!("{}/us-east-1_DevStack1/.well-known/jwks.json", running.url);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(res) = reqwest::get(&jwks).await {
            assert_eq!(res.status(), 200);
            break;
        }
        assert!(Instant::now() < deadline, "devstack stopped answering");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Still up after the whole banner was written to the closed pipe.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(reqwest::get(&jwks).await.unwrap().status(), 200);
}
