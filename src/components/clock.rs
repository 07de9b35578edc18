//! The live clock the profile page counts down with.

use std::time::Duration;

use leptos::prelude::*;

use crate::web::clock::now;

/// Seconds since the epoch, ticking every second while the caller lives.
pub fn ticking_now() -> ReadSignal<i64> {
    let (now_signal, set_now) = signal(now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            set_now.try_set(now());
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    now_signal
}
