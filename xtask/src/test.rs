//! `cargo xtask test`: every check CI runs, in order from cheapest to
//! slowest, stopping at the first failure.

use anyhow::Result;

use crate::cmd::{command, root, run_step, venv_bin};
use crate::setup::{CHROMEDRIVER, CHROMIUM};
use crate::{dist, setup};

pub fn run() -> Result<()> {
    let started = std::time::Instant::now();
    setup::run()?;
    run_step(
        "cargo fmt --check",
        command("cargo").args(["fmt", "--all", "--", "--check"]),
    )?;
    run_step(
        "clippy, native",
        command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "clippy, wasm32",
        command("cargo").args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "cognito-spa",
            "-p",
            "cognito-jwt",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run_step(
        "cfn-lint infra/*.yaml",
        command(venv_bin("cfn-lint")).args(infra_templates()?),
    )?;
    // The end-to-end tests drive this release build, so it comes first.
    dist::build()?;
    run_step(
        "native tests: unit, HTTP and browser end-to-end",
        command("cargo")
            .args(["test", "--workspace", "--all-features"])
            .env("COGNITO_SPA_DIST", root().join("dist"))
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("CHROMIUM", CHROMIUM),
    )?;
    run_step(
        "wasm-bindgen tests in headless Chromium",
        command("cargo")
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "cognito-spa",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            ),
    )?;
    println!("\n==> all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// Every CloudFormation template, relative to the workspace root.
fn infra_templates() -> Result<Vec<String>> {
    let mut templates: Vec<String> = std::fs::read_dir(root().join("infra"))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
        .map(|name| format!("infra/{name}"))
        .collect();
    templates.sort();
    if templates.is_empty() {
        anyhow::bail!("no templates in infra/");
    }
    Ok(templates)
}
