//! base64url without padding, as JOSE requires (RFC 7515 section 2).
//!
//! The strict engine also refuses padding and non-canonical trailing bits,
//! so one token has exactly one textual form.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::{DecodeError, Engine as _};

pub(crate) fn decode(text: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD.decode(text).map_err(describe)
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Describes a decode error without echoing the offending byte: error text
/// ends up in reports and logs, which must never carry token text.
fn describe(err: DecodeError) -> String {
    match err {
        DecodeError::InvalidByte(offset, _) => {
            format!("expected base64url characters (A-Z a-z 0-9 - _), found another character at offset {offset}")
        }
        DecodeError::InvalidLength(len) => {
            format!("expected a base64url length, found {len} characters (not a valid length)")
        }
        DecodeError::InvalidLastSymbol(offset, _) => {
            format!("expected canonical base64url, found a last character with stray bits at offset {offset}")
        }
        DecodeError::InvalidPadding => {
            "expected base64url without padding, found '=' padding".to_owned()
        }
    }
}
