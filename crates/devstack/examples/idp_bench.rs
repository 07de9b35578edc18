//! The user-pool API's sign-in throughput on loopback, for `cargo xtask
//! bench`: InitiateAuth USER_PASSWORD_AUTH per second, and full SRP
//! sign-ins (InitiateAuth USER_SRP_AUTH + RespondToAuthChallenge, with the
//! client's SRP arithmetic done here) per second. Bounded: each phase runs
//! `IDP_BENCH_SECONDS` (default 5) with `IDP_BENCH_CONNECTIONS` (default 8)
//! keep-alive connections to an in-process stack on 127.0.0.1. Prints JSON.
//!
//! Run: `cargo run -p devstack --profile bench-server --example idp_bench`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use devstack::srp;
use devstack::{DevStackConfig, KeyStore, Seed};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const PASSWORD: &str = "Passw0rd!";

struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(addr: &str) -> anyhow::Result<Self> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(s),
        })
    }

    /// One JSON API call on this keep-alive connection: (status, body).
    async fn call(&mut self, op: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        let body = body.to_string();
        let req = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("bad status line {line:?}"))?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse()?;
                }
            }
        }
        let mut buf = vec![0u8; length];
        self.stream.read_exact(&mut buf).await?;
        Ok((status, serde_json::from_slice(&buf).unwrap_or(Value::Null)))
    }
}

async fn password_sign_in(c: &mut Conn, client_id: &str) -> anyhow::Result<bool> {
    let (status, body) = c
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": "demo", "PASSWORD": PASSWORD}}),
        )
        .await?;
    Ok(status == 200 && body["AuthenticationResult"]["IdToken"].is_string())
}

async fn srp_sign_in(c: &mut Conn, client_id: &str, pool_name: &str) -> anyhow::Result<bool> {
    // A 256-bit `a` (clients use up to 1024 bits): the client's work shares
    // the machine with the server, so keep it no larger than the server's.
    let mut raw = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
    let client = srp::client::Client::with_a(num_bigint::BigUint::from_bytes_be(&raw));
    let (status, ch) = c
        .call(
            "InitiateAuth",
            &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": "demo", "SRP_A": srp::to_hex(&client.big_a)}}),
        )
        .await?;
    if status != 200 {
        return Ok(false);
    }
    let p = &ch["ChallengeParameters"];
    let user_id = p["USER_ID_FOR_SRP"].as_str().unwrap_or_default();
    let Some(key) = client.key(
        pool_name,
        user_id,
        PASSWORD,
        p["SALT"].as_str().unwrap_or_default(),
        p["SRP_B"].as_str().unwrap_or_default(),
    ) else {
        return Ok(false);
    };
    let block_b64 = p["SECRET_BLOCK"].as_str().unwrap_or_default();
    let block = STANDARD.decode(block_b64).unwrap_or_default();
    let ts = srp::format_timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    );
    let sig = srp::client::Client::sign(&key, pool_name, user_id, &block, &ts);
    let (status, body) = c
        .call(
            "RespondToAuthChallenge",
            &json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
                    "ChallengeResponses": {"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
                                           "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}),
        )
        .await?;
    Ok(status == 200 && body["AuthenticationResult"]["IdToken"].is_string())
}

/// Runs `connections` loops of `one` for `seconds`; (ok per second, failures).
async fn measure(
    addr: &str,
    connections: usize,
    seconds: u64,
    srp_mode: bool,
    client_id: &str,
    pool_name: &str,
) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (addr, client_id, pool_name) = (
            addr.to_string(),
            client_id.to_string(),
            pool_name.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(&addr).await?;
            let (mut ok, mut failed) = (0u64, 0u64);
            while Instant::now() < deadline {
                let good = if srp_mode {
                    srp_sign_in(&mut c, &client_id, &pool_name).await?
                } else {
                    password_sign_in(&mut c, &client_id).await?
                };
                if good {
                    ok += 1;
                } else {
                    failed += 1;
                }
            }
            anyhow::Ok((ok, failed))
        }));
    }
    let (mut ok, mut failed) = (0, 0);
    for t in tasks {
        let (o, f) = t.await??;
        ok += o;
        failed += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(json!({
        "per_second": (ok as f64 / elapsed * 10.0).round() / 10.0,
        "ok": ok,
        "failed": failed,
        "seconds": (elapsed * 100.0).round() / 100.0,
        "connections": connections,
    }))
}

/// RS256 signatures per second with `threads` threads signing for `seconds`
/// with the stack's access key. Every sign-in signs two tokens, so
/// `cores × one-core rate / 2` is the ceiling for sign-ins per second on an
/// otherwise idle machine (the all-cores figure shows what sharing leaves).
fn rs256_signs_per_second(keys: &KeyStore, threads: usize, seconds: f64) -> f64 {
    let input = [b'x'; 900]; // about a token's header.payload
    let started = Instant::now();
    let signed: u64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0u64;
                    while started.elapsed().as_secs_f64() < seconds {
                        std::hint::black_box(keys.access_key().sign(&input));
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    (signed as f64 / started.elapsed().as_secs_f64() * 10.0).round() / 10.0
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds = env_number("IDP_BENCH_SECONDS", 5).clamp(1, 60);
    let connections = env_number("IDP_BENCH_CONNECTIONS", 8).clamp(1, 64) as usize;
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    let keys = tokio::task::spawn_blocking(KeyStore::generate).await??;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (one_core, all_cores) = {
        let k = keys.clone();
        tokio::task::spawn_blocking(move || {
            (
                rs256_signs_per_second(&k, 1, 2.0),
                rs256_signs_per_second(&k, cores, 2.0),
            )
        })
        .await?
    };
    cfg.keys = Some(keys);
    let stack = devstack::start(cfg).await?;
    let addr = stack
        .hosted_ui_url()
        .trim_start_matches("http://")
        .to_string();
    let client_id = stack.client_id();
    let pool_name = srp::pool_name(&stack.seed().pool.id).to_string();
    let password = measure(&addr, connections, seconds, false, &client_id, &pool_name).await?;
    let srp = measure(&addr, connections, seconds, true, &client_id, &pool_name).await?;
    stack.shutdown().await;
    let report = json!({
        "tool": format!("in-process client, {connections} keep-alive connections, {seconds}s per phase, loopback"),
        "initiate_auth_user_password": password,
        "srp_sign_in": srp,
        "rs256_sign": {
            "per_second_one_core": one_core,
            "per_second_all_cores": all_cores,
            "cores": cores,
            "sign_in_ceiling_per_second": (one_core * cores as f64 / 2.0 * 10.0).round() / 10.0,
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
