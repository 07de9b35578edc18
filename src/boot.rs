//! Start-up: fetch and validate `/config.json`, then mount either the app or
//! the configuration error page.

use js_sys::{Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::app::App;
use crate::config::{Config, ConfigError};
use crate::pages::config_error::ConfigErrorPage;

/// The `performance.mark` set once the first view is mounted; the benchmark
/// measures cold load up to it.
pub const READY_MARK: &str = "app-ready";

/// The global under which index.html keeps its early fetch of /config.json.
const EARLY_FETCH: &str = "cognitoSpaConfig";

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
    let answer = early_fetch().await?;
    let field = |name: &str| Reflect::get(&answer, &JsValue::from_str(name)).unwrap_or_default();
    if let Some(error) = field("error").as_string() {
        return Err(ConfigError::unreachable(format!(
            "/config.json could not be fetched: {error}"
        )));
    }
    // As an integer: formatting an f64 would link float printing (10 KB).
    let status = field("status").as_f64().unwrap_or(0.0) as u16;
    if !(200..300).contains(&status) {
        return Err(ConfigError::unreachable(format!(
            "/config.json could not be fetched: the server answered {status} {}",
            field("statusText").as_string().unwrap_or_default()
        )));
    }
    let text = field("text")
        .as_string()
        .ok_or_else(|| ConfigError::unreachable("/config.json could not be read"))?;
    Config::from_json(&text, &origin)
}

/// The answer to the fetch of /config.json that index.html started before
/// the wasm loaded: `{status, statusText, text}` or `{error}`.
async fn early_fetch() -> Result<JsValue, ConfigError> {
    let promise = Reflect::get(&window(), &JsValue::from_str(EARLY_FETCH))
        .ok()
        .and_then(|value| value.dyn_into::<Promise>().ok())
        .ok_or_else(|| {
            ConfigError::unreachable(format!(
                "index.html did not start loading /config.json (window.{EARLY_FETCH} is missing)"
            ))
        })?;
    JsFuture::from(promise).await.map_err(|_| {
        ConfigError::unreachable("/config.json could not be fetched: the request failed")
    })
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
