//! `cargo xtask dist`: the release build into dist/, and what it weighs.

use anyhow::{Context, Result};

use crate::cmd::{command, node_tools_dir, root, run_step, target_dir};
use crate::toolchain::{rebuilt_std, NIGHTLY};
use crate::{dead_classes, setup, short_imports, sizes, split, wasm_module};

pub fn run() -> Result<()> {
    setup::run()?;
    build()?;
    let table = sizes::measure(&root().join("dist"))?;
    println!("\n{}", sizes::markdown(&table));
    Ok(())
}

/// `trunk build --release --offline`: opt-level z, LTO, on the pinned
/// nightly so that the standard library is rebuilt for size and panics
/// abort without a message or source location; then the split into page
/// chunks and wasm-opt -Oz of every module (see [`crate::split`]). Measured on the
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
            // split_wasm: the pages' split points (src/chunks.rs); the
            // splitter reads the relocations to know what each function uses.
            .env(
                "RUSTFLAGS",
                "--cfg erase_components --cfg split_wasm -Zlocation-detail=none -C link-arg=--emit-relocs",
            ),
    )?;
    let dist = root().join("dist");
    split::split_into(&dist, &the_stem(&dist)?)?;
    drop_dead_classes()?;
    check_low_memory_unused()?;
    shorten_import_names()?;
    minify_js_glue()?;
    name_by_content()
}

/// Renames the wasm, its JS glue, the chunk loader and the chunks after
/// what they hold now. Trunk names the pair by a hash of what it built, but
/// the steps above change every file afterwards: a change of terser or of
/// the renaming alone would ship new bytes under names that CloudFront and
/// browsers cache for a year, and a browser holding one old file of the set
/// would load a mismatched set. One hash names the whole set, since the
/// glue and the loader import each other and the loader names the chunks.
fn name_by_content() -> Result<()> {
    let dist = root().join("dist");
    let stem = the_stem(&dist)?;
    let wasm_path = dist.join(format!("{stem}_bg.wasm"));
    let js_path = dist.join(format!("{stem}.js"));
    let loader_path = dist.join(split::LOADER);
    let chunks = chunk_files(&dist)?;
    let mut bytes = vec![
        std::fs::read(&wasm_path)?,
        std::fs::read(&js_path)?,
        std::fs::read(&loader_path)?,
    ];
    for chunk in &chunks {
        bytes.push(std::fs::read(dist.join(chunk))?);
    }
    let (name, hash) = content_hash(&stem, &bytes)
        .with_context(|| format!("{stem}_bg.wasm is not named {{name}}-{{hash}}_bg.wasm"))?;
    let new_stem = format!("{name}-{hash}");
    let new_loader = format!("{name}-split-{hash}.js");

    let mut loader = std::fs::read_to_string(&loader_path)?;
    let mut for_profile = Vec::new();
    for chunk in &chunks {
        let chunk_stem = chunk.strip_suffix(".wasm").unwrap_or(chunk);
        let new_chunk = format!("{name}-{chunk_stem}-{hash}.wasm");
        if chunk_stem == "split_profile" || chunk_stem.starts_with("chunk_") {
            for_profile.push(format!("/{new_chunk}"));
        }
        let old_url = format!("./{chunk}");
        anyhow::ensure!(
            loader.contains(&old_url),
            "the chunk loader does not fetch {old_url}"
        );
        loader = loader.replace(&old_url, &format!("./{new_chunk}"));
        std::fs::rename(dist.join(chunk), dist.join(&new_chunk))?;
    }
    let loader = replace_once(
        &loader,
        &format!("./{stem}.js"),
        &format!("./{new_stem}.js"),
    )
    .context("the chunk loader does not import the glue")?;
    std::fs::write(dist.join(&new_loader), loader)?;
    std::fs::remove_file(&loader_path)?;

    let glue = std::fs::read_to_string(&js_path)?;
    let glue = import_from(
        &glue,
        &format!("./{}", split::LOADER),
        &format!("./{new_loader}"),
    )
    .context("the glue does not import the chunk loader")?
    .replace(&stem, &new_stem);
    std::fs::write(dist.join(format!("{new_stem}.js")), glue)?;
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
    // The glue imports the loader: preloaded with it (as Trunk preloads
    // the glue), it costs no round trip of its own before the app starts.
    let index = replace_once(
        &index,
        "</head>",
        &format!("<link crossorigin href=/{new_loader} rel=modulepreload></head>"),
    )
    .context("dist/index.html has no </head>")?;
    let main_href = format!("/{stem}_bg.wasm");
    let index = name_early_modules(&index, &main_href, &for_profile)
        .context("dist/index.html has no inline script for the early requests")?;
    let index = init_with_early_module(&index, &main_href)
        .context("dist/index.html does not start the wasm as Trunk writes it")?;
    std::fs::write(&index_path, index.replace(&stem, &new_stem))?;
    println!(
        "    {stem} is now {new_stem}, after the final bytes of it, its loader and {} chunks",
        chunks.len()
    );
    Ok(())
}

/// `js` importing `to` where it imported `from` (wasm-bindgen imports the
/// loader once per split point), if it did. Only the import statements
/// change: the imports object keeps the wasm's name for the module.
fn import_from(js: &str, from: &str, to: &str) -> Option<String> {
    let mut out = js.to_owned();
    let mut found = false;
    for quote in ['"', '\''] {
        for space in ["", " "] {
            let old = format!("from{space}{quote}{from}{quote}");
            found |= out.contains(&old);
            out = out.replace(&old, &format!("from{space}{quote}{to}{quote}"));
        }
    }
    found.then_some(out)
}

/// `index` with the modules src/web/early.js compiles named in meta
/// elements before the first script, which is early.js: the main module on
/// every page, and on /callback the chunks of /profile, where sign-in goes
/// next.
fn name_early_modules(index: &str, main: &str, profile_chunks: &[String]) -> Option<String> {
    let at = index.find("<script")?;
    let metas = format!(
        "<meta name=cognito-spa-wasm content=\"{main}\"><meta name=cognito-spa-profile-chunks content=\"{}\">",
        profile_chunks.join(" ")
    );
    Some(format!("{}{metas}{}", &index[..at], &index[at..]))
}

/// `index` with Trunk's init script taking the main module early.js began
/// compiling. Should that compilation fail, it fetches the module itself,
/// and the glue's own fallbacks apply (a server that sends another MIME
/// type than `application/wasm`). Trunk's preload of the module goes:
/// Chromium does not hand a preload its parser has not reached yet to
/// early.js's fetch, and would fetch the module twice.
fn init_with_early_module(index: &str, main: &str) -> Option<String> {
    let index = replace_once(
        index,
        &format!("<link as=fetch crossorigin href={main} rel=preload type=application/wasm>"),
        "",
    )?;
    replace_once(
        &index,
        &format!("module_or_path: '{main}'"),
        &format!(
            "module_or_path: (window.cognitoSpaWasm?.['{main}'] ?? Promise.reject()).catch(() => fetch('{main}'))"
        ),
    )
}

/// `text` with `from` replaced by `to`, if `from` is in it exactly once.
fn replace_once(text: &str, from: &str, to: &str) -> Option<String> {
    (text.matches(from).count() == 1).then(|| text.replacen(from, to, 1))
}

/// The chunks in `dist` (see [`split::is_chunk`]), sorted.
fn chunk_files(dist: &std::path::Path) -> Result<Vec<String>> {
    files_in(dist, |name| split::is_chunk(name).then(|| name.to_owned()))
}

/// The stem of the one wasm Trunk built (`{stem}_bg.wasm`, with its glue
/// `{stem}.js`).
fn the_stem(dist: &std::path::Path) -> Result<String> {
    match wasm_stems(dist)?.as_slice() {
        [stem] => Ok(stem.clone()),
        stems => anyhow::bail!("expected one wasm module in dist/, found {stems:?}"),
    }
}

/// The stem of each wasm in `dist` (`{stem}_bg.wasm`, with its glue
/// `{stem}.js`), sorted.
fn wasm_stems(dist: &std::path::Path) -> Result<Vec<String>> {
    files_in(dist, |name| {
        name.strip_suffix("_bg.wasm").map(str::to_owned)
    })
}

/// What `pick` makes of the names of the files in `dist` it takes, sorted.
fn files_in(dist: &std::path::Path, pick: impl Fn(&str) -> Option<String>) -> Result<Vec<String>> {
    let mut picked = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        if let Some(item) = pick(&entry?.file_name().to_string_lossy()) {
            picked.push(item);
        }
    }
    picked.sort();
    Ok(picked)
}

/// Trunk's `{name}-{hash}` split, with the hash replaced by 16 hex digits
/// of SHA-256 over `files`, in order.
fn content_hash(stem: &str, files: &[Vec<u8>]) -> Option<(String, String)> {
    use sha2::{Digest, Sha256};
    let (name, _) = stem.rsplit_once('-')?;
    let mut sha = Sha256::new();
    for file in files {
        // Each file's length first: moving bytes from one file to the next
        // is a different set.
        sha.update((file.len() as u64).to_le_bytes());
        sha.update(file);
    }
    let hex: String = sha.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some((name.to_owned(), hex))
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
                .args(wasm_opt_features())
                .arg("--remove-unused-module-elements"),
        )?;
    }
    Ok(())
}

/// The `--enable-…` flags of the modules' wasm-opt run, for the run above:
/// the same features, and only those.
fn wasm_opt_features() -> Vec<&'static str> {
    split::WASM_OPT
        .iter()
        .copied()
        .filter(|flag| flag.starts_with("--enable-"))
        .collect()
}

/// wasm-opt is told to assume that the first KB of memory is unused
/// (`--low-memory-unused`); a build whose data starts lower breaks that
/// assumption, so it stops here instead of shipping.
fn check_low_memory_unused() -> Result<()> {
    let dist = root().join("dist");
    let mut modules: Vec<String> = wasm_stems(&dist)?
        .into_iter()
        .map(|stem| format!("{stem}_bg.wasm"))
        .collect();
    modules.extend(chunk_files(&dist)?);
    for file in modules {
        let wasm = std::fs::read(dist.join(&file))?;
        let lowest = wasm_module::lowest_data_address(&wasm)
            .with_context(|| format!("reading the data segments of {file}"))?;
        anyhow::ensure!(
            lowest.is_none_or(|at| at >= 1024),
            "{file} has data at address {lowest:?}, below the 1 KB that wasm-opt is told is unused (--low-memory-unused, xtask/src/split.rs)"
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
        // The loader reads the main module's memory and table by name: they
        // keep their names.
        let loader = std::fs::read_to_string(dist.join(split::LOADER))?;
        let renamed = short_imports::rename(&std::fs::read(&wasm_path)?, &glue, &loader)
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
    fn the_early_modules_are_named_before_the_first_script() {
        let index = "<title>t</title><script>early()</script><script type=module>x</script>";
        let hrefs = [
            "/a-split_profile-1.wasm".to_owned(),
            "/a-chunk_3-1.wasm".to_owned(),
        ];
        assert_eq!(
            name_early_modules(index, "/a-1_bg.wasm", &hrefs).unwrap(),
            "<title>t</title><meta name=cognito-spa-wasm content=\"/a-1_bg.wasm\"><meta name=cognito-spa-profile-chunks content=\"/a-split_profile-1.wasm /a-chunk_3-1.wasm\"><script>early()</script><script type=module>x</script>"
        );
        assert_eq!(
            name_early_modules("<title>t</title>", "/a-1_bg.wasm", &hrefs),
            None
        );
        let script = std::fs::read_to_string(root().join("src/web/early.js")).unwrap();
        assert!(script.contains(r#"modules("cognito-spa-wasm")"#));
        assert!(script.contains(r#"modules("cognito-spa-profile-chunks")"#));
        assert!(script.contains("window.cognitoSpaWasm"));
    }

    #[test]
    fn the_init_script_takes_the_early_module() {
        let preload =
            "<link as=fetch crossorigin href=/a-1_bg.wasm rel=preload type=application/wasm>";
        let init = "<script type=module>const wasm = await init({ module_or_path: '/a-1_bg.wasm' });</script>";
        assert_eq!(
            init_with_early_module(&format!("{init}{preload}"), "/a-1_bg.wasm").unwrap(),
            "<script type=module>const wasm = await init({ module_or_path: (window.cognitoSpaWasm?.['/a-1_bg.wasm'] ?? Promise.reject()).catch(() => fetch('/a-1_bg.wasm')) });</script>"
        );
        assert_eq!(init_with_early_module(init, "/a-1_bg.wasm"), None);
        assert_eq!(
            init_with_early_module(&format!("{init}{preload}"), "/b-1_bg.wasm"),
            None
        );
    }

    #[test]
    fn the_set_is_named_after_all_its_files_bytes() {
        let files = |list: &[&[u8]]| list.iter().map(|f| f.to_vec()).collect::<Vec<_>>();
        let (name, hash) =
            content_hash("cognito-spa-9b73e5f05fb12e6c", &files(&[b"wasm", b"glue"])).unwrap();
        assert_eq!(name, "cognito-spa");
        assert_eq!(hash.len(), 16);
        for file in [
            format!("{name}-{hash}.js"),
            format!("{name}-{hash}_bg.wasm"),
            format!("{name}-split-{hash}.js"),
            format!("{name}-split_profile-{hash}.wasm"),
        ] {
            assert!(crate::deploy::files::is_hashed(&file), "{file}");
        }
        let other = |list: &[&[u8]]| content_hash("cognito-spa-9b73e5f05fb12e6c", &files(list));
        assert_ne!(
            Some((name.clone(), hash.clone())),
            other(&[b"wasm", b"glue2"])
        );
        assert_ne!(
            Some((name.clone(), hash.clone())),
            other(&[b"wasm2", b"glue"])
        );
        assert_ne!(
            Some((name.clone(), hash.clone())),
            other(&[b"wasm", b"glue", b"chunk"])
        );
        // The same bytes cut elsewhere are another set.
        assert_ne!(
            Some((name.clone(), hash.clone())),
            other(&[b"wasmg", b"lue"])
        );
        // Trunk's own hash does not enter: same bytes, same name.
        assert_eq!(
            Some((name, hash)),
            content_hash("cognito-spa-0000000000000000", &files(&[b"wasm", b"glue"]))
        );
        assert_eq!(content_hash("nohash", &[]), None);
    }

    #[test]
    fn the_loader_is_imported_under_its_new_name_and_keyed_under_its_old() {
        let glue = r#"import*as n from"./l.js";import * as t from './l.js';const i={"./l.js":t};"#;
        assert_eq!(
            import_from(glue, "./l.js", "./l-1.js").as_deref(),
            Some(
                r#"import*as n from"./l-1.js";import * as t from './l-1.js';const i={"./l.js":t};"#
            )
        );
        assert_eq!(
            import_from("const i={\"./l.js\":t};", "./l.js", "./l-1.js"),
            None
        );
    }

    #[test]
    fn a_name_is_replaced_only_where_it_is_once() {
        assert_eq!(
            replace_once("import './a.js'", "./a.js", "./b.js").as_deref(),
            Some("import './b.js'")
        );
        assert_eq!(replace_once("./a.js ./a.js", "./a.js", "./b.js"), None);
        assert_eq!(replace_once("nothing", "./a.js", "./b.js"), None);
    }
}
