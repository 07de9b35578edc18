//! The answers to the requests index.html starts before the wasm runs
//! (src/web/early.js): /config.json on every page, and on /callback the key
//! set and the code exchange that the sign-in prepared when it began. They
//! travel while the wasm loads and compiles, instead of after it.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The global holding the early fetch of /config.json.
pub const CONFIG: &str = "cognitoSpaConfig";
/// The global holding the early fetch of the key set (on /callback).
pub const KEYS: &str = "cognitoSpaKeys";
/// The global holding the early code exchange (on /callback, code flow).
pub const TOKEN: &str = "cognitoSpaToken";

/// One request index.html started.
pub struct EarlyRequest {
    /// The address it was sent to.
    pub url: String,
    promise: Promise,
}

/// Its answer.
pub struct Received {
    pub status: u16,
    pub status_text: String,
    /// The headers the page may read.
    pub headers: Vec<(String, String)>,
    pub text: String,
    /// How long it took, as the page measured it.
    pub ms: f64,
}

/// Takes the early request under `global` off the page (so an answer that
/// holds tokens does not stay there). `None` if index.html did not start it.
pub fn take(global: &str) -> Option<EarlyRequest> {
    let window = web_sys::window()?;
    let name = JsValue::from_str(global);
    let promise = Reflect::get(&window, &name)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = Reflect::delete_property(&window, &name);
    let url = Reflect::get(&promise, &JsValue::from_str("url"))
        .ok()?
        .as_string()?;
    Some(EarlyRequest { url, promise })
}

impl EarlyRequest {
    /// Waits for the answer; `Err` says why `fetch` failed.
    pub async fn answer(self) -> Result<Received, String> {
        let answer = JsFuture::from(self.promise)
            .await
            .map_err(|_| "the request failed".to_owned())?;
        read(&answer)
    }
}

/// Drops the early request under `global` unread (its answer is not
/// needed, and must not stay on the page).
pub fn discard(global: &str) {
    if let Some(window) = web_sys::window() {
        let _ = Reflect::delete_property(&window, &JsValue::from_str(global));
    }
}

fn read(answer: &JsValue) -> Result<Received, String> {
    let field = |name: &str| Reflect::get(answer, &JsValue::from_str(name)).unwrap_or_default();
    let text = |name: &str| field(name).as_string().unwrap_or_default();
    if let Some(error) = field("error").as_string() {
        return Err(error);
    }
    let headers = field("headers")
        .dyn_into::<Array>()
        .map(|list| {
            list.iter()
                .filter_map(|pair| {
                    let pair = pair.dyn_into::<Array>().ok()?;
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Received {
        // As an integer: formatting an f64 would link float printing.
        status: field("status").as_f64().unwrap_or(0.0) as u16,
        status_text: text("statusText"),
        headers,
        text: text("text"),
        ms: field("ms").as_f64().unwrap_or(0.0),
    })
}
