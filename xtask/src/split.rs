//! The release wasm cut into the module of the first visit and the chunks
//! of the pages it does not need (src/chunks.rs), which the browser fetches
//! when such a page first opens.
//!
//! Trunk cannot split a wasm (trunk#1022), so after `trunk build` this
//! splits the linker's output with wasm_split_cli_support (the splitter of
//! cargo-leptos), runs wasm-bindgen on the main module and wasm-opt on every
//! module, and puts them in dist/ in place of Trunk's unsplit pair:
//!
//! - `{stem}.js` and `{stem}_bg.wasm`: the glue and the main module, as
//!   before;
//! - `__wasm_split.js`: the chunk loader, which the glue imports, and which
//!   imports the glue's `initSync` for the main module's memory and table;
//! - `split_{page}.wasm` and `chunk_{n}.wasm` (code two pages share).
//!
//! `name_by_content` in dist.rs renames them all after their final bytes.

use std::path::Path;

use anyhow::{Context, Result};

use crate::cmd::{command, run_step, target_dir};
use crate::wasm_module;

/// wasm-opt's flags for every module.
/// - `-Oz`: size first.
/// - rustc enables these wasm features by default; wasm-opt must be told
///   them, and only them (binaryen's `--all-features` would also allow
///   encodings browsers cannot read yet, such as its compact import
///   section).
/// - `--low-memory-unused`: nothing lives in the first KB of memory (rustc
///   puts the 1 MiB stack first, growing down from 1 MiB, and the data above
///   it), so wasm-opt may fold `pointer + constant` into a load's offset:
///   1.5 KB brotli less, and fewer raw bytes. dist checks the data segments
///   (`check_low_memory_unused`).
/// - The producers and target-features sections, and debug names, are for
///   tools (wasm-bindgen has run by then), not browsers: stripped.
pub const WASM_OPT: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--low-memory-unused",
    "--strip-producers",
    "--strip-target-features",
    "--strip-debug",
];

/// The loader's file name in dist/, as the glue imports it (`./{LOADER}`).
pub const LOADER: &str = "__wasm_split.js";

/// Whether a file of dist/ is a chunk: every wasm but the main module,
/// `{stem}_bg.wasm`.
pub fn is_chunk(file: &str) -> bool {
    file.ends_with(".wasm") && !file.ends_with("_bg.wasm")
}

/// Splits the linker's wasm and puts the modules, the glue and the loader
/// into `dist` under Trunk's `stem`.
pub fn split_into(dist: &Path, stem: &str) -> Result<()> {
    let raw_path = target_dir().join("wasm32-unknown-unknown/release/cognito-spa.wasm");
    let raw =
        std::fs::read(&raw_path).with_context(|| format!("reading {}", raw_path.display()))?;
    let work = target_dir().join("wasm-split");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let main = work.join("main.wasm");
    let glue_module = format!("./{stem}.js");
    let loader_module = format!("./{LOADER}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&raw);
        options.output_dir = &work;
        options.main_out_path = &main;
        options.link_name = &loader_module;
        options.main_module = &glue_module;
        options.target.web();
        options
    })
    // eyre's report, as text: anyhow cannot take it as a source.
    .map_err(|error| anyhow::anyhow!("{error:?}"))
    .with_context(|| format!("splitting {}", raw_path.display()))?;
    anyhow::ensure!(
        !split.split_modules.is_empty(),
        "{} has no split points: was it built with --cfg split_wasm?",
        raw_path.display()
    );

    let bindgen = work.join("bindgen");
    run_step(
        "wasm-bindgen on the main module",
        command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                // The function table stays exported: the chunks' code is
                // called through it.
                "--keep-lld-exports",
                "--out-name",
                stem,
                "--out-dir",
            ])
            .arg(&bindgen)
            .arg(&main),
    )?;
    let main_wasm = dist.join(format!("{stem}_bg.wasm"));
    std::fs::copy(bindgen.join(format!("{stem}_bg.wasm")), &main_wasm)?;
    std::fs::copy(
        bindgen.join(format!("{stem}.js")),
        dist.join(format!("{stem}.js")),
    )?;
    // wasm-bindgen's `inline_js` snippets (the app has none today) would be
    // the same files as those Trunk copied from its own run: the imports
    // all stay in the main module.
    let loader = std::fs::read_to_string(work.join(LOADER))?;
    std::fs::write(dist.join(LOADER), taking_early_modules(&loader)?)?;
    optimize(&main_wasm)?;

    let mut chunks = Vec::new();
    for path in &split.split_modules {
        let file = file_name(path)?;
        anyhow::ensure!(
            is_chunk(&file),
            "the splitter wrote {file}, named as a main module"
        );
        let out = dist.join(&file);
        // The splitter's debug names hold a kind binaryen cannot read (and
        // warns about); they would be stripped anyway.
        let chunk = std::fs::read(path)?;
        std::fs::write(&out, wasm_module::without_custom(&chunk, "name")?)?;
        optimize(&out)?;
        chunks.push(file);
    }
    chunks.sort();
    println!("    split into {stem}_bg.wasm and {}", chunks.join(", "));
    Ok(())
}

fn file_name(path: &Path) -> Result<String> {
    Ok(path
        .file_name()
        .with_context(|| format!("{} has no file name", path.display()))?
        .to_string_lossy()
        .into_owned())
}

fn optimize(wasm: &Path) -> Result<()> {
    run_step(
        &format!("wasm-opt {}", wasm.display()),
        command("wasm-opt")
            .arg(wasm)
            .arg("-o")
            .arg(wasm)
            .args(WASM_OPT),
    )
}

/// How the splitter's loader fetches and instantiates each chunk.
const CHUNK_FETCH: [&str; 2] = [
    "const src = fetch(new URL(",
    "return async (imports) => (WebAssembly.instantiateStreaming(src, imports));",
];
/// The same, with the chunk taken compiled from index.html's first script
/// (src/web/early.js) when it started it, so that its compilation overlapped
/// the page's start instead of following the call that needs it.
const CHUNK_TAKE: [&str; 2] = [
    "const src = compiledChunk(new URL(",
    "return async (imports) => (WebAssembly.instantiate(await src, imports));",
];
const COMPILED_CHUNK: &str = r#"
// A chunk index.html's first script began compiling (src/web/early.js),
// taken once (a failed one is compiled afresh on the next attempt); else
// compiled now, as it arrives.
function compiledChunk(url) {
    const early = globalThis.cognitoSpaWasm;
    const module = early && early[url.pathname];
    if (module) {
        delete early[url.pathname];
        return module;
    }
    return WebAssembly.compileStreaming(fetch(url));
}
"#;

/// The splitter's chunk loader, rewritten to take the chunks
/// src/web/early.js compiles. Fails if the loader's text is not what this
/// expects (a new version of the splitter).
pub fn taking_early_modules(loader: &str) -> Result<String> {
    let chunks = loader.matches(CHUNK_FETCH[0]).count();
    anyhow::ensure!(
        chunks > 0
            && CHUNK_FETCH
                .iter()
                .all(|line| loader.matches(line).count() == chunks),
        "the chunk loader does not fetch its chunks as expected: {CHUNK_FETCH:?}"
    );
    let mut out = loader.to_owned();
    for (from, to) in CHUNK_FETCH.iter().zip(CHUNK_TAKE) {
        out = out.replace(from, to);
    }
    Ok(out + COMPILED_CHUNK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_the_splitters_modules_and_not_the_main_one() {
        assert!(is_chunk("split_profile.wasm"));
        assert!(is_chunk("chunk_3.wasm"));
        assert!(is_chunk("cognito-spa-split_trace-0123456789abcdef.wasm"));
        assert!(!is_chunk("cognito-spa-0123456789abcdef_bg.wasm"));
        assert!(!is_chunk("split_profile.js"));
        assert!(!is_chunk("favicon.svg"));
    }

    /// One chunk's fetcher, as wasm_split_cli_support 0.2 writes it.
    const FETCHER: &str = r#"const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);"#;

    #[test]
    fn the_loader_takes_the_chunks_compiled_early() {
        let loader = taking_early_modules(&format!("{FETCHER}\n{FETCHER}")).unwrap();
        assert_eq!(loader.matches("fetch(new URL(").count(), 0);
        assert_eq!(
            loader
                .matches(
                    r#"const src = compiledChunk(new URL("./chunk_3.wasm", import.meta.url));"#
                )
                .count(),
            2
        );
        assert_eq!(
            loader
                .matches("WebAssembly.instantiate(await src, imports)")
                .count(),
            2
        );
        assert!(loader.contains("function compiledChunk(url)"));
    }

    #[test]
    fn a_loader_of_another_shape_is_refused() {
        assert!(taking_early_modules("export const x = 1;").is_err());
        let half = FETCHER.replace("instantiateStreaming", "instantiate");
        assert!(taking_early_modules(&half).is_err());
    }
}
