//! `performance` marks, so `cargo xtask bench` can read in the browser how
//! long start-up and token verification took (DevTools shows them too).

/// The mark set when `/profile` has put the session's tokens and their
/// reports in the page; the benchmark compares it with the JavaScript
/// baseline's (`bench/baseline/app.js` sets the same one).
pub const TOKENS_SHOWN: &str = "tokens-shown";

/// Marks the start of a verification.
pub fn verify_started() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("verify-tokens-start");
    }
}

/// Records the `verify-tokens` measure since [`verify_started`].
pub fn verify_finished() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark("verify-tokens", "verify-tokens-start");
    }
}

/// Sets the mark `name` now.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
