//! The page's address: reading it, cleaning it, leaving it.

use wasm_bindgen::JsValue;

pub fn location_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// The path of the page's address (`/callback`).
pub fn location_path() -> Option<String> {
    web_sys::window().and_then(|w| w.location().pathname().ok())
}

/// Replaces the current history entry's address, so codes and tokens leave
/// the address bar and the back button.
pub fn replace_address(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

/// Leaves the app for another page (the hosted UI).
pub fn navigate_away(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}
