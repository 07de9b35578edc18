//! Which object each built file becomes: key, Content-Type, Cache-Control,
//! Content-Encoding, and the pre-compressed copies of the wasm module.
//!
//! CloudFront compresses on the fly only the Content-Types on its list, and
//! `application/wasm` is not on it; the module is also the largest file by
//! far. So the deploy uploads it three times: as is, `.br` and `.gz` with
//! `Content-Encoding`, and the hosting stack's viewer-request function picks
//! the copy the browser's `Accept-Encoding` allows.

use std::io::Write;

/// One object to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// S3 key, no leading slash (`index.html`, `app-0123456789abcdef.js`).
    pub key: String,
    pub content_type: &'static str,
    pub cache_control: &'static str,
    pub content_encoding: Option<&'static str>,
    pub body: Vec<u8>,
}

/// For `index.html` and `config.json`: browsers and CloudFront revalidate
/// every time (cheap 304s), so a deploy is visible at once.
pub const REVALIDATE: &str = "no-cache";
/// For files whose name carries a content hash: a new build gets new names.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Trunk's `filehash` names: `{stem}-{16 hex}.{ext}` or `{stem}-{16 hex}_bg.wasm`.
pub fn is_hashed(key: &str) -> bool {
    let file = key.rsplit('/').next().unwrap_or(key);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn cache_control(key: &str) -> &'static str {
    if is_hashed(key) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// The objects for one built file (the wasm module gives three).
pub fn uploads_for(key: &str, body: Vec<u8>) -> std::io::Result<Vec<Upload>> {
    let content_type = content_type(key);
    let cache_control = cache_control(key);
    let mut uploads = Vec::new();
    if content_type == "application/wasm" {
        uploads.push(Upload {
            key: format!("{key}.br"),
            content_type,
            cache_control,
            content_encoding: Some("br"),
            body: brotli(&body)?,
        });
        uploads.push(Upload {
            key: format!("{key}.gz"),
            content_type,
            cache_control,
            content_encoding: Some("gzip"),
            body: gzip(&body)?,
        });
    }
    uploads.push(Upload {
        key: key.to_string(),
        content_type,
        cache_control,
        content_encoding: None,
        body,
    });
    Ok(uploads)
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        // Quality 11, window 22: the densest setting; it runs once per deploy.
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("cognito-spa-f388d6145dd331cd.js"));
        assert!(is_hashed("cognito-spa-f388d6145dd331cd_bg.wasm"));
        assert!(is_hashed("main-b67694e05646f5e3.css"));
        assert!(is_hashed("favicon-5ba79b133f3c5791.svg"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("config.json"));
        assert!(!is_hashed("cognito-spa.js"));
        assert!(!is_hashed("x-f388d6145dd331cz.js"));
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a_bg.wasm"), "application/wasm");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn wasm_gets_compressed_copies_that_decompress_to_it() {
        let wasm = b"\0asm\x01\0\0\0".repeat(200);
        let uploads = uploads_for("app-0123456789abcdef_bg.wasm", wasm.clone()).unwrap();
        let keys: Vec<_> = uploads.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "app-0123456789abcdef_bg.wasm.br",
                "app-0123456789abcdef_bg.wasm.gz",
                "app-0123456789abcdef_bg.wasm"
            ]
        );
        let mut unbr = Vec::new();
        brotli::BrotliDecompress(&mut uploads[0].body.as_slice(), &mut unbr).unwrap();
        assert_eq!(unbr, wasm);
        let mut ungz = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(uploads[1].body.as_slice()),
            &mut ungz,
        )
        .unwrap();
        assert_eq!(ungz, wasm);
        assert!(uploads
            .iter()
            .all(|u| u.content_type == "application/wasm" && u.cache_control == IMMUTABLE));
    }
}
