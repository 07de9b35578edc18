//! `cargo xtask fuzz [--seconds N] [TARGET...]`: runs every cargo-fuzz
//! target of fuzz/ for a bounded time each (30 s by default) on the nightly
//! toolchain, installing cargo-fuzz if it is missing, and reports how long
//! each ran and how many inputs it tried. A crash stops the command with the
//! crashing input's path: turn it into a native regression test in the
//! crate where the bug lives, then fix it.
//!
//! Every target is safe Rust, so the run uses no sanitizer (`-s none`):
//! what is looked for is panics, hangs, runaway memory and broken
//! invariants (each target asserts its own), and without ASan each second
//! tries several times as many inputs.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::cmd::{command, probe, root, run_step, target_dir};
use crate::setup;
use crate::toolchain::NIGHTLY;

pub const TARGETS: [&str; 5] = ["jwt_token", "jwks", "callback", "config", "devstack_http"];

const USAGE: &str = "\
usage: cargo xtask fuzz [--seconds N] [TARGET...]

  Runs each fuzz target (default: all) for N seconds (default 30) on nightly.
  targets: jwt_token, jwks, callback, config, devstack_http
  New interesting inputs go to fuzz/corpus/TARGET (git-ignored); the committed
  seeds in fuzz/seeds/TARGET start each run; crashes land in fuzz/artifacts/.
";

pub fn run(args: &[String]) -> Result<()> {
    let mut seconds: u64 = 30;
    let mut targets: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = rest.next().context("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .with_context(|| format!("--seconds {value:?} is not a number"))?;
            }
            "--help" | "-h" => {
                print!("{USAGE}");
                return Ok(());
            }
            name if TARGETS.contains(&name) => targets.push(name.to_owned()),
            other => bail!("unknown fuzz argument {other:?}\n\n{USAGE}"),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    ensure_tools()?;

    let fuzz_dir = root().join("fuzz");
    let target_dir = target_dir().join("fuzz");
    let started = Instant::now();
    run_step(
        "build the fuzz targets (pinned nightly, no sanitizer)",
        command("cargo")
            .current_dir(&fuzz_dir)
            .arg(format!("+{NIGHTLY}"))
            .args(["fuzz", "build", "-s", "none", "--target-dir"])
            .arg(&target_dir),
    )?;

    let mut rows = Vec::new();
    for target in &targets {
        println!("\n==> fuzz {target} for {seconds} s");
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeds = fuzz_dir.join("seeds").join(target);
        std::fs::create_dir_all(&corpus)?;
        let mut cmd = command("cargo");
        cmd.current_dir(&fuzz_dir)
            .arg(format!("+{NIGHTLY}"))
            .args(["fuzz", "run", "-s", "none", "--target-dir"])
            .arg(&target_dir)
            .arg(target)
            .arg(&corpus);
        if seeds.is_dir() {
            cmd.arg(&seeds);
        }
        cmd.args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-timeout=10",
            "-rss_limit_mb=2048",
            "-max_len=65536",
            "-print_final_stats=1",
        ]);
        let ran = Instant::now();
        let output = cmd
            .output()
            .with_context(|| format!("could not start cargo fuzz run {target}"))?;
        let elapsed = ran.elapsed();
        let log = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "fuzz target {target} failed after {elapsed:.0?}:\n{}\n\nThe crashing input is under fuzz/artifacts/{target}/; add it as a native regression test in the crate at fault, then fix the bug.",
                tail.join("\n")
            );
        }
        let runs = stat(&log, "stat::number_of_executed_units:").unwrap_or(0);
        let corpus_size = std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0);
        println!("    {target}: {runs} inputs in {elapsed:.1?}, corpus {corpus_size}, no crash");
        rows.push((target.clone(), elapsed, runs, corpus_size));
    }

    println!("\n==> fuzzing done in {:.0?}", started.elapsed());
    println!(
        "{:<14} {:>9} {:>12} {:>8}",
        "target", "time", "inputs", "corpus"
    );
    for (target, elapsed, runs, corpus) in rows {
        println!(
            "{target:<14} {:>8.1}s {runs:>12} {corpus:>8}",
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}

/// A `-print_final_stats` value from libFuzzer's output.
fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines()
        .find_map(|line| line.trim().strip_prefix(name))
        .and_then(|v| v.trim().parse().ok())
}

/// The pinned nightly and cargo-fuzz, installed when missing.
fn ensure_tools() -> Result<()> {
    setup::nightly()?;
    let has_fuzz = probe("cargo", &["fuzz", "--version"]).is_some_and(|o| o.status.success());
    if !has_fuzz {
        run_step(
            "install cargo-fuzz",
            command("cargo").args(["install", "cargo-fuzz", "--locked"]),
        )?;
    }
    if !Path::new(&root().join("fuzz").join("Cargo.toml")).is_file() {
        bail!("no fuzz/Cargo.toml in the workspace");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_libfuzzer_final_stats() {
        let log =
            "#1234 DONE cov: 10\nstat::number_of_executed_units: 98765\nstat::peak_rss_mb: 80\n";
        assert_eq!(
            super::stat(log, "stat::number_of_executed_units:"),
            Some(98765)
        );
        assert_eq!(super::stat(log, "stat::nope:"), None);
    }
}
