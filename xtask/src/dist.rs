//! `cargo xtask dist`: the release build into dist/, and what it weighs.

use anyhow::{Context, Result};

use crate::cmd::{command, node_tools_dir, root, run_step, target_dir};
use crate::toolchain::{rebuilt_std, NIGHTLY};
use crate::{dead_classes, setup, short_imports, sizes, wasm_module};

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
    drop_dead_classes()?;
    check_low_memory_unused()?;
    shorten_import_names()?;
    minify_js_glue()?;
    name_by_content()
}

/// Renames the wasm and its JS glue after what they hold now. Trunk names
/// them by a hash of what it built, but the two steps above change both
/// files afterwards: a change of terser or of the renaming alone would
/// ship new bytes under names that CloudFront and browsers cache for a
/// year, and a browser holding one old file of the pair would load a
/// mismatched pair. index.html and the glue name the pair by its stem.
fn name_by_content() -> Result<()> {
    let dist = root().join("dist");
    // Listed before any rename: a directory read while its files are
    // renamed may list a renamed pair again.
    for stem in wasm_stems(&dist)? {
        let wasm_path = dist.join(format!("{stem}_bg.wasm"));
        let file = format!("{stem}_bg.wasm");
        let js_path = dist.join(format!("{stem}.js"));
        let wasm = std::fs::read(&wasm_path)?;
        let glue = std::fs::read_to_string(&js_path)?;
        let new_stem = content_stem(&stem, &wasm, glue.as_bytes())
            .with_context(|| format!("{file} is not named {{name}}-{{hash}}_bg.wasm"))?;
        std::fs::write(
            dist.join(format!("{new_stem}.js")),
            glue.replace(&stem, &new_stem),
        )?;
        std::fs::rename(&wasm_path, dist.join(format!("{new_stem}_bg.wasm")))?;
        if new_stem != stem {
            std::fs::remove_file(&js_path)?;
        }
        let index_path = dist.join("index.html");
        let index = std::fs::read_to_string(&index_path)?;
        anyhow::ensure!(
            index.contains(&stem),
            "dist/index.html does not name {stem}"
        );
        std::fs::write(&index_path, index.replace(&stem, &new_stem))?;
        println!("    {stem} is now {new_stem}, after its final bytes");
    }
    Ok(())
}

/// The stem of each wasm in `dist` (`{stem}_bg.wasm`, with its glue
/// `{stem}.js`), sorted.
fn wasm_stems(dist: &std::path::Path) -> Result<Vec<String>> {
    let mut stems = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("_bg.wasm") {
            stems.push(stem.to_owned());
        }
    }
    stems.sort();
    Ok(stems)
}

/// `{name}-{16 hex digits of SHA-256 over the wasm, then the glue}`, from
/// Trunk's `{name}-{hash}`.
fn content_stem(stem: &str, wasm: &[u8], glue: &[u8]) -> Option<String> {
    use sha2::{Digest, Sha256};
    let (name, _) = stem.rsplit_once('-')?;
    let digest = Sha256::new()
        .chain_update(wasm)
        .chain_update(glue)
        .finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{name}-{hex}"))
}

/// The glue's classes nothing can instantiate, their exports, and then
/// (wasm-opt) the code only those exports reached: see
/// [`crate::dead_classes`].
fn drop_dead_classes() -> Result<()> {
    let dist = root().join("dist");
    for stem in wasm_stems(&dist)? {
        let wasm_path = dist.join(format!("{stem}_bg.wasm"));
        let js_path = dist.join(format!("{stem}.js"));
        let dropped = dead_classes::drop_dead_classes(
            &std::fs::read(&wasm_path)?,
            &std::fs::read_to_string(&js_path)?,
        )
        .with_context(|| format!("dropping the dead exports of {}", wasm_path.display()))?;
        if dropped.exports.is_empty() {
            continue;
        }
        std::fs::write(&wasm_path, &dropped.wasm)?;
        std::fs::write(&js_path, &dropped.glue)?;
        // Removing unreachable functions only: another -Oz pass shrinks the
        // raw bytes but grows the brotli ones (196.0 to 197.2 KB, measured).
        run_step(
            &format!(
                "wasm-opt: the code of {} dead classes ({}) out of {stem}_bg.wasm",
                dropped.classes.len(),
                dropped.classes.join(", ")
            ),
            command("wasm-opt")
                .arg(&wasm_path)
                .arg("-o")
                .arg(&wasm_path)
                .args(wasm_opt_features()?)
                .arg("--remove-unused-module-elements"),
        )?;
    }
    Ok(())
}

/// The `--enable-…` flags index.html gives Trunk's wasm-opt run, for the
/// run above: the same features, and only those (binaryen's
/// `--all-features` would also allow encodings browsers cannot read yet,
/// such as its compact import section).
fn wasm_opt_features() -> Result<Vec<String>> {
    let index = std::fs::read_to_string(root().join("index.html"))?;
    let params = index
        .split("data-wasm-opt-params=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("index.html has no data-wasm-opt-params")?;
    let features: Vec<String> = params
        .split_whitespace()
        .filter(|flag| flag.starts_with("--enable-"))
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(!features.is_empty(), "index.html enables no wasm features");
    Ok(features)
}

/// index.html lets wasm-opt assume that the first KB of memory is unused
/// (`--low-memory-unused`); a build whose data starts lower breaks that
/// assumption, so it stops here instead of shipping.
fn check_low_memory_unused() -> Result<()> {
    let dist = root().join("dist");
    for stem in wasm_stems(&dist)? {
        let wasm = std::fs::read(dist.join(format!("{stem}_bg.wasm")))?;
        let lowest = wasm_module::lowest_data_address(&wasm)?;
        anyhow::ensure!(
            lowest.is_none_or(|at| at >= 1024),
            "{stem}_bg.wasm has data at address {lowest:?}, below the 1 KB that index.html tells wasm-opt is unused (--low-memory-unused)"
        );
    }
    Ok(())
}

/// The release wasm's imports and exports and the glue's names for them,
/// renamed together to one or two letters (see [`crate::short_imports`]).
fn shorten_import_names() -> Result<()> {
    let dist = root().join("dist");
    for stem in wasm_stems(&dist)? {
        let wasm_path = dist.join(format!("{stem}_bg.wasm"));
        let file = format!("{stem}_bg.wasm");
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

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_pair_is_named_after_both_files_bytes() {
        let name = content_stem("cognito-spa-9b73e5f05fb12e6c", b"wasm", b"glue").unwrap();
        let (base, hash) = name.rsplit_once('-').unwrap();
        assert_eq!(base, "cognito-spa");
        assert_eq!(hash.len(), 16);
        assert!(crate::deploy::files::is_hashed(&format!("{name}.js")));
        assert!(crate::deploy::files::is_hashed(&format!("{name}_bg.wasm")));
        assert_ne!(
            Some(name.clone()),
            content_stem("cognito-spa-9b73e5f05fb12e6c", b"wasm", b"glue2")
        );
        assert_ne!(
            Some(name.clone()),
            content_stem("cognito-spa-9b73e5f05fb12e6c", b"wasm2", b"glue")
        );
        // Trunk's own hash does not enter: same bytes, same name.
        assert_eq!(
            Some(name),
            content_stem("cognito-spa-0000000000000000", b"wasm", b"glue")
        );
        assert_eq!(content_stem("nohash", b"", b""), None);
    }
}
