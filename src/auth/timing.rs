//! `performance` marks around token verification, so `cargo xtask bench`
//! can read how long it took in the browser (DevTools shows them too).

/// Marks the start of a verification.
pub fn start() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("verify-tokens-start");
    }
}

/// Records the `verify-tokens` measure since [`start`].
pub fn finish() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark("verify-tokens", "verify-tokens-start");
    }
}
