//! Drops the glue's JS classes that nothing can ever make an instance of,
//! and the wasm exports only they call.
//!
//! wasm-bindgen exports every `#[wasm_bindgen]` type of every crate in the
//! build, used or not. Leptos always links server_fn, and with it
//! wasm-streams' three stream adapters (`IntoUnderlyingSource` and its
//! kin): the app never makes one, yet their methods, being exports, kept
//! about 6 KB of wasm alive, and their classes were 3 KB of the glue.
//!
//! JS gets an instance of such a class only from its constructor or from
//! `Class.__wrap(pointer)`, which the glue calls when the wasm hands one
//! out. A class with neither is dead. Its exports are removed here, and
//! wasm-opt then removes the code only they reached.

use anyhow::{bail, Result};

use crate::short_imports::words;
use crate::wasm_module::{leb as read_leb, name as read_name, put_leb, put_name, sections};

/// What dropping the dead classes did.
#[derive(Debug, PartialEq, Eq)]
pub struct Dropped {
    pub glue: String,
    pub wasm: Vec<u8>,
    /// The classes removed, in the glue's order.
    pub classes: Vec<String>,
    /// The wasm exports removed.
    pub exports: Vec<String>,
}

/// One `export class NAME { … }` of the glue: its name and byte range,
/// including the `if (Symbol.dispose) …` line wasm-bindgen writes after it.
fn classes(glue: &str) -> Vec<(String, std::ops::Range<usize>)> {
    const START: &str = "export class ";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = glue[from..].find(START) {
        let start = from + offset;
        from = start + START.len();
        if start > 0 && !glue[..start].ends_with('\n') {
            continue;
        }
        let name: String = glue[from..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        // The class body ends at the first `}` at the start of a line.
        let Some(close) = glue[from..].find("\n}\n") else {
            continue;
        };
        let mut end = from + close + 3;
        let dispose = format!("if (Symbol.dispose) {name}.prototype");
        if glue[end..].starts_with(&dispose) {
            end += glue[end..].find('\n').map_or(glue.len() - end, |n| n + 1);
        }
        found.push((name, start..end));
    }
    found
}

/// The range of `const {name}Finalization = …;\n`, wasm-bindgen's registry
/// that frees the instances of the class `name`.
fn finalization(glue: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = glue.find(&format!("\nconst {name}Finalization = "))? + 1;
    let end = start + glue[start..].find(";\n")? + 2;
    Some(start..end)
}

/// Every `wasm.NAME` the text reads.
fn exports_read(text: &str) -> Vec<&str> {
    words(text)
        .filter(|(start, _)| text[..*start].ends_with("wasm."))
        .map(|(_, word)| word)
        .collect()
}

/// Removes the dead classes from `glue` and the exports only they read
/// from `wasm`. A class still named anywhere else in the glue is kept.
pub fn drop_dead_classes(wasm: &[u8], glue: &str) -> Result<Dropped> {
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    let mut dead = Vec::new();
    for (name, range) in classes(glue) {
        let body = &glue[range.clone()];
        if body.contains("constructor(") || glue.contains(&format!("{name}.__wrap(")) {
            continue;
        }
        let mut ranges = vec![range];
        ranges.extend(finalization(glue, &name));
        let rest = without(glue, &ranges);
        if words(&rest).any(|(_, word)| word == name) {
            continue;
        }
        cut.extend(ranges);
        dead.push(name);
    }
    let removed: String = cut.iter().map(|r| &glue[r.clone()]).collect();
    let new_glue = without(glue, &cut);
    let still_read = exports_read(&new_glue);
    let mut unused: Vec<String> = exports_read(&removed)
        .into_iter()
        .filter(|export| !still_read.contains(export))
        .map(str::to_owned)
        .collect();
    unused.sort();
    unused.dedup();
    let (wasm, exports) = without_exports(wasm, &unused)?;
    Ok(Dropped {
        glue: new_glue,
        wasm,
        classes: dead,
        exports,
    })
}

/// `text` without the byte ranges (which do not overlap).
fn without(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in sorted {
        out.push_str(&text[copied..range.start]);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The module without the exports named in `names`; also the names it
/// removed, so a caller sees when the wasm lacked one.
fn without_exports(wasm: &[u8], names: &[String]) -> Result<(Vec<u8>, Vec<String>)> {
    let found = sections(wasm)?;
    let mut out = wasm[..8].to_vec();
    let mut removed = Vec::new();
    for (id, range) in &found {
        let body = &wasm[range.clone()];
        out.push(*id);
        if *id != 7 {
            put_leb(&mut out, body.len() as u32);
            out.extend_from_slice(body);
            continue;
        }
        let mut pos = 0;
        let count = read_leb(body, &mut pos)?;
        let mut kept = Vec::new();
        let mut kept_count = 0;
        for _ in 0..count {
            let export = read_name(body, &mut pos)?;
            let desc_start = pos;
            pos += 1;
            read_leb(body, &mut pos)?;
            if names.iter().any(|n| n == export) {
                removed.push(export.to_owned());
            } else {
                put_name(&mut kept, export);
                kept.extend_from_slice(&body[desc_start..pos]);
                kept_count += 1;
            }
        }
        if pos != body.len() {
            bail!("the export section has bytes after its last export");
        }
        let mut section = Vec::new();
        put_leb(&mut section, kept_count);
        section.extend_from_slice(&kept);
        put_leb(&mut out, section.len() as u32);
        out.extend_from_slice(&section);
    }
    Ok((out, removed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm_module::test_module;

    /// A module that exports the functions `exports` (all of type 0).
    fn module(exports: &[&str]) -> Vec<u8> {
        let numbered: Vec<(&str, u8)> = exports.iter().copied().zip(0..).collect();
        test_module(&[], &numbered)
    }

    /// A class as wasm-bindgen writes it, with a registry and `extra` in
    /// its body.
    fn class(name: &str, extra: &str) -> String {
        let lower = name.to_lowercase();
        format!(
            "export class {name} {{\n    free() {{\n        wasm.__wbg_{lower}_free(this.__wbg_ptr, 0);\n    }}\n    pull(c) {{\n        return wasm.{lower}_pull(this.__wbg_ptr, c);\n    }}\n{extra}}}\nif (Symbol.dispose) {name}.prototype[Symbol.dispose] = {name}.prototype.free;\n"
        )
    }

    fn registry(name: &str) -> String {
        let lower = name.to_lowercase();
        format!("const {name}Finalization = (typeof FinalizationRegistry === 'undefined')\n    ? {{ register: () => {{}}, unregister: () => {{}} }}\n    : new FinalizationRegistry(ptr => wasm.__wbg_{lower}_free(ptr, 1));\n")
    }

    #[test]
    fn a_class_nothing_can_instantiate_goes_with_its_exports() {
        let kept = class("Kept", "    static __wrap(ptr) { return ptr; }\n");
        let glue = format!(
            "let wasm;\n{}{kept}\n{}function start() {{ return Kept.__wrap(wasm.main()); }}\n",
            class("Source", ""),
            registry("Source"),
        );
        let wasm = module(&["__wbg_source_free", "source_pull", "main", "kept_pull"]);
        let dropped = drop_dead_classes(&wasm, &glue).unwrap();
        assert_eq!(dropped.classes, ["Source"]);
        assert_eq!(dropped.exports, ["__wbg_source_free", "source_pull"]);
        assert_eq!(
            dropped.glue,
            format!("let wasm;\n{kept}\nfunction start() {{ return Kept.__wrap(wasm.main()); }}\n")
        );
        // The other exports keep their indices: only entries are removed.
        assert_eq!(
            dropped.wasm,
            test_module(&[], &[("main", 2), ("kept_pull", 3)])
        );
    }

    #[test]
    fn a_class_that_can_be_made_or_is_named_elsewhere_stays() {
        let constructed = class(
            "Made",
            "    constructor() { this.__wbg_ptr = wasm.made_new(); }\n",
        );
        let named = format!("{}const s = Named;\n", class("Named", ""));
        let wrapped = format!(
            "{}function f(p) {{ return Wrapped.__wrap(p); }}\n",
            class("Wrapped", "")
        );
        for glue in [constructed, named, wrapped] {
            let wasm = module(&["main"]);
            let dropped = drop_dead_classes(&wasm, &glue).unwrap();
            assert!(dropped.classes.is_empty(), "{glue}");
            assert_eq!(dropped.glue, glue);
            assert_eq!(dropped.wasm, wasm);
        }
    }

    #[test]
    fn an_export_the_rest_of_the_glue_reads_stays() {
        let glue = format!("{}wasm.shared_pull();\n", class("Shared", ""));
        let wasm = module(&["__wbg_shared_free", "shared_pull"]);
        let dropped = drop_dead_classes(&wasm, &glue).unwrap();
        assert_eq!(dropped.classes, ["Shared"]);
        assert_eq!(dropped.exports, ["__wbg_shared_free"]);
        assert_eq!(dropped.glue, "wasm.shared_pull();\n");
    }
}
