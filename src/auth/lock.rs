//! One tab at a time across the origin (`browser::lock`: Web Locks, or a
//! localStorage lease). A failure to lock lets the work run unlocked: the
//! work itself still looks at what is stored before it writes
//! (`tabs::compare`).

use js_sys::Function;
use wasm_bindgen::JsValue;

/// Holds the lock until dropped.
pub struct Guard(Option<Function>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(release) = &self.0 {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits until this tab holds the lock `name`.
pub async fn acquire(name: &str) -> Guard {
    Guard(super::browser::lock(name).await)
}
