//! Short import and export names for the release wasm and its JS glue.
//!
//! wasm-bindgen names each import the wasm needs from its glue
//! `__wbg_{what}_{16 hex digits}`, from the module `./{crate}_bg.js`, and
//! writes each name twice: in the wasm's import section and as a key of the
//! glue's imports object. The app has about 190 of them, and the hex digits
//! do not compress: they were about 6 KB of the first visit (gzip). Both
//! files are rewritten together, the module to `a` and each import to a
//! name of one or two letters; nothing else in either file changes.

use anyhow::{bail, Context, Result};

use crate::wasm_module::{leb, name, put_leb, put_name, sections};

/// What renaming the imports of one wasm module did.
pub struct Renamed {
    pub wasm: Vec<u8>,
    /// The module every import came from.
    pub module: String,
    /// (old name, new name), in import order.
    pub names: Vec<(String, String)>,
    /// (old name, new name) of the exports renamed.
    pub exports: Vec<(String, String)>,
}

/// The new module name.
const MODULE: &str = "a";

/// `a`..`z`, `A`..`Z`, then `aa`, `ab`…: valid JS property names, none of
/// them `__proto__` or any other name with a meaning in an object literal.
pub fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[index % LETTERS.len()]);
        index /= LETTERS.len();
        if index == 0 {
            break;
        }
        index -= 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Every whole word of `js` (ASCII letters, digits, `_` and `$`), with
/// where it starts.
pub(crate) fn words(js: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let bytes = js.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        Some((start, &js[start..at]))
    })
}

/// Renames the imports of `wasm` from wasm-bindgen's module (all of them
/// functions), and those of its exports that `js` only reads as
/// `wasm.NAME`. `other_js` is the rest of the JS that reads the module's
/// exports (the chunk loader): what it names keeps its name. Imports from
/// other modules (the loader's) keep theirs too.
pub fn rename(wasm: &[u8], js: &str, other_js: &str) -> Result<Renamed> {
    let found = sections(wasm)?;
    let body = |id: u8| {
        found
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, r)| &wasm[r.clone()])
    };

    let imports = body(2).context("the wasm has no import section")?;
    let mut pos = 0;
    let count = leb(imports, &mut pos)?;
    let mut import_section = Vec::new();
    put_leb(&mut import_section, count);
    let mut module = None::<String>;
    let mut names = Vec::new();
    for _ in 0..count {
        let from = name(imports, &mut pos)?;
        let old = name(imports, &mut pos)?.to_owned();
        let desc_start = pos;
        if imports.get(pos) != Some(&0) {
            bail!("import {old} is not a function; expected only functions");
        }
        pos += 1;
        leb(imports, &mut pos)?;
        if !from.ends_with("_bg.js") {
            put_name(&mut import_section, from);
            put_name(&mut import_section, &old);
            import_section.extend_from_slice(&imports[desc_start..pos]);
            continue;
        }
        match &module {
            None => module = Some(from.to_owned()),
            Some(m) if m != from => {
                bail!("imports from two modules ({m} and {from}); expected wasm-bindgen's one")
            }
            Some(_) => {}
        }
        let new = short_name(names.len());
        put_name(&mut import_section, MODULE);
        put_name(&mut import_section, &new);
        import_section.extend_from_slice(&imports[desc_start..pos]);
        names.push((old, new));
    }
    if pos != imports.len() {
        bail!("the import section has bytes after its last import");
    }

    // How often the glue names each word, and how often as `wasm.WORD`.
    let mut uses = std::collections::HashMap::<&str, (usize, usize)>::new();
    for (start, word) in words(js) {
        let entry = uses.entry(word).or_default();
        entry.0 += 1;
        if js[..start].ends_with("wasm.") {
            entry.1 += 1;
        }
    }
    for (_, word) in words(other_js) {
        uses.entry(word).or_default().0 += 1;
    }
    let mut export_section = Vec::new();
    let mut exports = Vec::new();
    if let Some(body) = body(7) {
        let mut pos = 0;
        let count = leb(body, &mut pos)?;
        put_leb(&mut export_section, count);
        for _ in 0..count {
            let old = name(body, &mut pos)?;
            let desc_start = pos;
            pos += 1;
            leb(body, &mut pos)?;
            let (all, as_export) = uses.get(old).copied().unwrap_or_default();
            if all == as_export {
                let new = format!("_{}", short_name(exports.len()));
                put_name(&mut export_section, &new);
                exports.push((old.to_owned(), new));
            } else {
                put_name(&mut export_section, old);
            }
            export_section.extend_from_slice(&body[desc_start..pos]);
        }
        if pos != body.len() {
            bail!("the export section has bytes after its last export");
        }
    }

    let mut out = wasm[..8].to_vec();
    for (id, range) in &found {
        let replaced = match id {
            2 => Some(&import_section),
            7 => Some(&export_section),
            _ => None,
        };
        out.push(*id);
        match replaced {
            Some(section) => {
                put_leb(&mut out, section.len() as u32);
                out.extend_from_slice(section);
            }
            None => {
                put_leb(&mut out, range.len() as u32);
                out.extend_from_slice(&wasm[range.clone()]);
            }
        }
    }
    Ok(Renamed {
        wasm: out,
        module: module.unwrap_or_default(),
        names,
        exports,
    })
}

/// The glue with the same renames: each old import name must be a whole
/// word of it exactly once (its key in the imports object), and the
/// module's name one quoted string, or the glue is not what this expects
/// and nothing is changed. The renamed exports are replaced wherever they
/// are read.
pub fn rewrite_glue(js: &str, renamed: &Renamed) -> Result<String> {
    let module = format!("\"{}\"", renamed.module);
    if js.matches(&module).count() != 1 {
        bail!("expected the glue to name the module {module} exactly once");
    }
    let js = js.replacen(&module, &format!("\"{MODULE}\""), 1);
    let renames: std::collections::HashMap<&str, &str> = renamed
        .names
        .iter()
        .chain(&renamed.exports)
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    let mut out = String::with_capacity(js.len());
    let mut copied = 0;
    for (start, word) in words(&js) {
        if let Some(new) = renames.get(word) {
            *seen.entry(word).or_default() += 1;
            out.push_str(&js[copied..start]);
            out.push_str(new);
            copied = start + word.len();
        }
    }
    out.push_str(&js[copied..]);
    for (old, _) in &renamed.names {
        let count = seen.get(old.as_str()).copied().unwrap_or(0);
        if count != 1 {
            bail!("expected the import {old} once in the glue, found it {count} times");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm_module::test_module;

    /// A module importing functions of type 0 and exporting functions 0..,
    /// with a type section first and a custom section last.
    fn module(imports: &[(&str, &str)], exports: &[&str]) -> Vec<u8> {
        let numbered: Vec<(&str, u8)> = exports.iter().copied().zip(0..).collect();
        test_module(imports, &numbered)
    }

    const NOW: &str = "__wbg_now_0123456789abcdef";
    const THROW: &str = "__wbindgen_throw_fedcba9876543210";

    #[test]
    fn imports_get_short_names_and_the_rest_of_the_wasm_stays() {
        let wasm = module(&[("./app_bg.js", NOW), ("./app_bg.js", THROW)], &[]);
        let renamed = rename(&wasm, "", "").unwrap();
        assert_eq!(renamed.module, "./app_bg.js");
        assert_eq!(
            renamed.names,
            [
                (NOW.to_owned(), "a".to_owned()),
                (THROW.to_owned(), "b".to_owned())
            ]
        );
        assert_eq!(renamed.wasm, module(&[("a", "a"), ("a", "b")], &[]));
    }

    #[test]
    fn exports_the_glue_only_reads_from_wasm_get_short_names() {
        let wasm = module(
            &[("./app_bg.js", NOW)],
            &["memory", "__wbindgen_start", "main", "free"],
        );
        let js =
            "let wasm;wasm.memory.buffer;wasm.__wbindgen_start();wasm.free(1);function free(){}";
        let renamed = rename(&wasm, js, "").unwrap();
        // `free` is also a function of the glue's own: kept.
        assert_eq!(
            renamed.exports,
            [
                ("memory".to_owned(), "_a".to_owned()),
                ("__wbindgen_start".to_owned(), "_b".to_owned()),
                ("main".to_owned(), "_c".to_owned())
            ]
        );
        assert_eq!(
            renamed.wasm,
            module(&[("a", "a")], &["_a", "_b", "_c", "free"])
        );
        let glue = format!(r#"{js}const i={{{NOW}(){{}}}};const m={{"./app_bg.js":i}};"#);
        assert_eq!(
            rewrite_glue(&glue, &renamed).unwrap(),
            r#"let wasm;wasm._a.buffer;wasm._b();wasm.free(1);function free(){}const i={a(){}};const m={"a":i};"#
        );
    }

    #[test]
    fn the_chunk_loaders_imports_and_names_stay() {
        const LOAD: &str = "__wasm_split_load_profile";
        let wasm = module(
            &[
                ("./app_bg.js", NOW),
                ("./__wasm_split.js", LOAD),
                ("./app_bg.js", THROW),
            ],
            &["memory", "__wasm_split_shared0", "main"],
        );
        let js = "wasm.memory.buffer;wasm.__wasm_split_shared0;wasm.main();";
        let loader = "const { __wasm_split_shared0, memory } = initSync(undefined, undefined);";
        let renamed = rename(&wasm, js, loader).unwrap();
        assert_eq!(renamed.module, "./app_bg.js");
        assert_eq!(
            renamed.names,
            [
                (NOW.to_owned(), "a".to_owned()),
                (THROW.to_owned(), "b".to_owned())
            ]
        );
        assert_eq!(renamed.exports, [("main".to_owned(), "_a".to_owned())]);
        assert_eq!(
            renamed.wasm,
            module(
                &[("a", "a"), ("./__wasm_split.js", LOAD), ("a", "b")],
                &["memory", "__wasm_split_shared0", "_a"]
            )
        );
    }

    #[test]
    fn names_are_letters_then_pairs() {
        let names: Vec<_> = [0, 25, 26, 51, 52, 53, 52 + 52 * 52 - 1]
            .map(short_name)
            .into_iter()
            .collect();
        assert_eq!(names, ["a", "z", "A", "Z", "aa", "ab", "ZZ"]);
    }

    #[test]
    fn the_glue_gets_the_same_names() {
        let second = format!("{NOW}1");
        let wasm = module(&[("./app_bg.js", NOW), ("./app_bg.js", &second)], &[]);
        let renamed = rename(&wasm, "", "").unwrap();
        let js = format!(
            r#"const i={{{NOW}:function(){{return Date.now()}},{second}(){{}}}};const m={{"./app_bg.js":i}};"#
        );
        assert_eq!(
            rewrite_glue(&js, &renamed).unwrap(),
            r#"const i={a:function(){return Date.now()},b(){}};const m={"a":i};"#
        );
        // A glue that names an import twice, or not at all, is refused.
        let twice = format!("{js}i.{NOW}();");
        assert!(rewrite_glue(&twice, &renamed).is_err());
        let missing = js.replace(&second, "x");
        assert!(rewrite_glue(&missing, &renamed).is_err());
        assert!(rewrite_glue(&js.replace("\"./app_bg.js\"", "m"), &renamed).is_err());
    }

    #[test]
    fn modules_that_are_not_wasm_bindgens_are_refused() {
        assert!(rename(b"not wasm", "", "").is_err());
        let two = module(&[("./a_bg.js", "x"), ("./b_bg.js", "y")], &[]);
        assert!(rename(&two, "", "").is_err());
        let mut global = module(&[("./a.js", "x")], &[]);
        let kind = global.len() - 6 - 2;
        global[kind] = 3;
        assert!(rename(&global, "", "").is_err());
    }
}
