//! WebCrypto's RS256 (RSASSA-PKCS1-v1_5 with SHA-256): importing a public
//! key and checking a signature with it.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const RS256: &str = r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#;

/// Starts `crypto.subtle.importKey` for the RSA public key `jwk` (its
/// WebCrypto JWK JSON); the promise resolves to the `CryptoKey`.
pub fn start_import(jwk: &str) -> Result<Promise, String> {
    let jwk: js_sys::Object = js_sys::JSON::parse(jwk)
        .map_err(|_| "the key could not be read")?
        .unchecked_into();
    let algorithm: js_sys::Object = js_sys::JSON::parse(RS256)
        .map_err(|_| "bad algorithm")?
        .unchecked_into();
    let usages = js_sys::Array::of1(&JsValue::from_str("verify"));
    Ok(subtle()?
        .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
        .map_err(|_| "WebCrypto could not import the key")?)
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    Ok(web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|_| "WebCrypto is not available")?
        .subtle())
}

/// Checks `signature` over `signed` with the key an [`start_import`]
/// promise brings.
pub async fn verify_rs256(
    imported: Promise,
    signature: &[u8],
    signed: &[u8],
) -> Result<(), String> {
    let crypto_key: web_sys::CryptoKey = JsFuture::from(imported)
        .await
        .map_err(|_| "WebCrypto refused the key (not a valid RSA public key)")?
        .unchecked_into();
    let verified = subtle()?
        .verify_with_str_and_u8_array_and_u8_array(
            "RSASSA-PKCS1-v1_5",
            &crypto_key,
            signature,
            signed,
        )
        .map_err(|_| "WebCrypto could not run the verification")?;
    match JsFuture::from(verified).await.map(|v| v.as_bool()) {
        Ok(Some(true)) => Ok(()),
        Ok(_) => Err("the RS256 signature does not match the token's content".to_owned()),
        Err(_) => Err("WebCrypto failed while verifying the signature".to_owned()),
    }
}
