//! Start-up: fetch and validate `/config.json`, then mount either the app or
//! the configuration error page.

use leptos::prelude::*;

use crate::app::App;
use crate::config::{Config, ConfigError};
use crate::pages::config_error::ConfigErrorPage;
use crate::web::early;

/// The `performance.mark` set once the first view is mounted; the benchmark
/// measures cold load up to it.
pub const READY_MARK: &str = "app-ready";

/// Mounts the app once its configuration is known.
pub fn start() {
    if crate::web::page::location_path().as_deref() == Some("/callback") {
        // Where sign-in usually goes next: that page's chunk loads while the
        // tokens are exchanged and verified, not after. A failure shows on
        // that page, which tries again.
        wasm_bindgen_futures::spawn_local(async {
            let _ = crate::pages::profile::preload_profile().await;
        });
    }
    wasm_bindgen_futures::spawn_local(async {
        let loaded = load_config().await;
        remove_placeholder();
        match loaded {
            Ok(config) => leptos::mount::mount_to_body(move || view! { <App config /> }),
            Err(error) => leptos::mount::mount_to_body(move || view! { <ConfigErrorPage error /> }),
        }
        mark_ready();
    });
}

async fn load_config() -> Result<Config, ConfigError> {
    let origin = window()
        .location()
        .origin()
        .map_err(|_| ConfigError::unreachable("the page has no origin"))?;
    let request = early::take(early::CONFIG).ok_or_else(|| {
        ConfigError::unreachable(format!(
            "index.html did not start loading /config.json (window.{} is missing)",
            early::CONFIG
        ))
    })?;
    let received = request.answer().await.map_err(|error| {
        ConfigError::unreachable(format!("/config.json could not be fetched: {error}"))
    })?;
    if !(200..300).contains(&received.status) {
        return Err(ConfigError::unreachable(format!(
            "/config.json could not be fetched: the server answered {} {}",
            received.status, received.status_text
        )));
    }
    Config::from_json(&received.text, &origin)
}

/// index.html shows a loading line for the few milliseconds before mount.
fn remove_placeholder() {
    if let Some(placeholder) = document().get_element_by_id("loading") {
        placeholder.remove();
    }
}

fn mark_ready() {
    crate::web::perf::mark(READY_MARK);
}
