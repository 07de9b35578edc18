//! The app's callback address parser (`parse_callback(query, fragment)`):
//! the input is `query#fragment`. Invariants: no panic; a code or token
//! never shows in the parsed value's Debug output (Debug is the same
//! whatever the secrets are).
#![no_main]

use cognito_spa::auth::callback::{parse_callback, CallbackParams};
use cognito_spa::auth::secret::Secret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (query, fragment) = text.split_once('#').unwrap_or((text, ""));
    let Ok(parsed) = parse_callback(query, fragment) else {
        return;
    };
    // Debug must not depend on a secret's value at all: the same value
    // with every secret swapped for another prints exactly the same.
    let swapped = match &parsed {
        CallbackParams::Code { state, .. } => CallbackParams::Code {
            code: Secret::new("other"),
            state: state.clone(),
        },
        CallbackParams::Tokens {
            id_token,
            expires_in,
            state,
            ..
        } => CallbackParams::Tokens {
            id_token: id_token.as_ref().map(|_| Secret::new("other")),
            access_token: Secret::new("other"),
            expires_in: *expires_in,
            state: state.clone(),
        },
        CallbackParams::IdpError { .. } => return,
    };
    assert_eq!(
        format!("{parsed:?}"),
        format!("{swapped:?}"),
        "a secret leaks into Debug"
    );
});
