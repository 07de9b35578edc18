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

// The promise plumbing of sleeping and locking, in a few lines of JS: built
// from Rust, each closure and promise would need its own glue, which weighs
// far more in the wasm. `exclusive(name)` resolves, once the lock is this
// tab's, with the function that releases it. Without Web Locks it takes a
// lease "until/owner" in localStorage when free or expired, then reads it
// again after a pause, as two tabs may take it at once (the last write
// wins); a holder that vanished expires after 10 s. (The JS carries no
// comments: it ships as it is written.)
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
export function exclusive(name) {
  const locks = globalThis.navigator && navigator.locks;
  return locks
    ? new Promise((granted, failed) => {
        locks.request(name, () => new Promise(granted)).catch(failed);
      })
    : lease(name + ".lease");
}
async function lease(key) {
  const me = crypto.getRandomValues(new Uint32Array(4)).join("-");
  const holder = () => (localStorage.getItem(key) || "0/").split("/");
  const giveUp = Date.now() + 1e4;
  for (;;) {
    const [until, owner] = holder();
    const now = Date.now();
    if (owner === me || until < now) {
      localStorage.setItem(key, now + 1e4 + "/" + me);
      await sleep(50);
      if (holder()[1] === me) return () => holder()[1] === me && localStorage.removeItem(key);
    } else if (now > giveUp) return () => {};
    else await sleep(100);
  }
}
"#)]
extern "C" {
    fn sleep(ms: i32) -> js_sys::Promise;
    fn exclusive(name: &str) -> js_sys::Promise;
}

/// Resolves after `ms` milliseconds (`setTimeout`).
pub async fn sleep_ms(ms: i32) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep(ms)).await;
}

/// Waits until this tab holds the lock `name` (the Web Locks API, or a
/// localStorage lease where it is missing); returns the function that
/// releases it, or `None` when locking failed.
pub async fn lock(name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    let granted = wasm_bindgen_futures::JsFuture::from(exclusive(name)).await;
    granted.ok()?.dyn_into().ok()
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
