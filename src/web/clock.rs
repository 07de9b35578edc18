//! The browser's clocks: wall time for token claims, a monotonic one for
//! latencies, and dates in the user's time zone.

use wasm_bindgen::JsValue;

use crate::explain::time::date_time_text;

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

/// `epoch` seconds as a date and time in the browser's time zone (see
/// [`date_time_text`] for why not in its locale's words).
pub fn local_date(epoch: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(epoch as f64 * 1000.0));
    // getTimezoneOffset counts the minutes UTC is ahead of local time.
    let minutes_ahead = -(date.get_timezone_offset() as i32);
    date_time_text(
        [date.get_full_year(), date.get_month() + 1, date.get_date()],
        [date.get_hours(), date.get_minutes(), date.get_seconds()],
        minutes_ahead,
    )
}
