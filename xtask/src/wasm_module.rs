//! Reading and writing the bytes of a wasm module: section boundaries, the
//! LEB128 numbers and names they are made of, and the facts about a module
//! that the release build rewrites or checks (`short_imports`,
//! `dead_classes`, `dist`).

use anyhow::{bail, Context, Result};

pub fn leb(bytes: &[u8], at: &mut usize) -> Result<u32> {
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

pub fn put_leb(out: &mut Vec<u8>, mut value: u32) {
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

pub fn name<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str> {
    let len = leb(bytes, at)? as usize;
    let text = bytes
        .get(*at..*at + len)
        .context("the wasm ends inside a name")?;
    *at += len;
    std::str::from_utf8(text).context("a name in the wasm is not UTF-8")
}

pub fn put_name(out: &mut Vec<u8>, text: &str) {
    put_leb(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
}

/// The byte range of each section's body, by section id.
pub fn sections(wasm: &[u8]) -> Result<Vec<(u8, std::ops::Range<usize>)>> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        bail!("not a wasm module (version 1)");
    }
    let mut found = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)? as usize;
        if at + size > wasm.len() {
            bail!("a section runs past the end of the wasm");
        }
        found.push((id, at..at + size));
        at += size;
    }
    Ok(found)
}

/// The module without its custom sections named `custom` (say `name`, the
/// debug names, which browsers do not need).
pub fn without_custom(wasm: &[u8], custom: &str) -> Result<Vec<u8>> {
    let mut out = wasm[..8].to_vec();
    for (id, range) in sections(wasm)? {
        let body = &wasm[range];
        if id == 0 && name(body, &mut 0)? == custom {
            continue;
        }
        out.push(id);
        put_leb(&mut out, body.len() as u32);
        out.extend_from_slice(body);
    }
    Ok(out)
}

fn signed_leb(bytes: &[u8], at: &mut usize) -> Result<i64> {
    let mut value: i64 = 0;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at).context("the wasm ends inside a number")?;
        *at += 1;
        value |= i64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            if shift < 64 && byte & 0x40 != 0 {
                value |= -1 << shift;
            }
            return Ok(value);
        }
        anyhow::ensure!(shift < 35, "a number in the wasm is too long");
    }
}

/// The lowest address an active data segment of the memory starts at.
pub fn lowest_data_address(wasm: &[u8]) -> Result<Option<u32>> {
    let mut lowest = None::<u32>;
    for (id, range) in sections(wasm)? {
        if id != 11 {
            continue;
        }
        let body = &wasm[range];
        let mut at = 0;
        let count = leb(body, &mut at)?;
        for _ in 0..count {
            let kind = leb(body, &mut at)?;
            if kind == 1 {
                // Passive: copied where the code says, not placed at start.
                let len = leb(body, &mut at)? as usize;
                at += len;
                continue;
            }
            if kind == 2 {
                leb(body, &mut at)?;
            }
            anyhow::ensure!(
                body.get(at) == Some(&0x41),
                "a data segment's offset is not an i32.const"
            );
            at += 1;
            let offset = signed_leb(body, &mut at)?;
            anyhow::ensure!(
                body.get(at) == Some(&0x0b),
                "a data segment's offset has more than one instruction"
            );
            at += 1;
            let len = leb(body, &mut at)? as usize;
            at += len;
            let offset = u32::try_from(offset).unwrap_or(0);
            lowest = Some(lowest.map_or(offset, |l| l.min(offset)));
        }
    }
    Ok(lowest)
}

/// A module importing functions of type 0 and exporting the functions
/// `(name, index)`, with a type section first and a custom section last:
/// what the tests of the wasm rewrites start from.
#[cfg(test)]
pub fn test_module(imports: &[(&str, &str)], exports: &[(&str, u8)]) -> Vec<u8> {
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
    if !exports.is_empty() {
        let mut section = Vec::new();
        put_leb(&mut section, exports.len() as u32);
        for (export, index) in exports {
            put_name(&mut section, export);
            section.extend_from_slice(&[0, *index]);
        }
        wasm.push(7);
        put_leb(&mut wasm, section.len() as u32);
        wasm.extend_from_slice(&section);
    }
    wasm.extend_from_slice(&[0, 4, 3, b'x', b'y', b'z']);
    wasm
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with one memory and active data segments at `offsets`.
    fn with_data(offsets: &[i32]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut section = vec![offsets.len() as u8];
        for offset in offsets {
            section.extend_from_slice(&[0, 0x41]);
            let mut value = *offset;
            loop {
                let byte = (value & 0x7f) as u8;
                value >>= 7;
                let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0);
                section.push(if done { byte } else { byte | 0x80 });
                if done {
                    break;
                }
            }
            section.extend_from_slice(&[0x0b, 2, b'h', b'i']);
        }
        wasm.push(11);
        wasm.push(section.len() as u8);
        wasm.extend_from_slice(&section);
        wasm
    }

    #[test]
    fn a_custom_section_goes_by_its_name_and_the_rest_stays() {
        let module = test_module(&[("m", "f")], &[("g", 0)]);
        let mut named = module.clone();
        named.extend_from_slice(&[0, 6, 4, b'n', b'a', b'm', b'e', 9]);
        assert_eq!(without_custom(&named, "name").unwrap(), module);
        assert_eq!(without_custom(&module, "name").unwrap(), module);
        // test_module's own custom section is "xyz".
        assert_eq!(
            without_custom(&module, "xyz").unwrap(),
            module[..module.len() - 6]
        );
        assert!(without_custom(b"not wasm", "name").is_err());
    }

    #[test]
    fn the_lowest_data_address_is_read_from_the_segments() {
        assert_eq!(
            lowest_data_address(&with_data(&[1_048_576, 1_098_528])).unwrap(),
            Some(1_048_576)
        );
        assert_eq!(
            lowest_data_address(&with_data(&[4096, 16])).unwrap(),
            Some(16)
        );
        assert_eq!(lowest_data_address(&with_data(&[])).unwrap(), None);
        assert_eq!(lowest_data_address(b"\0asm\x01\0\0\0").unwrap(), None);
    }
}
