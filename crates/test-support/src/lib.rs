//! Tokens made by hand for tests: signed with any RS256 signer, forged with
//! HS256 keyed by a public key (the classic algorithm confusion), or not
//! signed at all (`alg: none`). A dev-dependency only: nothing here belongs
//! in a verifier.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// base64url without padding, as JOSE writes every segment.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `<b64 header>.<b64 claims>`: what a signature covers.
pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(header.to_string()), b64(claims.to_string()))
}

/// `input` with the signature `sign` makes over it (RS256 with a test key,
/// or devstack's signer).
pub fn signed(input: &str, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    format!("{input}.{}", b64(sign(input.as_bytes())))
}

/// `input` with an empty signature, as an `alg: none` token has.
pub fn unsigned(input: &str) -> String {
    format!("{input}.")
}

/// `input` with an HS256 MAC keyed by `secret`: with a public key as the
/// secret, what a verifier that trusts the header's `alg` would accept.
pub fn hs256(input: &str, secret: &[u8]) -> String {
    signed(input, |message| hmac_sha256(secret, message))
}

/// The claims of a compact JWT; panics on anything else (tests only).
pub fn claims_of(jwt: &str) -> Value {
    segment_json(jwt, 1)
}

/// The header of a compact JWT; panics on anything else (tests only).
pub fn header_of(jwt: &str) -> Value {
    segment_json(jwt, 0)
}

fn segment_json(jwt: &str, index: usize) -> Value {
    let segment = jwt.split('.').nth(index).expect("a compact JWT");
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .expect("a base64url segment");
    serde_json::from_slice(&bytes).expect("a JSON segment")
}

/// RFC 2104 HMAC with SHA-256.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 (a short key) and test case 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn tokens_round_trip_their_segments() {
        let header = json!({"alg": "HS256", "kid": "k"});
        let claims = json!({"sub": "u", "exp": 1});
        let input = signing_input(&header, &claims);
        let token = hs256(&input, b"secret");
        assert_eq!(header_of(&token), header);
        assert_eq!(claims_of(&token), claims);
        let mac = token.rsplit('.').next().unwrap();
        assert_eq!(mac, b64(hmac_sha256(b"secret", input.as_bytes())));
        assert_eq!(unsigned(&input), format!("{input}."));
        assert_eq!(
            signed(&input, |m| m[..2].to_vec()),
            format!("{input}.{}", b64(&input[..2]))
        );
    }
}
