//! The measurements of `cargo xtask bench` that need a browser or a server:
//! cold load, sign-in round trips (the app and the JavaScript baseline in the
//! same run), in-browser token verification, and devstack `/book` under
//! load. Prints one JSON document on stdout; xtask adds the byte sizes and
//! writes the report.
//!
//! Environment (set by xtask): `DEVSTACK_BIN` (an optimised devstack
//! binary), `COGNITO_SPA_DIST` (the release build), `BENCH_BASELINE` (the
//! baseline page's folder), `BENCH_LOAD_RUNS`, `BENCH_SIGNIN_RUNS`.

mod load;
mod stats;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use devstack::Seed;
use e2e::stack::{PASSWORD, USER};
use e2e::{Browser, Site};
use serde_json::{json, Value};

use stats::Summary;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// devstack as its own process (an optimised build: the load test measures
/// the server, not a debug build of it). Killed when dropped.
struct DevStack {
    child: Child,
    hosted_ui: String,
    api: String,
    _state: PathBuf,
}

impl DevStack {
    fn start(app_origins: &[String]) -> Result<DevStack> {
        let binary = std::env::var("DEVSTACK_BIN")
            .context("DEVSTACK_BIN is not set (run `cargo xtask bench`)")?;
        let (ui_port, api_port) = (free_port(), free_port());
        let state = std::env::temp_dir().join(format!("bench-devstack-{}", std::process::id()));
        let mut command = Command::new(&binary);
        command
            .args([
                "--hosted-ui-port",
                &ui_port.to_string(),
                "--api-port",
                &api_port.to_string(),
            ])
            // Measure verification, not API Gateway's result cache, which
            // would answer all but the first request.
            .arg("--no-authorizer-cache")
            .arg("--state-dir")
            .arg(&state)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for origin in app_origins {
            command.args(["--app-origin", origin]);
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {binary}"))?;
        let stack = DevStack {
            child,
            hosted_ui: format!("http://127.0.0.1:{ui_port}"),
            api: format!("http://127.0.0.1:{api_port}/prod"),
            _state: state,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", api_port)).is_err() {
            if Instant::now() > deadline {
                bail!("devstack did not start within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(stack)
    }
}

impl Drop for DevStack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app's config.json for this stack, as devstack builds it from the
/// built-in seed the binary runs with (the baseline reads the same keys).
fn app_config(stack: &DevStack, origin: &str) -> Value {
    devstack::app_config_json(&Seed::builtin(), &stack.hosted_ui, &stack.api, Some(origin))
}

/// One page load with an empty cache (a fresh browser profile): the time
/// from navigation start to the page's `app-ready` mark.
async fn cold_load(url: &str, ready: &str) -> f64 {
    let browser = Browser::start().await;
    browser.goto(url).await;
    browser.css(ready).await;
    let at = browser
        .eval("const m = performance.getEntriesByName('app-ready'); return m.length ? m[0].startTime : -1")
        .await;
    browser.close().await;
    at.as_f64().unwrap_or(-1.0)
}

/// One sign-in in a fresh browser: click, fill the hosted UI form, until
/// the verified claims show. Milliseconds, as the driver sees them; and,
/// as the page saw it, from the callback's navigation start to the
/// `tokens-shown` mark: the part of the round trip that is the page's own,
/// without the hosted UI and without the driver's polling.
async fn sign_in(url: &str, flow: Option<&str>, login: &str, done: &str) -> (f64, f64) {
    let browser = Browser::start().await;
    browser.goto(url).await;
    browser.css(login).await;
    if let Some(flow) = flow {
        browser
            .eval(&format!(
                "const s = document.querySelector('[data-testid=flow]'); s.value = '{flow}'; s.dispatchEvent(new Event('change')); return null"
            ))
            .await;
    }
    let started = Instant::now();
    browser.css(login).await.click().await.expect("click login");
    browser.submit_login_form(USER, PASSWORD).await;
    browser.css(done).await;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let shown = browser
        .eval("const m = performance.getEntriesByName('tokens-shown'); return m.length ? m[0].startTime : -1")
        .await;
    browser.close().await;
    (elapsed, shown.as_f64().unwrap_or(-1.0))
}

/// Token verification in the browser with the JWKS already fetched: the
/// app's `verify-tokens` measure, taken on refreshes after sign-in.
async fn verification_times(url: &str, refreshes: usize) -> Vec<f64> {
    let browser = Browser::start().await;
    browser.goto(url).await;
    browser
        .css("[data-testid=login]")
        .await
        .click()
        .await
        .expect("click login");
    browser.submit_login_form(USER, PASSWORD).await;
    browser
        .css("[data-testid=verify-access][data-status=valid]")
        .await;
    for _ in 0..refreshes {
        browser
            .css("[data-testid=refresh]:not([disabled])")
            .await
            .click()
            .await
            .expect("refresh");
        tokio::time::sleep(Duration::from_millis(150)).await;
        browser.css("[data-testid=refresh]:not([disabled])").await;
    }
    let times = browser
        .eval("return performance.getEntriesByName('verify-tokens').map(m => m.duration)")
        .await;
    browser.close().await;
    // The first one fetched the key set; the rest ran with it cached.
    times
        .as_array()
        .map(|a| a.iter().skip(1).filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<()> {
    let dist =
        PathBuf::from(std::env::var("COGNITO_SPA_DIST").context("COGNITO_SPA_DIST is not set")?);
    let baseline_dir =
        PathBuf::from(std::env::var("BENCH_BASELINE").context("BENCH_BASELINE is not set")?);
    // 25 rather than the minimum of 15: on a 2-core machine the median of
    // 15 cold loads moved by about 10 ms from one run to the next.
    let load_runs = env_number("BENCH_LOAD_RUNS", 25);
    // 20: with 10, the ratio to the baseline moved between 1.10x and 1.16x
    // from one run to the next, more than the changes it was to judge.
    let signin_runs = env_number("BENCH_SIGNIN_RUNS", 20);

    let app = Site::start(&dist, None).await;
    let baseline = Site::start(&baseline_dir, None).await;
    let stack = DevStack::start(&[app.origin(), baseline.origin()])?;
    app.set_config(app_config(&stack, &app.origin()).to_string());
    baseline.set_config(app_config(&stack, &baseline.origin()).to_string());

    eprintln!("bench: cold load, {load_runs} runs each");
    let mut app_load = Vec::new();
    let mut js_load = Vec::new();
    for _ in 0..load_runs {
        app_load.push(cold_load(&app.url("/"), "[data-testid=login]").await);
        js_load.push(cold_load(&baseline.url("/"), "#login").await);
    }

    eprintln!("bench: sign-in round trips, {signin_runs} runs each");
    let app_done = "[data-testid=verify-access][data-status=valid]";
    let (mut code, mut implicit, mut js) = (Vec::new(), Vec::new(), Vec::new());
    let (mut code_shown, mut implicit_shown, mut js_shown) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..signin_runs {
        let (round_trip, shown) =
            sign_in(&app.url("/"), Some("code"), "[data-testid=login]", app_done).await;
        code.push(round_trip);
        code_shown.push(shown);
        let (round_trip, shown) = sign_in(
            &app.url("/"),
            Some("implicit"),
            "[data-testid=login]",
            app_done,
        )
        .await;
        implicit.push(round_trip);
        implicit_shown.push(shown);
        let (round_trip, shown) = sign_in(&baseline.url("/"), None, "#login", "#verified").await;
        js.push(round_trip);
        js_shown.push(shown);
    }

    eprintln!("bench: verification with a warm key set");
    let verify = verification_times(&app.url("/"), 10).await;

    eprintln!("bench: devstack /book under load");
    let load = load::run(&stack.hosted_ui, &stack.api, &app.origin()).await?;

    let report = json!({
        "cold_load_ms": {"app": Summary::of(&app_load), "js_baseline": Summary::of(&js_load)},
        "sign_in_ms": {
            "app_code": Summary::of(&code),
            "app_implicit": Summary::of(&implicit),
            "js_baseline_code": Summary::of(&js),
        },
        "callback_to_tokens_shown_ms": {
            "app_code": Summary::of(&code_shown),
            "app_implicit": Summary::of(&implicit_shown),
            "js_baseline_code": Summary::of(&js_shown),
        },
        "verify_both_tokens_warm_ms": Summary::of(&verify),
        "book_load": load,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
