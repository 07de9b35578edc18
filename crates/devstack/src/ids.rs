//! Random identifiers: UUIDs for `sub`/`jti`/`event_id`, opaque secrets for
//! codes, sessions, CSRF tokens and refresh tokens. All from the OS RNG.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    OsRng.fill_bytes(&mut buf);
    buf
}

/// A random (version 4) UUID in its usual text form.
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `bytes` random bytes as base64url (no padding).
pub fn secret(bytes: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(bytes))
}

/// An opaque refresh token shaped like Cognito's JWE (five base64url parts
/// with a `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}` header), so apps
/// that look at it see what they would see on AWS. Only the devstack can
/// "read" it: it is a lookup key, nothing is encrypted inside.
pub fn refresh_token() -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#);
    format!(
        "{header}.{}.{}.{}.{}",
        secret(256),
        secret(12),
        secret(384),
        secret(16)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuid_shape() {
        let u = super::uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(super::refresh_token().split('.').count(), 5);
    }
}
