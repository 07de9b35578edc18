//! The app's only edge to the browser: storage, HTTP (and the requests
//! index.html starts early), the clocks, the
//! page's address, randomness, WebCrypto, the clipboard, timers and locks,
//! and performance marks. Each module is a thin wrapper, so the logic that
//! uses them stays plain Rust with native tests.

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
pub mod clipboard;
pub mod clock;
pub mod crypto;
pub mod early;
pub mod http;
pub mod page;
pub mod perf;
pub mod random;
pub mod storage;
pub mod timers;
