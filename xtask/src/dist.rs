//! `cargo xtask dist`: the release build into dist/, and what it weighs.

use std::process::Command;

use anyhow::Result;

use crate::cmd::{command, root, run_step, target_dir};
use crate::setup::NIGHTLY;
use crate::{setup, sizes};

/// The release wasm's target. Its standard library is rebuilt from source
/// (`-Z build-std`), so the crates std depends on must be in the crate cache
/// before the offline build: setup fetches them with [`rebuilt_std`].
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run() -> Result<()> {
    setup::run()?;
    build()?;
    let table = sizes::measure(&root().join("dist"))?;
    println!("\n{}", sizes::markdown(&table));
    Ok(())
}

/// `trunk build --release --offline`: opt-level z, LTO, wasm-opt -Oz, on the
/// pinned nightly so that the standard library is rebuilt for size and
/// panics abort without a message or source location. Measured on the
/// browser bundle: 603.6 to 536.0 KB raw, 196.9 to 178.4 KB brotli.
pub fn build() -> Result<()> {
    // wasm-bindgen writes the JS snippets of `inline_js` here and never
    // clears it, and Trunk copies the folder into dist/: one left from an
    // older build would be deployed (and counted) though nothing loads it.
    let snippets = target_dir().join("wasm-bindgen/release/snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets)?;
    }
    run_step(
        &format!("release build (trunk build --release --offline, {NIGHTLY})"),
        rebuilt_std(command("trunk").args(["build", "--release", "--offline"]))
            .env("CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT", "true")
            .env("CARGO_PROFILE_RELEASE_PANIC", "immediate-abort")
            // Replaces the wasm32 rustflags of .cargo/config.toml, so it
            // repeats erase_components.
            .env("RUSTFLAGS", "--cfg erase_components -Zlocation-detail=none"),
    )
}

/// The pinned nightly and the build-std settings of the release wasm. Setup's
/// `cargo fetch` of std's own dependencies goes through this too, so it
/// resolves exactly the crates the offline build will ask for.
pub fn rebuilt_std(command: &mut Command) -> &mut Command {
    command
        .env("RUSTUP_TOOLCHAIN", NIGHTLY)
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
}
