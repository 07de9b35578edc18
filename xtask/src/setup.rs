//! `cargo xtask setup`: make sure every tool is installed at the version the
//! project pins, installing from the registries only what is missing.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cmd::{
    command, node_tools_dir, probe, root, run_step, venv_bin, venv_dir, version_line,
};
use crate::toolchain::{rebuilt_std, NIGHTLY, WASM_TARGET};

pub const TRUNK_VERSION: &str = "0.21.14";
/// npm packages: wasm-opt (binaryen) for Trunk, and aws-jwt-verify, the
/// library real Cognito users verify with, for the interop test.
/// amazon-cognito-identity-js and Amplify JS v6 (aws-amplify, ~113 MB
/// installed) are the Cognito SDKs the devstack's SRP and user-pool API are
/// tested against from JavaScript. terser minifies the wasm-bindgen JS glue
/// of the release build (see `dist::build`).
const NODE_PACKAGES: [(&str, &str); 5] = [
    ("binaryen", "132.0.0"),
    ("terser", "5.51.2"),
    ("aws-jwt-verify", "5.2.1"),
    ("amazon-cognito-identity-js", "6.3.21"),
    ("aws-amplify", "6.22.1"),
];
/// cfn-lint from PyPI, for the CloudFormation templates in infra/.
pub const CFN_LINT_VERSION: &str = "1.51.0";
/// The SDK clients devstack's user-pool API is tested with (PyPI, into
/// tools/venv): boto3 and the AWS CLI on the same botocore, and pycognito
/// for real SRP.
const PYTHON_SDK_PACKAGES: [(&str, &str); 3] = [
    ("boto3", "1.43.11"),
    ("awscli", "1.45.11"),
    ("pycognito", "2024.5.1"),
];
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn run() -> Result<()> {
    println!("==> setup: checking tools");
    wasm_target()?;
    nightly()?;
    trunk()?;
    wasm_bindgen_cli()?;
    node_packages()?;
    cfn_lint()?;
    python_sdks()?;
    chromium()?;
    crate_sources()?;
    println!("==> setup: all tools present");
    Ok(())
}

fn wasm_target() -> Result<()> {
    let installed = probe("rustup", &["target", "list", "--installed"])
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(WASM_TARGET))
        .unwrap_or(false);
    if installed {
        println!("    ok  wasm32-unknown-unknown target");
        return Ok(());
    }
    run_step(
        "installing the wasm32-unknown-unknown target (rustup)",
        command("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

/// The pinned nightly with rust-src: the release wasm is built with
/// `-Z build-std`, which needs the standard library's sources.
pub fn nightly() -> Result<()> {
    let has_sources = probe(
        "rustup",
        &["component", "list", "--installed", "--toolchain", NIGHTLY],
    )
    .filter(|o| o.status.success())
    .map(|o| String::from_utf8_lossy(&o.stdout).contains("rust-src"))
    .unwrap_or(false);
    if has_sources {
        println!("    ok  {NIGHTLY} with rust-src (release wasm, fuzzing)");
        return Ok(());
    }
    run_step(
        &format!("installing {NIGHTLY} with rust-src (rustup, for the release wasm and fuzzing)"),
        command("rustup").args([
            "toolchain",
            "install",
            NIGHTLY,
            "--profile",
            "minimal",
            "--component",
            "rust-src",
        ]),
    )
}

/// Every crate the offline builds need, in the crate cache: the workspace's
/// (for every target, so `trunk serve --offline` and the Lambda build find
/// theirs too) and the standard library's own dependencies, which the
/// release wasm compiles from source under the pinned nightly. A fresh
/// machine's cache has neither, and `--offline` forbids fetching them later.
/// An offline `cargo fetch` succeeds only when all of them are present, so it
/// is the check; the online one runs only when it fails.
fn crate_sources() -> Result<()> {
    let fetches = [
        ("the workspace's crates", Fetch::Workspace),
        (
            "the standard library's crates for the release wasm",
            Fetch::RebuiltStd,
        ),
    ];
    for (what, fetch) in fetches {
        let present = fetch
            .command()
            .arg("--offline")
            .output()
            .is_ok_and(|o| o.status.success());
        if present {
            println!("    ok  {what} (crate cache)");
            continue;
        }
        run_step(
            &format!("fetching {what} (cargo fetch)"),
            &mut fetch.command(),
        )?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Fetch {
    Workspace,
    RebuiltStd,
}

impl Fetch {
    fn command(self) -> std::process::Command {
        let mut fetch = command("cargo");
        fetch.arg("fetch").arg("--locked");
        match self {
            Fetch::Workspace => {}
            Fetch::RebuiltStd => {
                rebuilt_std(fetch.args(["--target", WASM_TARGET]));
            }
        }
        fetch
    }
}

fn trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if version_line("trunk").as_deref() == Some(wanted.as_str()) {
        println!("    ok  {wanted}");
        return Ok(());
    }
    run_step(
        &format!("installing Trunk {TRUNK_VERSION} (cargo install, about 8 minutes)"),
        command("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
}

/// The wasm-bindgen CLI must match the library version in Cargo.lock
/// exactly, or the generated glue does not fit the wasm module.
fn wasm_bindgen_cli() -> Result<()> {
    let version = locked_version("wasm-bindgen")?;
    let trunk_pin = std::fs::read_to_string(root().join("Trunk.toml"))?;
    if !trunk_pin.contains(&format!("wasm_bindgen = \"{version}\"")) {
        bail!("Trunk.toml pins a wasm_bindgen other than {version}, the version in Cargo.lock: update [tools] in Trunk.toml");
    }
    let wanted = format!("wasm-bindgen {version}");
    if version_line("wasm-bindgen").as_deref() == Some(wanted.as_str()) {
        println!("    ok  {wanted}");
        return Ok(());
    }
    // No --locked: the CLI's own lockfile pins a crate the registry here lacks.
    run_step(
        &format!("installing wasm-bindgen-cli {version} (cargo install, about 4 minutes)"),
        command("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]),
    )
}

/// The version of a package as resolved in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .context("Cargo.lock is missing; it is committed with the project")?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    let end = lock[start..].find('"').context("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

fn node_packages() -> Result<()> {
    let dir = node_tools_dir();
    let missing: Vec<String> = NODE_PACKAGES
        .iter()
        .filter(|(name, version)| installed_npm_version(&dir, name).as_deref() != Some(*version))
        .map(|(name, version)| format!("{name}@{version}"))
        .collect();
    if missing.is_empty() {
        for (name, version) in NODE_PACKAGES {
            println!("    ok  {name} {version} (npm, tools/node)");
        }
        return Ok(());
    }
    if version_line("npm").is_none() {
        bail!(
            "npm is not installed; install Node.js 20+ with npm, then run cargo xtask setup again"
        );
    }
    std::fs::create_dir_all(&dir)?;
    run_step(
        &format!("installing {} (npm, into tools/node)", missing.join(" ")),
        command("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&dir)
            .args(["--no-audit", "--no-fund", "--save-exact"])
            .args(&missing),
    )
}

fn installed_npm_version(dir: &Path, name: &str) -> Option<String> {
    let manifest = dir.join("node_modules").join(name).join("package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let start = text.find("\"version\"")?;
    let rest = &text[start + "\"version\"".len()..];
    let open = rest.find('"')? + 1;
    let close = rest[open..].find('"')?;
    Some(rest[open..open + close].to_owned())
}

/// cfn-lint in the project's own virtual environment (git-ignored
/// `tools/venv`), never in the system Python.
fn cfn_lint() -> Result<()> {
    let wanted = format!("cfn-lint {CFN_LINT_VERSION}");
    let cfn_lint = venv_bin("cfn-lint");
    if version_line(&cfn_lint.to_string_lossy()).as_deref() == Some(wanted.as_str()) {
        println!("    ok  {wanted} (tools/venv)");
        return Ok(());
    }
    let python = venv_bin("python");
    if !python.is_file() {
        let system_python = ["python3", "python"]
            .into_iter()
            .find(|p| version_line(p).is_some())
            .context("Python 3 is needed for cfn-lint; install python3 (with its venv module)")?;
        run_step(
            "creating the Python virtual environment tools/venv",
            command(system_python).arg("-m").arg("venv").arg(venv_dir()),
        )?;
    }
    run_step(
        &format!("installing cfn-lint {CFN_LINT_VERSION} (pip, into tools/venv)"),
        command(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("cfn-lint=={CFN_LINT_VERSION}"),
        ]),
    )
}

/// boto3, the AWS CLI and pycognito in tools/venv (created by `cfn_lint`),
/// each installed only when it is missing or at another version.
fn python_sdks() -> Result<()> {
    let python = venv_bin("python");
    let missing: Vec<String> = PYTHON_SDK_PACKAGES
        .iter()
        .filter(|(name, version)| installed_pip_version(&python, name).as_deref() != Some(*version))
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    if missing.is_empty() {
        for (name, version) in PYTHON_SDK_PACKAGES {
            println!("    ok  {name} {version} (tools/venv)");
        }
        return Ok(());
    }
    run_step(
        &format!("installing {} (pip, into tools/venv)", missing.join(" ")),
        command(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(&missing),
    )
}

/// The version pip reports for `name` in the venv, if it is installed.
fn installed_pip_version(python: &Path, name: &str) -> Option<String> {
    let out = probe(
        &python.to_string_lossy(),
        &["-m", "pip", "show", "--disable-pip-version-check", name],
    )?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Version: ").map(|v| v.trim().to_owned()))
}

/// Debian's chromium and chromedriver come from the same source package, so
/// they always match each other.
fn chromium() -> Result<()> {
    let browser = version_line(CHROMIUM);
    let driver = version_line(CHROMEDRIVER);
    if let (Some(browser), Some(driver)) = (&browser, &driver) {
        println!("    ok  {browser}; {driver}");
        return Ok(());
    }
    if !is_root() {
        bail!("Chromium and chromedriver are missing: run `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`, then cargo xtask setup again");
    }
    run_step("apt-get update", command("apt-get").arg("update"))?;
    run_step(
        "installing chromium and chromium-driver (apt-get)",
        command("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn is_root() -> bool {
    probe("id", &["-u"])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
