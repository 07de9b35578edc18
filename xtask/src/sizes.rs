//! Sizes of the files in dist/: raw, gzip (level 9) and brotli (quality 11),
//! the encodings a CDN serves.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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
    for f in files {
        out += &format!(
            "| {} | {} | {} | {} |\n",
            f.name,
            kb(f.raw),
            kb(f.gzip),
            kb(f.brotli)
        );
    }
    let total = |pick: fn(&FileSize) -> usize| files.iter().map(pick).sum::<usize>();
    out += &format!(
        "| **total (first visit)** | {} | {} | {} |\n",
        kb(total(|f| f.raw)),
        kb(total(|f| f.gzip)),
        kb(total(|f| f.brotli))
    );
    out
}
