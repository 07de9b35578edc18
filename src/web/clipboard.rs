//! Copying text to the clipboard.

use wasm_bindgen::JsValue;

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
