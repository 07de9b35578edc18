//! Waiting in the browser: sleeping, timing out, and one tab at a time
//! across the origin. A failure to lock lets the work run unlocked: the
//! work itself still looks at what is stored before it writes
//! (`auth::tabs::compare`).

use js_sys::Function;
use wasm_bindgen::JsValue;

// The promise plumbing of sleeping and locking lives in a few lines of JS
// (timers.js): built from Rust, each closure and promise would need its own
// glue, which weighs far more in the wasm. `exclusive(name)` resolves, once
// the lock is this tab's, with the function that releases it. Without Web
// Locks it takes a lease "until/owner" in localStorage when free or
// expired, then reads it again after a pause, as two tabs may take it at
// once (the last write wins); a holder that vanished expires after 10 s.
// index.html inlines timers.js as the global `cognitoSpaTimers` (an inline
// `#[wasm_bindgen(inline_js)]` would be one more file to fetch on the first
// visit); the wasm-bindgen tests, which do not load index.html, install it
// themselves (`for_tests`). The JS carries no comments: it ships as it is
// written.
#[wasm_bindgen::prelude::wasm_bindgen(js_namespace = cognitoSpaTimers)]
extern "C" {
    fn sleep(ms: i32) -> js_sys::Promise;
    fn exclusive(name: &str) -> js_sys::Promise;
}

/// The tests' page has no index.html: define `cognitoSpaTimers` from the
/// same file, once, before the first use.
#[cfg(test)]
fn for_tests() {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &"cognitoSpaTimers".into()).unwrap_or(false) {
        js_sys::eval(include_str!("timers.js")).expect("timers.js runs");
    }
}

/// Resolves after `ms` milliseconds (`setTimeout`).
pub async fn sleep_ms(ms: i32) {
    #[cfg(test)]
    for_tests();
    let _ = wasm_bindgen_futures::JsFuture::from(sleep(ms)).await;
}

/// Waits until this tab holds the lock `name` (the Web Locks API, or a
/// localStorage lease where it is missing); returns the function that
/// releases it, or `None` when locking failed.
async fn lock(name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    #[cfg(test)]
    for_tests();
    let granted = wasm_bindgen_futures::JsFuture::from(exclusive(name)).await;
    granted.ok()?.dyn_into().ok()
}

/// `work`'s result, or `None` when it takes longer than `ms` milliseconds.
pub async fn within<T>(ms: i32, work: impl std::future::Future<Output = T>) -> Option<T> {
    use futures::future::{select, Either};
    let work = std::pin::pin!(work);
    let timer = std::pin::pin!(sleep_ms(ms));
    match select(work, timer).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

/// Holds the lock until dropped.
pub struct Guard(Option<Function>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(release) = &self.0 {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

impl Guard {
    /// Whether the lock was granted (if not, the work runs unlocked).
    #[cfg(test)]
    pub fn held(&self) -> bool {
        self.0.is_some()
    }
}

/// Waits until this tab holds the lock `name`.
pub async fn acquire(name: &str) -> Guard {
    Guard(lock(name).await)
}
