//! The app's callback address parser (`parse_callback(query, fragment)`):
//! the input is `query#fragment`. Invariants: no panic; a code or token
//! never shows in the parsed value's Debug output.
#![no_main]

use cognito_spa::auth::callback::{parse_callback, CallbackParams};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (query, fragment) = text.split_once('#').unwrap_or((text, ""));
    let Ok(parsed) = parse_callback(query, fragment) else {
        return;
    };
    let debug = format!("{parsed:?}");
    let mut secrets = Vec::new();
    let mut public = Vec::new();
    match &parsed {
        CallbackParams::Code { code, state } => {
            secrets.push(code.expose().to_owned());
            public.extend(state.clone());
        }
        CallbackParams::Tokens {
            id_token,
            access_token,
            state,
            ..
        } => {
            secrets.push(access_token.expose().to_owned());
            secrets.extend(id_token.as_ref().map(|t| t.expose().to_owned()));
            public.extend(state.clone());
        }
        CallbackParams::IdpError { .. } => {}
    }
    for secret in secrets.iter().filter(|s| s.len() >= 12) {
        let explained = public.iter().any(|p| p.contains(secret.as_str()))
            || "[redacted]".contains(secret.as_str());
        assert!(
            explained || !debug.contains(secret.as_str()),
            "a secret leaks into Debug"
        );
    }
});
