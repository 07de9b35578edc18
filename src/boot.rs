//! Start-up: fetch and validate `/config.json`, then mount either the app or
//! the configuration error page.

use gloo_net::http::Request;
use leptos::prelude::*;
use web_sys::RequestCache;

use crate::app::App;
use crate::config::{Config, ConfigError};
use crate::pages::config_error::ConfigErrorPage;

/// The `performance.mark` set once the first view is mounted; the benchmark
/// measures cold load up to it.
pub const READY_MARK: &str = "app-ready";

/// Mounts the app once its configuration is known.
pub fn start() {
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
    // `no-cache` revalidates every time: a redeployed config.json must win
    // over a stale copy in the browser cache.
    let response = Request::get("/config.json")
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| ConfigError::unreachable(format!("/config.json could not be fetched: {e}")))?;
    if !response.ok() {
        return Err(ConfigError::unreachable(format!(
            "/config.json could not be fetched: the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| ConfigError::unreachable(format!("/config.json could not be read: {e}")))?;
    Config::from_json(&text, &origin)
}

/// index.html shows a loading line for the few milliseconds before mount.
fn remove_placeholder() {
    if let Some(placeholder) = document().get_element_by_id("loading") {
        placeholder.remove();
    }
}

fn mark_ready() {
    if let Some(performance) = window().performance() {
        let _ = performance.mark(READY_MARK);
    }
}
