//! The browser edges of sign-in: randomness, clock, address bar, storage
//! and HTTP. Kept thin so the protocol logic around them is plain Rust.

use gloo_net::http::Request;
use gloo_storage::{LocalStorage, SessionStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `count` bytes from WebCrypto's CSPRNG.
pub fn random_bytes(count: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0u8; count];
    web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|_| {
            "WebCrypto is not available (the page must be served over https or from localhost)"
        })?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| "WebCrypto refused to produce random bytes")?;
    Ok(bytes)
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

pub fn location_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
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

/// Which Web Storage area a value lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Session,
    Local,
}

pub fn store<T: Serialize>(area: Area, key: &str, value: &T) -> Result<(), String> {
    let result = match area {
        Area::Session => SessionStorage::set(key, value),
        Area::Local => LocalStorage::set(key, value),
    };
    result.map_err(|e| format!("could not write browser storage: {e}"))
}

pub fn load<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    match area {
        Area::Session => SessionStorage::get(key).ok(),
        Area::Local => LocalStorage::get(key).ok(),
    }
}

pub fn remove(area: Area, key: &str) {
    match area {
        Area::Session => SessionStorage::delete(key),
        Area::Local => LocalStorage::delete(key),
    }
}

/// Takes a value out: read, then delete, so it can be used only once.
pub fn take<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    let value = load(area, key);
    remove(area, key);
    value
}

/// A POST with an `application/x-www-form-urlencoded` body, the only body
/// Cognito's OAuth endpoints accept. No credentials are sent (the token
/// endpoint answers `Access-Control-Allow-Origin: *`).
pub async fn post_form(url: &str, pairs: &[(&str, &str)]) -> Result<(u16, String), String> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let response = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(|e| format!("could not build the request: {e}"))?
        .send()
        .await
        .map_err(|_| network_error(url))?;
    Ok(status_and_text(response).await)
}

/// A GET returning the status and body text. `fresh` skips the HTTP cache
/// (and refills it): for a refetch whose point is that the cached answer
/// is out of date.
pub async fn get_text(url: &str, fresh: bool) -> Result<(u16, String), String> {
    let mut request = Request::get(url);
    if fresh {
        request = request.cache(web_sys::RequestCache::Reload);
    }
    let response = request.send().await.map_err(|_| network_error(url))?;
    Ok(status_and_text(response).await)
}

async fn status_and_text(response: gloo_net::http::Response) -> (u16, String) {
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

/// The browser hides why a fetch failed; name the usual causes.
fn network_error(url: &str) -> String {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    format!("network error calling {origin}: the server is unreachable, or it refused the cross-origin request (CORS)")
}

/// A GET answer with what a cross-origin page may read of it.
pub struct Answer {
    pub status: u16,
    pub body: String,
    headers: gloo_net::http::Headers,
}

impl Answer {
    /// A response header, if the browser lets the page read it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name)
    }
}

/// `GET url` with `Authorization: Bearer <token>` (no header when `token`
/// is `None`). `Err` is a network error: the server is unreachable, or the
/// browser hid the answer (CORS); the page cannot tell which.
pub async fn get_with_bearer(url: &str, token: Option<&str>) -> Result<Answer, ()> {
    let mut request = Request::get(url).cache(web_sys::RequestCache::NoStore);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request.send().await.map_err(|_| ())?;
    let status = response.status();
    let headers = response.headers();
    let body = response.text().await.unwrap_or_default();
    Ok(Answer {
        status,
        body,
        headers,
    })
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

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`).
pub async fn copy_text(text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let unavailable = || "the clipboard is not available here".to_owned();
    let window = web_sys::window().ok_or_else(unavailable)?;
    let navigator = js_sys::Reflect::get(&window, &JsValue::from_str("navigator"))
        .map_err(|_| unavailable())?;
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or_else(unavailable)?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .map_err(|_| unavailable())?
        .dyn_into()
        .map_err(|_| unavailable())?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .map_err(|_| "the browser refused to copy".to_owned())?
        .dyn_into()
        .map_err(|_| unavailable())?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused to copy (permission denied?)".to_owned())
}

// Two promise helpers in a few lines of JS: built from Rust, each would
// need its own closure glue, which weighs far more in the wasm.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
export function webLock(name) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks) return null;
  return new Promise((granted, failed) => {
    locks.request(name, () => new Promise((release) => granted(release))).catch(failed);
  });
}
"#)]
extern "C" {
    fn sleep(ms: i32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = webLock)]
    fn web_lock(name: &str) -> JsValue;
}

/// Resolves after `ms` milliseconds (`setTimeout`).
pub async fn sleep_ms(ms: i32) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep(ms)).await;
}

/// `navigator.locks.request(name, …)`: resolves once the lock is granted,
/// with the function that releases it. `None` without the Web Locks API;
/// `Some(Err)` when the request failed.
pub async fn request_web_lock(name: &str) -> Option<Result<js_sys::Function, ()>> {
    use wasm_bindgen::JsCast;
    let asked = web_lock(name).dyn_into::<js_sys::Promise>().ok()?;
    let granted = wasm_bindgen_futures::JsFuture::from(asked).await;
    Some(
        granted
            .ok()
            .and_then(|release| release.dyn_into().ok())
            .ok_or(()),
    )
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
