//! JWKS parsing and key selection, and RS256 verification against whatever
//! keys a hostile key set holds (junk moduli and exponents, huge numbers,
//! wrong types). Invariants: no panic; a well-signed token verifies only
//! when the key set really holds the signing key's modulus.
#![no_main]

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_jwt::{native, Jwks, TokenUse, UnverifiedToken};
use libfuzzer_sys::fuzz_target;

fn trimmed(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

// RSA key generation (and devstack's SRP verifiers) take seconds on a busy
// machine; done before the first input, they count against no input's
// -timeout.
fuzz_target!(init: {
    common::keys();
}, |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(jwks) = Jwks::parse(text) else {
        return;
    };
    for key in jwks.keys() {
        let _ = key.to_webcrypto_jwk();
        let _ = key.modulus_and_exponent();
        let _ = jwks.select(key.kid.as_deref());
    }
    let _ = jwks.select(None);
    let _ = jwks.select(Some(""));

    let raw = common::good_id_token();
    let report = native::verify(
        raw,
        &jwks,
        &common::expectations(TokenUse::Id, None),
        common::NOW,
    );
    if report.is_valid() {
        let token = UnverifiedToken::parse(raw).unwrap();
        let key = jwks
            .select(token.header().kid.as_deref())
            .expect("a valid report has a key");
        let real = common::keys().store.id_key().jwk();
        let real_n = URL_SAFE_NO_PAD.decode(real["n"].as_str().unwrap()).unwrap();
        let (n, _) = key.modulus_and_exponent().expect("a usable key");
        assert_eq!(
            trimmed(&n),
            trimmed(&real_n),
            "verified with a key that is not the signer's"
        );
    }
});
