//! Parsing a compact JWS into header, claims, signing input and signature,
//! without trusting any of it.
//!
//! The signing input is kept as the exact bytes that were signed, so the
//! browser can hand it to `crypto.subtle.verify` and servers to the native
//! RS256 verifier; re-serialising the JSON would not reproduce them.

use std::fmt;

use serde_json::{Map, Value};

use crate::b64;

/// Cognito tokens are 1-2 KiB; a limit well above that bounds the work an
/// attacker can make us do before anything is verified.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Which of the three compact segments an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Header,
    Payload,
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// Why a string is not a well-formed JWT. Messages say what was expected and
/// what came, and never quote the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("expected a token of at most {max} bytes, got {len} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("expected 3 dot-separated segments (header.payload.signature), got {found}")]
    NotThreeSegments { found: usize },
    #[error("{segment} segment is not base64url: {reason}")]
    Base64 { segment: Segment, reason: String },
    #[error("{segment} segment is not JSON: {reason}")]
    Json { segment: Segment, reason: String },
    #[error("expected the header to be a JSON object, got {found}")]
    HeaderNotObject { found: &'static str },
    #[error("expected the payload to be a JSON object, got {found}")]
    PayloadNotObject { found: &'static str },
    #[error("expected an \"alg\" member in the header, found none")]
    MissingAlg,
    #[error("expected header member \"{name}\" to be a string, got {found}")]
    HeaderFieldNotString {
        name: &'static str,
        found: &'static str,
    },
    /// RFC 7515 section 4.1.11: a verifier that does not understand a
    /// critical extension must reject the token. We understand none.
    #[error("expected no \"crit\" header (no JWS extensions are supported), found one")]
    CriticalHeader,
}

/// The header members that matter for verification. Other members are
/// ignored, as RFC 7515 allows, unless listed in `crit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub alg: String,
    pub kid: Option<String>,
    pub typ: Option<String>,
}

/// A parsed token whose signature and claims have NOT been checked.
///
/// Nothing read from it may be trusted until a [`crate::Report`] built from
/// it is valid.
#[derive(Clone)]
pub struct UnverifiedToken {
    header: Header,
    claims: Map<String, Value>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

impl UnverifiedToken {
    /// Parses a compact JWS. Never panics: every input, however hostile,
    /// either parses or yields a [`ParseError`].
    ///
    /// An empty signature segment parses (to no bytes), so an unsigned
    /// `alg: none` token reaches the algorithm check and is refused there
    /// with the contract's "algorithm" word instead of a generic parse error.
    pub fn parse(raw: &str) -> Result<UnverifiedToken, ParseError> {
        if raw.len() > MAX_TOKEN_BYTES {
            return Err(ParseError::TooLarge {
                len: raw.len(),
                max: MAX_TOKEN_BYTES,
            });
        }
        let mut parts = raw.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError::NotThreeSegments {
                found: raw.split('.').count(),
            });
        };
        let header_json = decode_object(h, Segment::Header)?;
        let claims = decode_object(p, Segment::Payload)?;
        let signature = b64::decode(s).map_err(|reason| ParseError::Base64 {
            segment: Segment::Signature,
            reason,
        })?;
        let header = Header::from_json(&header_json)?;
        let signing_input = raw.as_bytes()[..h.len() + 1 + p.len()].to_vec();
        Ok(UnverifiedToken {
            header,
            claims,
            signing_input,
            signature,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// `<b64 header>.<b64 payload>` exactly as received: the bytes RS256
    /// signs, for `crypto.subtle.verify` or the native verifier.
    pub fn signing_input(&self) -> &[u8] {
        &self.signing_input
    }

    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// A claim's value if it is a string; `None` if absent or another type.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn token_use(&self) -> Option<&str> {
        self.claim_str("token_use")
    }

    pub fn sub(&self) -> Option<&str> {
        self.claim_str("sub")
    }

    pub fn iss(&self) -> Option<&str> {
        self.claim_str("iss")
    }

    pub fn client_id(&self) -> Option<&str> {
        self.claim_str("client_id")
    }

    /// ID tokens carry `cognito:username`, access tokens `username`.
    pub fn username(&self) -> Option<&str> {
        self.claim_str("cognito:username")
            .or_else(|| self.claim_str("username"))
    }

    /// Access-token scopes; Cognito sends them space-separated in `scope`.
    pub fn scopes(&self) -> Vec<&str> {
        self.claim_str("scope")
            .map(|s| s.split_whitespace().collect())
            .unwrap_or_default()
    }

    /// `cognito:groups` as strings; non-string entries are dropped.
    pub fn groups(&self) -> Vec<&str> {
        match self.claims.get("cognito:groups") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Seconds since the epoch. A fractional value is rounded down, the
    /// stricter direction for an expiry.
    pub fn exp(&self) -> Option<i64> {
        numeric_date(self.claims.get("exp")?, f64::floor)
    }

    /// Rounded up, the stricter direction for "not issued in the future".
    pub fn iat(&self) -> Option<i64> {
        numeric_date(self.claims.get("iat")?, f64::ceil)
    }

    /// Rounded up, the stricter direction for a not-before time.
    pub fn nbf(&self) -> Option<i64> {
        numeric_date(self.claims.get("nbf")?, f64::ceil)
    }

    pub fn auth_time(&self) -> Option<i64> {
        numeric_date(self.claims.get("auth_time")?, f64::floor)
    }
}

/// Only header and claim names: the raw token, signing input and signature
/// would let anyone reading a log replay the token.
impl fmt::Debug for UnverifiedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedToken")
            .field("header", &self.header)
            .field("claim_names", &self.claims.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Header {
    fn from_json(json: &Map<String, Value>) -> Result<Header, ParseError> {
        if json.contains_key("crit") {
            return Err(ParseError::CriticalHeader);
        }
        let alg = header_str(json, "alg")?.ok_or(ParseError::MissingAlg)?;
        Ok(Header {
            alg,
            kid: header_str(json, "kid")?,
            typ: header_str(json, "typ")?,
        })
    }
}

fn header_str(json: &Map<String, Value>, name: &'static str) -> Result<Option<String>, ParseError> {
    match json.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ParseError::HeaderFieldNotString {
            name,
            found: json_type(other),
        }),
    }
}

fn decode_object(text: &str, segment: Segment) -> Result<Map<String, Value>, ParseError> {
    let bytes = b64::decode(text).map_err(|reason| ParseError::Base64 { segment, reason })?;
    // Parse to a Value first: deserialising straight into a map would put
    // the offending value into serde's "invalid type" message.
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| ParseError::Json {
        segment,
        reason: json_reason(&e),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => {
            let found = json_type(&other);
            Err(match segment {
                Segment::Header => ParseError::HeaderNotObject { found },
                _ => ParseError::PayloadNotObject { found },
            })
        }
    }
}

/// Position and category only; serde_json's full message can quote input.
fn json_reason(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "unexpected end of input",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

/// The JSON type of `v` for error messages ("a string", "an array"), which
/// name what was found without quoting it.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// RFC 7519 NumericDate: a JSON number of seconds. `None` for non-numbers
/// and values outside i64, so callers fail rather than wrap around.
pub(crate) fn numeric_date(v: &Value, round: fn(f64) -> f64) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    let f = round(v.as_f64()?);
    // i64::MAX as f64 rounds up to 2^63, hence the strict upper bound.
    (f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(json: &str) -> String {
        b64::encode(json.as_bytes())
    }

    fn token(header: &str, payload: &str, sig: &[u8]) -> String {
        format!("{}.{}.{}", enc(header), enc(payload), b64::encode(sig))
    }

    #[test]
    fn parses_parts_and_keeps_signing_input() {
        let raw = token(
            r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#,
            r#"{"sub":"u","exp":10}"#,
            b"sig",
        );
        let t = UnverifiedToken::parse(&raw).unwrap();
        assert_eq!(t.header().alg, "RS256");
        assert_eq!(t.header().kid.as_deref(), Some("k1"));
        assert_eq!(t.header().typ.as_deref(), Some("JWT"));
        assert_eq!(t.signature(), b"sig");
        let dot = raw.rfind('.').unwrap();
        assert_eq!(t.signing_input(), &raw.as_bytes()[..dot]);
        assert_eq!(t.sub(), Some("u"));
        assert_eq!(t.exp(), Some(10));
    }

    #[test]
    fn segment_count() {
        for (raw, found) in [("", 1), ("a", 1), ("a.b", 2), ("a.b.c.d", 4), ("....", 5)] {
            assert_eq!(
                UnverifiedToken::parse(raw).unwrap_err(),
                ParseError::NotThreeSegments { found }
            );
        }
    }

    #[test]
    fn empty_signature_parses_so_alg_none_is_judged_by_the_algorithm_check() {
        let raw = format!("{}.{}.", enc(r#"{"alg":"none"}"#), enc("{}"));
        let t = UnverifiedToken::parse(&raw).unwrap();
        assert_eq!(t.header().alg, "none");
        assert!(t.signature().is_empty());
    }

    #[test]
    fn base64_errors_name_the_segment_and_not_the_text() {
        let good_h = enc(r#"{"alg":"RS256"}"#);
        let good_p = enc("{}");
        let cases = [
            (format!("e30+.{good_p}.AA"), Segment::Header),
            (format!("{good_h}.e30=.AA"), Segment::Payload),
            (format!("{good_h}.{good_p}.A"), Segment::Signature),
            (format!("{good_h}.{good_p}.AB"), Segment::Signature), // stray trailing bits
            (format!("{good_h}.{good_p}.a/b+"), Segment::Signature),
        ];
        for (raw, seg) in cases {
            match UnverifiedToken::parse(&raw) {
                Err(ParseError::Base64 { segment, reason }) => {
                    assert_eq!(segment, seg, "{raw}");
                    assert!(!reason.contains('/') && !reason.contains('+'), "{reason}");
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
    }

    #[test]
    fn json_errors() {
        use ParseError as E;
        use Segment::{Header as H, Payload as P};
        let h = enc(r#"{"alg":"RS256"}"#);
        type Case = (String, fn(&ParseError) -> bool);
        let cases: [Case; 8] = [
            (format!("{}.{}.", enc("{"), enc("{}")), |e| {
                matches!(e, E::Json { segment: H, .. })
            }),
            (format!("{h}.{}.", enc("not json secret")), |e| {
                matches!(e, E::Json { segment: P, .. })
            }),
            (format!("{}.{}.", enc("[1]"), enc("{}")), |e| {
                matches!(e, E::HeaderNotObject { found: "an array" })
            }),
            (format!("{h}.{}.", enc(r#""secret""#)), |e| {
                matches!(e, E::PayloadNotObject { found: "a string" })
            }),
            (format!("{}.{}.", enc("{}"), enc("{}")), |e| {
                matches!(e, E::MissingAlg)
            }),
            (format!("{}.{}.", enc(r#"{"alg":1}"#), enc("{}")), |e| {
                matches!(e, E::HeaderFieldNotString { name: "alg", .. })
            }),
            (
                format!("{}.{}.", enc(r#"{"alg":"RS256","kid":[]}"#), enc("{}")),
                |e| {
                    matches!(
                        e,
                        E::HeaderFieldNotString {
                            name: "kid",
                            found: "an array"
                        }
                    )
                },
            ),
            (
                format!(
                    "{}.{}.",
                    enc(r#"{"alg":"RS256","crit":["b64"]}"#),
                    enc("{}")
                ),
                |e| matches!(e, E::CriticalHeader),
            ),
        ];
        for (raw, want) in cases {
            let err = UnverifiedToken::parse(&raw).unwrap_err();
            assert!(want(&err), "{err:?}");
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }

    #[test]
    fn too_large_is_rejected_before_any_work() {
        let raw = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            UnverifiedToken::parse(&raw).unwrap_err(),
            ParseError::TooLarge {
                len: MAX_TOKEN_BYTES + 1,
                max: MAX_TOKEN_BYTES
            }
        );
    }

    #[test]
    fn typed_helpers() {
        let raw = token(
            r#"{"alg":"RS256"}"#,
            r#"{"username":"bob","scope":"openid  email profile","cognito:groups":["a",1,"b"],
               "iat":1.5,"nbf":2.2,"exp":9.9,"auth_time":"7","token_use":"access","client_id":"c"}"#,
            b"",
        );
        let t = UnverifiedToken::parse(&raw).unwrap();
        assert_eq!(t.username(), Some("bob"));
        assert_eq!(t.scopes(), vec!["openid", "email", "profile"]);
        assert_eq!(t.groups(), vec!["a", "b"]);
        assert_eq!(
            (t.iat(), t.nbf(), t.exp(), t.auth_time()),
            (Some(2), Some(3), Some(9), None)
        );
        assert_eq!(t.token_use(), Some("access"));
        assert_eq!(t.client_id(), Some("c"));
        assert_eq!(t.sub(), None);
        let id = UnverifiedToken::parse(&token(
            r#"{"alg":"RS256"}"#,
            r#"{"cognito:username":"alice","username":"x","exp":1e300}"#,
            b"",
        ))
        .unwrap();
        assert_eq!(id.username(), Some("alice"));
        assert_eq!(id.exp(), None);
        assert!(id.scopes().is_empty() && id.groups().is_empty());
    }

    #[test]
    fn debug_shows_names_only() {
        let raw = token(
            r#"{"alg":"RS256","kid":"k"}"#,
            r#"{"email":"secret@example.com"}"#,
            b"SIGNATURE",
        );
        let t = UnverifiedToken::parse(&raw).unwrap();
        let dbg = format!("{t:?}");
        assert!(dbg.contains("email") && dbg.contains("RS256"), "{dbg}");
        assert!(!dbg.contains("secret@example.com"), "{dbg}");
        assert!(!dbg.contains(&raw[..20]), "{dbg}");
        assert!(!dbg.contains(&raw[raw.rfind('.').unwrap() + 1..]), "{dbg}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "...",
            ".e30.",
            "é.é.é",
            "\0.\0.\0",
            "e30.e30.e30",
            "ey.ey.ey",
            "%%.%%.%%",
        ];
        for raw in inputs {
            let _ = UnverifiedToken::parse(raw);
        }
        // Every prefix of a valid token, including ones cut inside a
        // multi-byte boundary of the segments.
        let raw = token(
            r#"{"alg":"RS256","kid":"ü"}"#,
            r#"{"sub":"ü"}"#,
            b"0123456789",
        );
        for end in 0..raw.len() {
            let _ = UnverifiedToken::parse(&raw[..end]);
        }
    }
}
