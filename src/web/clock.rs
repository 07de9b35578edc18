//! The browser's clocks: wall time for token claims, a monotonic one for
//! latencies, and dates in the user's locale.

use wasm_bindgen::JsValue;

/// Seconds since the epoch.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Milliseconds from a monotonic clock, for latencies.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// `epoch` seconds as a local date and time, in the browser's locale.
pub fn local_date(epoch: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(epoch as f64 * 1000.0));
    String::from(date.to_locale_string("default", &JsValue::UNDEFINED))
}
