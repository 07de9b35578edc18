//! `cargo xtask lambda`: both Lambdas (the TOKEN authorizer and the /book
//! backend) as `bootstrap` zips for the `provided.al2023` runtime, x86_64.
//!
//! Built for `x86_64-unknown-linux-musl`: a static binary runs on any
//! Amazon Linux without caring about its glibc. ring (under rustls) has C
//! code, so the build needs a musl C compiler: Debian's `musl-tools`.
//! Both are installed here when missing.

use std::io::Write;

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::cmd::{command, probe, root, run_step, target_dir};

pub const TARGET: &str = "x86_64-unknown-linux-musl";

/// (package, binary, artifact name, cargo features)
const LAMBDAS: [(&str, &str, &str, &str); 2] = [
    ("authorizer", "authorizer", "authorizer", "lambda"),
    ("book-backend", "book-backend", "book-backend", ""),
];

pub fn run() -> Result<()> {
    musl_target()?;
    musl_compiler()?;
    let mut build = command("cargo");
    build.args(["build", "--release", "--locked", "--target", TARGET]);
    for (package, bin, _, features) in LAMBDAS {
        build.args(["-p", package, "--bin", bin]);
        if !features.is_empty() {
            build.args(["--features", &format!("{package}/{features}")]);
        }
    }
    run_step(
        &format!("building the Lambdas for {TARGET} (release)"),
        &mut build,
    )?;

    let out_dir = root().join("target").join("lambda");
    std::fs::create_dir_all(&out_dir)?;
    println!("\n==> Lambda artifacts (runtime provided.al2023, x86_64, handler bootstrap)");
    for (_, bin, name, _) in LAMBDAS {
        let binary = target_dir().join(TARGET).join("release").join(bin);
        let bytes =
            std::fs::read(&binary).with_context(|| format!("cannot read {}", binary.display()))?;
        let zip = bootstrap_zip(&bytes)?;
        let file = out_dir.join(format!("{name}.zip"));
        std::fs::write(&file, &zip)?;
        println!(
            "    {:<18} {:>9} bytes zipped ({} bytes binary)  S3 key: {}",
            format!("{name}.zip"),
            zip.len(),
            bytes.len(),
            artifact_key(name, &zip)
        );
    }
    println!(
        "\nUpload them under those keys (docs/deploy.md), e.g.\n    aws s3 cp target/lambda/authorizer.zip s3://ARTIFACT_BUCKET/<S3 key above>"
    );
    Ok(())
}

fn musl_target() -> Result<()> {
    let installed = probe("rustup", &["target", "list", "--installed"])
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(TARGET))
        .unwrap_or(false);
    if installed {
        println!("    ok  {TARGET} target");
        return Ok(());
    }
    run_step(
        &format!("installing the {TARGET} target (rustup)"),
        command("rustup").args(["target", "add", TARGET]),
    )
}

/// The cc crate looks for `x86_64-linux-musl-gcc` (then `musl-gcc`) to
/// build ring's C and assembly for this target.
fn musl_compiler() -> Result<()> {
    if probe("x86_64-linux-musl-gcc", &["--version"]).is_some_and(|o| o.status.success()) {
        println!("    ok  musl C compiler (musl-tools)");
        return Ok(());
    }
    let is_root = probe("id", &["-u"])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root {
        bail!("the musl C compiler is missing: run `sudo apt-get install -y musl-tools`, then cargo xtask lambda again");
    }
    let install = || {
        command("apt-get")
            .args(["install", "-y", "--no-install-recommends", "musl-tools"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    println!("\n==> installing musl-tools (apt-get)");
    if install() {
        return Ok(());
    }
    // A fresh machine has empty package lists until the first update.
    run_step("apt-get update", command("apt-get").arg("update"))?;
    run_step(
        "installing musl-tools (apt-get)",
        command("apt-get")
            .args(["install", "-y", "--no-install-recommends", "musl-tools"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// A zip holding one executable `bootstrap`, with a fixed timestamp so the
/// same binary always gives the same zip (and the same S3 key).
pub fn bootstrap_zip(binary: &[u8]) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .unix_permissions(0o755)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("bootstrap", options)?;
    zip.write_all(binary)?;
    Ok(zip.finish()?.into_inner())
}

/// `cognito-spa/{name}-{first 16 url-safe base64 of sha256}.zip`: a new
/// build gets a new key, which is what makes CloudFormation update the code.
pub fn artifact_key(name: &str, zip: &[u8]) -> String {
    let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(zip));
    format!("cognito-spa/{name}-{}.zip", &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn zip_holds_an_executable_bootstrap_and_is_reproducible() {
        let binary = b"\x7fELF pretend binary".repeat(100);
        let zip = bootstrap_zip(&binary).unwrap();
        assert_eq!(zip, bootstrap_zip(&binary).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_name("bootstrap").unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        let mut back = Vec::new();
        entry.read_to_end(&mut back).unwrap();
        assert_eq!(back, binary);
        let key = artifact_key("authorizer", &zip);
        assert!(key.starts_with("cognito-spa/authorizer-") && key.ends_with(".zip"));
        assert_eq!(key.len(), "cognito-spa/authorizer-.zip".len() + 16);
    }
}
