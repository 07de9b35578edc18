//! Short import names for the release wasm and its JS glue.
//!
//! wasm-bindgen names each import the wasm needs from its glue
//! `__wbg_{what}_{16 hex digits}`, from the module `./{crate}_bg.js`, and
//! writes each name twice: in the wasm's import section and as a key of the
//! glue's imports object. The app has about 190 of them, and the hex digits
//! do not compress: they were about 6 KB of the first visit (gzip). Both
//! files are rewritten together, the module to `a` and each import to a
//! name of one or two letters; nothing else in either file changes.

use anyhow::{bail, Context, Result};

/// What renaming the imports of one wasm module did.
pub struct Renamed {
    pub wasm: Vec<u8>,
    /// The module every import came from.
    pub module: String,
    /// (old name, new name), in import order.
    pub names: Vec<(String, String)>,
}

/// The new module name.
const MODULE: &str = "a";

fn leb(bytes: &[u8], at: &mut usize) -> Result<u32> {
    let mut value: u64 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at).context("the wasm ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return u32::try_from(value).context("a number in the wasm is too large");
        }
    }
    bail!("a number in the wasm is too long")
}

fn put_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn name<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str> {
    let len = leb(bytes, at)? as usize;
    let text = bytes
        .get(*at..*at + len)
        .context("the wasm ends inside a name")?;
    *at += len;
    std::str::from_utf8(text).context("a name in the wasm is not UTF-8")
}

fn put_name(out: &mut Vec<u8>, text: &str) {
    put_leb(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
}

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

/// Renames every import of `wasm` (all function imports from one module,
/// as wasm-bindgen emits them).
pub fn rename_imports(wasm: &[u8]) -> Result<Renamed> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        bail!("not a wasm module (version 1)");
    }
    let mut at = 8;
    while at < wasm.len() {
        let section_start = at;
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)? as usize;
        let body_start = at;
        let body_end = body_start + size;
        if body_end > wasm.len() {
            bail!("a section runs past the end of the wasm");
        }
        if id != 2 {
            at = body_end;
            continue;
        }
        let body = &wasm[body_start..body_end];
        let mut pos = 0;
        let count = leb(body, &mut pos)?;
        let mut section = Vec::new();
        put_leb(&mut section, count);
        let mut module = None::<String>;
        let mut names = Vec::new();
        for index in 0..count as usize {
            let from = name(body, &mut pos)?;
            let old = name(body, &mut pos)?.to_owned();
            match &module {
                None => module = Some(from.to_owned()),
                Some(m) if m != from => {
                    bail!("imports from two modules ({m} and {from}); expected wasm-bindgen's one")
                }
                Some(_) => {}
            }
            let desc_start = pos;
            if body.get(pos) != Some(&0) {
                bail!("import {old} is not a function; expected only functions");
            }
            pos += 1;
            leb(body, &mut pos)?;
            let new = short_name(index);
            put_name(&mut section, MODULE);
            put_name(&mut section, &new);
            section.extend_from_slice(&body[desc_start..pos]);
            names.push((old, new));
        }
        if pos != body.len() {
            bail!("the import section has bytes after its last import");
        }
        let mut out = wasm[..section_start].to_vec();
        out.push(2);
        put_leb(&mut out, section.len() as u32);
        out.extend_from_slice(&section);
        out.extend_from_slice(&wasm[body_end..]);
        return Ok(Renamed {
            wasm: out,
            module: module.unwrap_or_default(),
            names,
        });
    }
    bail!("the wasm has no import section")
}

/// The glue with the same renames: each old name must be a whole word of
/// it exactly once (its key in the imports object), and the module's name
/// one quoted string, or the glue is not what this expects and nothing is
/// changed.
pub fn rewrite_glue(js: &str, renamed: &Renamed) -> Result<String> {
    let module = format!("\"{}\"", renamed.module);
    if js.matches(&module).count() != 1 {
        bail!("expected the glue to name the module {module} exactly once");
    }
    let js = js.replacen(&module, &format!("\"{MODULE}\""), 1);
    let renames: std::collections::HashMap<&str, &str> = renamed
        .names
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    let mut out = String::with_capacity(js.len());
    let mut word = String::new();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut flush = |word: &mut String, out: &mut String| {
        match renames.get_key_value(word.as_str()) {
            Some((old, new)) => {
                *seen.entry(old).or_default() += 1;
                out.push_str(new);
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in js.chars() {
        if is_word(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
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

    /// A module importing two functions of type 0 from `./app_bg.js`, with
    /// a type section before and a custom section after.
    fn module(imports: &[(&str, &str)]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut section = Vec::new();
        put_leb(&mut section, imports.len() as u32);
        for (from, field) in imports {
            put_name(&mut section, from);
            put_name(&mut section, field);
            section.extend_from_slice(&[0, 0]);
        }
        wasm.push(2);
        put_leb(&mut wasm, section.len() as u32);
        wasm.extend_from_slice(&section);
        wasm.extend_from_slice(&[0, 4, 3, b'x', b'y', b'z']);
        wasm
    }

    #[test]
    fn imports_get_short_names_and_the_rest_of_the_wasm_stays() {
        let wasm = module(&[
            ("./app_bg.js", "__wbg_now_0123456789abcdef"),
            ("./app_bg.js", "__wbindgen_throw_fedcba9876543210"),
        ]);
        let renamed = rename_imports(&wasm).unwrap();
        assert_eq!(renamed.module, "./app_bg.js");
        assert_eq!(
            renamed.names,
            [
                ("__wbg_now_0123456789abcdef".to_owned(), "a".to_owned()),
                (
                    "__wbindgen_throw_fedcba9876543210".to_owned(),
                    "b".to_owned()
                ),
            ]
        );
        assert_eq!(renamed.wasm, module(&[("a", "a"), ("a", "b")]));
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
        let renamed = rename_imports(&module(&[
            ("./app_bg.js", "__wbg_now_0123456789abcdef"),
            ("./app_bg.js", "__wbg_now_0123456789abcdef1"),
        ]))
        .unwrap();
        let js = r#"const i={__wbg_now_0123456789abcdef:function(){return Date.now()},__wbg_now_0123456789abcdef1(){}};const m={"./app_bg.js":i};"#;
        assert_eq!(
            rewrite_glue(js, &renamed).unwrap(),
            r#"const i={a:function(){return Date.now()},b(){}};const m={"a":i};"#
        );
        // A glue that names an import twice, or not at all, is refused.
        let twice = format!("{js}i.__wbg_now_0123456789abcdef();");
        assert!(rewrite_glue(&twice, &renamed).is_err());
        let missing = js.replace("__wbg_now_0123456789abcdef1", "x");
        assert!(rewrite_glue(&missing, &renamed).is_err());
        assert!(rewrite_glue(&js.replace("\"./app_bg.js\"", "m"), &renamed).is_err());
    }

    #[test]
    fn modules_that_are_not_wasm_bindgens_are_refused() {
        assert!(rename_imports(b"not wasm").is_err());
        assert!(rename_imports(&module(&[("./a.js", "x"), ("./b.js", "y")])).is_err());
        let mut global = module(&[("./a.js", "x")]);
        let kind = global.len() - 6 - 2;
        global[kind] = 3;
        assert!(rename_imports(&global).is_err());
    }
}
