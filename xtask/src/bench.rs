//! `cargo xtask bench`: bytes, cold load, sign-in round trips, in-browser
//! verification and devstack `/book` throughput, with a plain-JavaScript
//! baseline measured in the same run. Writes bench/results.md and
//! bench/results.json and prints the table.

use std::fmt::Write as _;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::cmd::{command, probe, root, run_step, target_dir};
use crate::{dist, setup, sizes};

/// The budgets of the performance issue.
const BUDGET_TRANSFER_BROTLI_KB: f64 = 120.0;
const BUDGET_COLD_LOAD_MS: f64 = 150.0;
const BUDGET_SIGN_IN_RATIO: f64 = 1.2;
const BUDGET_VERIFY_MS: f64 = 2.0;
const BUDGET_BOOK_RPS: f64 = 5000.0;
/// The user-pool API issue's aims (2 cores, loopback).
const BUDGET_PASSWORD_AUTH_RPS: f64 = 2000.0;
const BUDGET_SRP_RPS: f64 = 200.0;

pub fn run() -> Result<()> {
    setup::run()?;
    wrk()?;
    dist::build()?;
    let app_sizes = sizes::measure(&root().join("dist"))?;
    let baseline_sizes = sizes::measure(&root().join("bench").join("baseline"))?;
    run_step(
        "building devstack (profile bench-server) and the bench driver",
        command("cargo").args([
            "build",
            "--quiet",
            "--profile",
            "bench-server",
            "-p",
            "devstack",
        ]),
    )?;
    run_step(
        "building the bench driver",
        command("cargo").args(["build", "--quiet", "-p", "bench"]),
    )?;
    let target = target_dir();
    println!("\n==> measuring (about 6 minutes)");
    let output = command(target.join("debug").join("bench"))
        .env("DEVSTACK_BIN", target.join("bench-server").join("devstack"))
        .env("COGNITO_SPA_DIST", root().join("dist"))
        .env("BENCH_BASELINE", root().join("bench").join("baseline"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running the bench driver")?;
    if !output.status.success() {
        bail!("the bench driver failed ({})", output.status);
    }
    let mut timings: Value =
        serde_json::from_slice(&output.stdout).context("the bench driver's JSON")?;
    timings["idp"] = idp_bench()?;
    let results = json!({
        "bytes": {"app": size_json(&app_sizes), "js_baseline": size_json(&baseline_sizes)},
        "timings": timings,
    });
    let markdown = report(&app_sizes, &baseline_sizes, &results["timings"]);
    let dir = root().join("bench");
    std::fs::write(
        dir.join("results.json"),
        serde_json::to_string_pretty(&results)? + "\n",
    )?;
    std::fs::write(dir.join("results.md"), &markdown)?;
    println!("\n{markdown}\nwritten to bench/results.md and bench/results.json");
    Ok(())
}

/// devstack's user-pool API sign-ins per second (USER_PASSWORD_AUTH and
/// full SRP), from its `idp_bench` example on loopback.
fn idp_bench() -> Result<Value> {
    run_step(
        "building the user-pool API bench (devstack example idp_bench)",
        command("cargo").args([
            "build",
            "--quiet",
            "--profile",
            "bench-server",
            "-p",
            "devstack",
            "--example",
            "idp_bench",
        ]),
    )?;
    println!("\n==> measuring RS256 signing and user-pool API sign-ins (about 15 seconds)");
    let output = command(
        target_dir()
            .join("bench-server")
            .join("examples")
            .join("idp_bench"),
    )
    .stderr(std::process::Stdio::null())
    .output()
    .context("running the idp_bench example")?;
    if !output.status.success() {
        bail!("the idp_bench example failed ({})", output.status);
    }
    serde_json::from_slice(&output.stdout).context("the idp_bench example's JSON")
}

/// wrk from Debian, for the load run.
fn wrk() -> Result<()> {
    // `wrk --version` exits non-zero, so only whether it starts counts.
    if probe("wrk", &["--version"]).is_some() {
        println!("    ok  wrk");
        return Ok(());
    }
    run_step(
        "installing wrk (apt-get)",
        command("apt-get").args(["install", "-y", "--no-install-recommends", "wrk"]),
    )
}

fn size_json(files: &[sizes::FileSize]) -> Value {
    Value::Array(
        files
            .iter()
            .map(|f| json!({"file": f.name, "raw": f.raw, "gzip": f.gzip, "brotli": f.brotli, "first_visit": f.first_visit()}))
            .collect(),
    )
}

/// The first visit's brotli bytes (files fetched later are left out).
fn total_brotli_kb(files: &[sizes::FileSize]) -> f64 {
    files
        .iter()
        .filter(|f| f.first_visit())
        .map(|f| f.brotli)
        .sum::<usize>() as f64
        / 1000.0
}

/// The brotli bytes the app fetches when a page first needs them.
fn later_brotli_kb(files: &[sizes::FileSize]) -> f64 {
    files
        .iter()
        .filter(|f| !f.first_visit())
        .map(|f| f.brotli)
        .sum::<usize>() as f64
        / 1000.0
}

fn median(v: &Value) -> Option<f64> {
    v["median"].as_f64()
}

fn verdict(holds: bool) -> &'static str {
    if holds {
        "holds"
    } else {
        "missed"
    }
}

fn row(name: &str, v: &Value) -> String {
    format!(
        "| {name} | {} | {} | {} | {} |\n",
        v["median"], v["min"], v["max"], v["runs"]
    )
}

fn report(app: &[sizes::FileSize], baseline: &[sizes::FileSize], t: &Value) -> String {
    let mut md =
        String::from("### Bytes (first visit, and what the app fetches when first needed)\n\n");
    md += &sizes::markdown(app);
    let app_kb = total_brotli_kb(app);
    let js_kb = total_brotli_kb(baseline);
    let _ = writeln!(
        md,
        "\nJavaScript baseline: {js_kb:.1} KB brotli in all (app / baseline = {:.1}x).\n",
        app_kb / js_kb.max(0.001)
    );

    md += "### Times (ms)\n\n| measure | median | min | max | runs |\n|---|---:|---:|---:|---:|\n";
    md += &row("cold load to interactive, app", &t["cold_load_ms"]["app"]);
    md += &row(
        "cold load to interactive, JS baseline",
        &t["cold_load_ms"]["js_baseline"],
    );
    md += &row(
        "sign-in round trip, app, code + PKCE",
        &t["sign_in_ms"]["app_code"],
    );
    md += &row(
        "sign-in round trip, app, implicit",
        &t["sign_in_ms"]["app_implicit"],
    );
    md += &row(
        "sign-in round trip, JS baseline, code + PKCE",
        &t["sign_in_ms"]["js_baseline_code"],
    );
    for (who, key) in [
        ("app, code + PKCE", "app_code"),
        ("app, implicit", "app_implicit"),
        ("JS baseline", "js_baseline_code"),
    ] {
        md += &row(
            &format!("of which in the callback page, to the tokens shown, {who}"),
            &t["callback_to_tokens_shown_ms"][key],
        );
    }
    md += &row(
        "verify ID + access token, warm JWKS",
        &t["verify_both_tokens_warm_ms"],
    );
    let load = &t["book_load"];
    let _ = writeln!(
        md,
        "\ndevstack `GET /book` with RS256 verification ({}): {} requests/s, p50 {}, p99 {}, non-2xx {}.\n",
        load["tool"].as_str().unwrap_or("wrk"),
        load["requests_per_second"],
        load["latency_p50"].as_str().unwrap_or("?"),
        load["latency_p99"].as_str().unwrap_or("?"),
        load["non_2xx"]
    );

    let idp = &t["idp"];
    let password_rps = idp["initiate_auth_user_password"]["per_second"]
        .as_f64()
        .unwrap_or(0.0);
    let srp_rps = idp["srp_sign_in"]["per_second"].as_f64().unwrap_or(0.0);
    let rs256 = &idp["rs256_sign"];
    let _ = writeln!(
        md,
        "devstack user-pool API ({}): InitiateAuth USER_PASSWORD_AUTH {password_rps} sign-ins/s, full SRP sign-ins (client arithmetic on the same cores) {srp_rps}/s. Ceiling from RS256 signing (two signatures per sign-in; ring, {} signatures/s on one core, {} on all {} cores): {} sign-ins/s.\n",
        idp["tool"].as_str().unwrap_or("idp_bench"),
        rs256["per_second_one_core"],
        rs256["per_second_all_cores"],
        rs256["cores"],
        rs256["sign_in_ceiling_per_second"],
    );

    let load_ms = median(&t["cold_load_ms"]["app"]).unwrap_or(f64::MAX);
    let ratio = median(&t["sign_in_ms"]["app_code"]).unwrap_or(f64::MAX)
        / median(&t["sign_in_ms"]["js_baseline_code"]).unwrap_or(1.0);
    let verify = median(&t["verify_both_tokens_warm_ms"]).unwrap_or(f64::MAX);
    let rps = load["requests_per_second"].as_f64().unwrap_or(0.0);
    md += "### Budgets\n\n| budget | measured | verdict |\n|---|---:|---|\n";
    let _ = writeln!(
        md,
        "| first-visit transfer ≤ {BUDGET_TRANSFER_BROTLI_KB} KB brotli | {app_kb:.1} KB | {} |",
        verdict(app_kb <= BUDGET_TRANSFER_BROTLI_KB)
    );
    let later_kb = later_brotli_kb(app);
    if later_kb > 0.0 {
        let _ = writeln!(
            md,
            "| (not in the budget) fetched when first needed | {later_kb:.1} KB | |"
        );
    }
    let _ = writeln!(
        md,
        "| cold load ≤ {BUDGET_COLD_LOAD_MS} ms median | {load_ms:.1} ms | {} |",
        verdict(load_ms <= BUDGET_COLD_LOAD_MS)
    );
    let _ = writeln!(
        md,
        "| sign-in ≤ {BUDGET_SIGN_IN_RATIO}× the JS baseline | {ratio:.2}× | {} |",
        verdict(ratio <= BUDGET_SIGN_IN_RATIO)
    );
    let _ = writeln!(
        md,
        "| verify both tokens ≤ {BUDGET_VERIFY_MS} ms | {verify:.2} ms | {} |",
        verdict(verify <= BUDGET_VERIFY_MS)
    );
    let _ = writeln!(
        md,
        "| devstack /book ≥ {BUDGET_BOOK_RPS} req/s | {rps:.0} req/s | {} |",
        verdict(rps >= BUDGET_BOOK_RPS)
    );
    let _ = writeln!(
        md,
        "| InitiateAuth USER_PASSWORD_AUTH ≥ {BUDGET_PASSWORD_AUTH_RPS}/s | {password_rps:.0}/s | {} |",
        verdict(password_rps >= BUDGET_PASSWORD_AUTH_RPS)
    );
    let _ = writeln!(
        md,
        "| full SRP sign-ins ≥ {BUDGET_SRP_RPS}/s | {srp_rps:.0}/s | {} |",
        verdict(srp_rps >= BUDGET_SRP_RPS)
    );
    md
}
