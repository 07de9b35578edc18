//! The toolchain the release wasm is built with: its target, the pinned
//! nightly, and the build-std settings. Setup installs and fetches for
//! these; dist builds with them; fuzz runs on the nightly.

use std::process::Command;

/// The pinned nightly: it builds the shipped wasm (rebuilding the standard
/// library for size, see `dist::build`) and runs cargo-fuzz. Everything else
/// uses stable.
pub const NIGHTLY: &str = "nightly-2026-05-20";

/// The release wasm's target. Its standard library is rebuilt from source
/// (`-Z build-std`), so the crates std depends on must be in the crate cache
/// before the offline build: setup fetches them with [`rebuilt_std`].
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The pinned nightly and the build-std settings of the release wasm. Setup's
/// `cargo fetch` of std's own dependencies goes through this too, so it
/// resolves exactly the crates the offline build will ask for.
pub fn rebuilt_std(command: &mut Command) -> &mut Command {
    command
        .env("RUSTUP_TOOLCHAIN", NIGHTLY)
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
}
