//! The harness of the browser end-to-end tests: a static server for dist/
//! with SPA fallback, and headless Chromium driven through chromedriver.
//! Everything binds to 127.0.0.1 on free ports, so tests run in parallel.

pub mod browser;
pub mod csp;
pub mod hosted_ui;
pub mod network;
pub mod site;
pub mod stack;

pub use browser::Browser;
pub use site::Site;
pub use stack::{Options, Stack};

/// The release build under test: `COGNITO_SPA_DIST`, or dist/ at the
/// workspace root. `cargo xtask test` builds it before running these tests.
pub fn dist_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("COGNITO_SPA_DIST")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no app build at {}: run `cargo xtask test` (or `cargo xtask dist`) first",
        dir.display()
    );
    dir
}

/// The release build's file in dist/ whose name holds `marker` and ends in
/// `.wasm`, e.g. `-split_profile-` for /profile's chunk.
pub fn wasm_file(marker: &str) -> String {
    std::fs::read_dir(dist_dir())
        .expect("read dist/")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.contains(marker) && name.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("dist/ has no {marker} wasm: was it built by cargo xtask dist?"))
}
