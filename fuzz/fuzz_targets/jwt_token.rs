//! Token parsing and verification in cognito-jwt: raw compact tokens, and
//! (odd first byte) claim sets signed with a real key under a chosen header,
//! so the claim rules and alg/kid handling run past the signature check.
//! Invariants: no panic; a report is valid only for a token this target
//! signed, with header alg RS256 and a kid of the key set; a failed report
//! names a word of the contract.
#![no_main]

mod common;

use cognito_jwt::{at_hash, native, parse_failure_report, TokenUse, UnverifiedToken};
use libfuzzer_sys::fuzz_target;

// RSA key generation (and devstack's SRP verifiers) take seconds on a busy
// machine; done before the first input, they count against no input's
// -timeout.
fuzz_target!(init: {
    common::keys();
}, |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let keys = common::keys();
    let signed_by_us = mode & 1 == 1;
    let raw = if signed_by_us {
        let kid = keys.store.id_key().kid();
        let header = match (mode >> 1) % 8 {
            0 => serde_json::json!({"alg": "RS256", "kid": kid}),
            1 => serde_json::json!({"alg": "RS256"}),
            2 => serde_json::json!({"alg": "none", "kid": kid}),
            3 => serde_json::json!({"alg": "HS256", "kid": kid}),
            4 => serde_json::json!({"alg": "RS512", "kid": kid}),
            5 => serde_json::json!({"alg": "RS256", "kid": "not-a-key"}),
            6 => serde_json::json!({"alg": "RS256", "kid": keys.store.access_key().kid()}),
            _ => serde_json::json!({"alg": "rs256", "kid": kid, "crit": ["x"]}),
        };
        common::sign(&header, text.as_bytes())
    } else {
        text.to_owned()
    };

    match UnverifiedToken::parse(&raw) {
        Ok(token) => {
            let _ = (token.header(), token.claims().len(), token.signing_input());
            let _ = (
                token.sub(),
                token.iss(),
                token.client_id(),
                token.username(),
            );
            let _ = (token.scopes(), token.groups(), token.token_use());
            let _ = (token.exp(), token.iat(), token.nbf(), token.auth_time());
        }
        Err(err) => {
            let report = parse_failure_report(&err);
            assert!(!report.is_valid());
        }
    }
    let _ = at_hash(&raw);

    for (token_use, nonce) in [
        (TokenUse::Id, None),
        (TokenUse::Access, None),
        (TokenUse::Id, Some("n-0S6_WzA2Mj")),
    ] {
        let expect = common::expectations(token_use, nonce);
        let report = native::verify(&raw, &keys.jwks, &expect, common::NOW);
        match report.failure_word() {
            None => {
                assert!(report.is_valid());
                assert!(signed_by_us, "an unsigned input verified: {raw:?}");
                let token = UnverifiedToken::parse(&raw).expect("a valid token parses");
                assert_eq!(token.header().alg, "RS256");
                assert_eq!(token.iss(), Some(common::ISSUER));
            }
            Some(word) => {
                assert!(!report.is_valid());
                assert!(
                    common::CONTRACT_WORDS.contains(&word),
                    "unknown word {word:?}"
                );
            }
        }
    }
});
