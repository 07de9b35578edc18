//! Sizes of the files in dist/: raw, gzip (level 9) and brotli (quality 11),
//! the encodings a CDN serves. The first visit transfers every file but
//! those the app fetches only when a page first needs them
//! ([`FETCHED_LATER`]), which are totalled on their own.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Files of dist/ no first visit loads: the app fetches them when a page
/// first needs them (`public/explain.json` when a claims table first shows,
/// see src/explain/texts.rs; `public/trace-help.json` when /trace first
/// opens, see src/pages/trace.rs).
pub const FETCHED_LATER: &[&str] = &["explain.json", "trace-help.json"];

pub struct FileSize {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

pub fn measure(dir: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(FileSize {
                name: path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                raw: bytes.len(),
                gzip: gzip_len(&bytes)?,
                brotli: brotli_len(&bytes)?,
            })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

impl FileSize {
    /// Whether the first visit transfers this file: not the data the app
    /// fetches when first needed, nor the chunks of the pages it does not
    /// open (their loader is part of the first visit).
    pub fn first_visit(&self) -> bool {
        !FETCHED_LATER.contains(&self.name.as_str()) && !crate::split::is_chunk(&self.name)
    }
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn brotli_len(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

pub fn markdown(files: &[FileSize]) -> String {
    let mut out = String::from("| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
    let (first, later): (Vec<&FileSize>, Vec<&FileSize>) =
        files.iter().partition(|f| f.first_visit());
    for (group, label) in [(first, "first visit"), (later, "fetched when first needed")] {
        if group.is_empty() {
            continue;
        }
        for f in &group {
            out += &format!(
                "| {} | {} | {} | {} |\n",
                f.name,
                kb(f.raw),
                kb(f.gzip),
                kb(f.brotli)
            );
        }
        let total = |pick: fn(&FileSize) -> usize| group.iter().map(|f| pick(f)).sum::<usize>();
        out += &format!(
            "| **total ({label})** | {} | {} | {} |\n",
            kb(total(|f| f.raw)),
            kb(total(|f| f.gzip)),
            kb(total(|f| f.brotli))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, brotli: usize) -> FileSize {
        FileSize {
            name: name.into(),
            raw: brotli * 3,
            gzip: brotli * 2,
            brotli,
        }
    }

    #[test]
    fn files_fetched_later_are_totalled_apart_from_the_first_visit() {
        let table = markdown(&[
            file("app_bg.wasm", 180_000),
            file("explain.json", 2_000),
            file("index.html", 700),
            file("app-split_profile-0123456789abcdef.wasm", 24_000),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[2..],
            [
                "| app_bg.wasm | 540.0 KB | 360.0 KB | 180.0 KB |",
                "| index.html | 2.1 KB | 1.4 KB | 0.7 KB |",
                "| **total (first visit)** | 542.1 KB | 361.4 KB | 180.7 KB |",
                "| explain.json | 6.0 KB | 4.0 KB | 2.0 KB |",
                "| app-split_profile-0123456789abcdef.wasm | 72.0 KB | 48.0 KB | 24.0 KB |",
                "| **total (fetched when first needed)** | 78.0 KB | 52.0 KB | 26.0 KB |",
            ]
        );
    }

    #[test]
    fn the_app_fetches_what_the_first_visit_leaves_out() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let index = std::fs::read_to_string(root.join("index.html")).unwrap();
        for name in FETCHED_LATER {
            assert!(
                index.contains(&format!("rel=\"copy-file\" href=\"public/{name}\"")),
                "index.html copies {name} into dist/"
            );
            assert!(
                !index.contains(&format!("\"/{name}\"")),
                "index.html does not load {name} itself"
            );
        }
    }
}
