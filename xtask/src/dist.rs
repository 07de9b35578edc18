//! `cargo xtask dist`: the release build into dist/, and what it weighs.

use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd::{command, node_tools_dir, root, run_step, target_dir};
use crate::setup::NIGHTLY;
use crate::{setup, short_imports, sizes};

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
    )?;
    shorten_import_names()?;
    minify_js_glue()
}

/// The release wasm's imports and exports and the glue's names for them,
/// renamed together to one or two letters (see [`crate::short_imports`]).
fn shorten_import_names() -> Result<()> {
    let dist = root().join("dist");
    for entry in std::fs::read_dir(&dist)? {
        let wasm_path = entry?.path();
        let file = wasm_path.file_name().unwrap_or_default().to_string_lossy();
        let Some(stem) = file.strip_suffix("_bg.wasm") else {
            continue;
        };
        let js_path = dist.join(format!("{stem}.js"));
        let glue = std::fs::read_to_string(&js_path)?;
        let renamed = short_imports::rename(&std::fs::read(&wasm_path)?, &glue)
            .with_context(|| format!("renaming the imports of {}", wasm_path.display()))?;
        let js = short_imports::rewrite_glue(&glue, &renamed)
            .with_context(|| format!("renaming the imports in {}", js_path.display()))?;
        std::fs::write(&wasm_path, &renamed.wasm)?;
        std::fs::write(&js_path, js)?;
        println!(
            "    {} imports and {} exports renamed in {file} and {stem}.js",
            renamed.names.len(),
            renamed.exports.len()
        );
    }
    Ok(())
}

/// terser over the wasm-bindgen JS glue in dist/. Trunk's own minifier
/// gives up on it (it cannot parse `export { … as default }`) and ships it
/// with every comment and indent: 8.0 KB brotli. The glue is an ES module
/// the page imports by name, with no SRI hash to keep (`data-integrity`
/// is off for it), so it is rewritten in place.
fn minify_js_glue() -> Result<()> {
    let terser = node_tools_dir().join("node_modules/terser/bin/terser");
    let dist = root().join("dist");
    let mut glue: Vec<_> = std::fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "js"))
        .collect();
    glue.sort();
    for js in glue {
        let out = js.with_extension("min.js");
        run_step(
            &format!("terser {}", js.display()),
            command("node")
                .arg(&terser)
                .arg(&js)
                .args(["--module", "--compress", "--mangle", "--output"])
                .arg(&out),
        )?;
        std::fs::rename(&out, &js)?;
    }
    Ok(())
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
