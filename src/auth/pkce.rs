//! PKCE (RFC 7636) with S256, the only method Cognito accepts, and the other
//! one-round-trip secrets of a sign-in (`state`, `nonce`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// 48 random bytes give a 64-character verifier: inside RFC 7636's 43..=128,
/// with 384 bits of entropy.
pub const VERIFIER_BYTES: usize = 48;
/// `state` and `nonce` are 32 random bytes each, base64url (43 characters):
/// no JSON, nothing to URL-encode, as Cognito asks of `state`.
pub const STATE_BYTES: usize = 32;

/// The verifier text for random bytes (the caller supplies WebCrypto
/// randomness; tests supply fixed bytes).
pub fn verifier_from_bytes(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `code_challenge` = BASE64URL(SHA-256(ASCII(code_verifier))).
pub fn challenge_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A random `state` or `nonce` from random bytes.
pub fn random_token_from_bytes(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        // The verifier of Appendix B is base64url of these 32 octets.
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = verifier_from_bytes(&octets);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            challenge_s256(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_length_and_alphabet_follow_rfc7636() {
        let verifier = verifier_from_bytes(&[0xff; VERIFIER_BYTES]);
        assert_eq!(verifier.len(), 64);
        assert!((43..=128).contains(&verifier.len()));
        assert!(verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
    }

    #[test]
    fn state_is_url_safe() {
        let state = random_token_from_bytes(&[0xfb; STATE_BYTES]);
        assert_eq!(state.len(), 43);
        assert!(!state.contains(['+', '/', '=']));
    }
}
