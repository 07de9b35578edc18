//! Randomness from WebCrypto's CSPRNG.

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
