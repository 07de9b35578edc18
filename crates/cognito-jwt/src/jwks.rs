//! The issuer's published key set, reduced to the keys that can verify RS256.
//!
//! Filtering happens once, at parse time, so key selection (and the contract
//! rule "a token without kid is accepted only when the JWKS holds exactly one
//! RS256 signing key") counts only keys that could ever verify a token.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::b64;

/// Real key sets are a few KiB; the cap bounds the work (and, for fetchers
/// that check it before reading the body, the download) on a hostile or
/// misconfigured `jwksUri`. Every verifier uses this one limit.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JwksError {
    #[error("expected a key set of at most {max} bytes, got {len} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("expected a JSON key set, got text that is not JSON ({reason})")]
    NotJson { reason: String },
    #[error("expected a JSON object with a \"keys\" array, got {found}")]
    NotAnObject { found: &'static str },
    #[error("expected a \"keys\" array in the key set, found none")]
    MissingKeys,
    #[error("expected \"keys\" to be an array, got {found}")]
    KeysNotArray { found: &'static str },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Worth one JWKS refetch: the issuer may have rotated its keys.
    #[error(
        "expected the token's kid to be in the key set, but no RS256 signing key has kid \"{0}\""
    )]
    UnknownKid(String),
    #[error("expected a kid in the token header, or a key set with exactly one RS256 signing key")]
    MissingKid,
    /// Two usable keys share the kid, so the key set cannot say which one
    /// signed; refusing is safer than guessing.
    #[error("expected one key with kid \"{0}\", found several")]
    AmbiguousKid(String),
    /// Outside [`RSA_BITS`]: RFC 7518 requires at least 2048 bits, and the
    /// browser (WebCrypto imports 1024-bit keys) and the servers must agree.
    #[error(
        "expected an RSA key of 2048 to 4096 bits, but key {} has {bits} bits",
        kid.as_deref().unwrap_or("(no kid)")
    )]
    KeySize { kid: Option<String>, bits: usize },
}

/// The RSA modulus sizes a key may have, in bits: RFC 7518 section 3.3's
/// minimum, and Cognito's keys are 2048 bits; the cap bounds the work of a
/// hostile key set.
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;

/// One RSA public key as published in a JWKS (RFC 7517/7518).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsaJwk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Modulus, base64url big-endian.
    pub n: String,
    /// Public exponent, base64url big-endian.
    pub e: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    pub kty: String,
}

impl RsaJwk {
    /// The minimal JWK WebCrypto's `importKey("jwk", …,
    /// {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, false, ["verify"])`
    /// accepts: `kid` and `use` are dropped because a `use` other than
    /// "sig" would make the import fail, and `alg` is pinned to RS256 so the
    /// browser refuses the key for any other algorithm.
    pub fn to_webcrypto_jwk(&self) -> Value {
        json!({ "kty": "RSA", "n": self.n, "e": self.e, "alg": "RS256", "ext": true })
    }

    /// The modulus size in bits (leading zero bytes do not count).
    pub fn modulus_bits(&self) -> usize {
        let n = b64::decode(&self.n).unwrap_or_default();
        let mut digits = n.iter().skip_while(|b| **b == 0);
        match digits.next() {
            Some(first) => (8 - first.leading_zeros() as usize) + 8 * digits.count(),
            None => 0,
        }
    }

    /// Decoded modulus and exponent (big-endian). Parsing guarantees these
    /// decode for keys that came from [`Jwks::parse`].
    pub fn modulus_and_exponent(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        Some((b64::decode(&self.n).ok()?, b64::decode(&self.e).ok()?))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<RsaJwk>,
}

impl Jwks {
    /// Parses a JWKS document, keeping only RSA keys usable for RS256
    /// signatures.
    ///
    /// Entries of other types (EC, oct, OKP), other algorithms, `use: "enc"`
    /// or `key_ops` without "verify" are skipped: the contract says unknown
    /// entries are ignored, and issuers legitimately publish such keys next
    /// to their signing keys.
    ///
    /// RSA entries whose `n` or `e` is missing, not a string, or not
    /// base64url are skipped too rather than failing the whole set: one
    /// broken entry must not make the issuer's other, valid keys unusable,
    /// and a skipped key can never verify anything, so skipping fails closed
    /// (a token naming it gets [`KeyError::UnknownKid`]).
    pub fn parse(json: &str) -> Result<Jwks, JwksError> {
        if json.len() > MAX_JWKS_BYTES {
            return Err(JwksError::TooLarge {
                len: json.len(),
                max: MAX_JWKS_BYTES,
            });
        }
        let doc: Value = serde_json::from_str(json).map_err(|e| JwksError::NotJson {
            reason: format!("line {} column {}", e.line(), e.column()),
        })?;
        let obj = doc.as_object().ok_or(JwksError::NotAnObject {
            found: crate::token::json_type(&doc),
        })?;
        let entries = match obj.get("keys") {
            None => return Err(JwksError::MissingKeys),
            Some(Value::Array(entries)) => entries,
            Some(other) => {
                return Err(JwksError::KeysNotArray {
                    found: crate::token::json_type(other),
                })
            }
        };
        Ok(Jwks {
            keys: entries.iter().filter_map(usable_rsa_key).collect(),
        })
    }

    /// Builds a set from keys already known to be usable, e.g. for a
    /// stand-in issuer that publishes its own keys.
    pub fn from_keys(keys: Vec<RsaJwk>) -> Jwks {
        Jwks { keys }
    }

    /// The key for a token header's `kid`. Without a kid the key is
    /// unambiguous only if the set holds exactly one key. A key outside
    /// [`RSA_BITS`] is refused here, so the browser and the servers agree.
    pub fn select(&self, kid: Option<&str>) -> Result<&RsaJwk, KeyError> {
        let key = self.find(kid)?;
        let bits = key.modulus_bits();
        if !RSA_BITS.contains(&bits) {
            return Err(KeyError::KeySize {
                kid: key.kid.clone(),
                bits,
            });
        }
        Ok(key)
    }

    fn find(&self, kid: Option<&str>) -> Result<&RsaJwk, KeyError> {
        match kid {
            Some(kid) => {
                let mut matching = self.keys.iter().filter(|k| k.kid.as_deref() == Some(kid));
                match (matching.next(), matching.next()) {
                    (Some(key), None) => Ok(key),
                    (Some(_), Some(_)) => Err(KeyError::AmbiguousKid(kid.to_owned())),
                    (None, _) => Err(KeyError::UnknownKid(kid.to_owned())),
                }
            }
            None => match self.keys.as_slice() {
                [only] => Ok(only),
                _ => Err(KeyError::MissingKid),
            },
        }
    }

    pub fn keys(&self) -> &[RsaJwk] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn usable_rsa_key(entry: &Value) -> Option<RsaJwk> {
    let obj = entry.as_object()?;
    let text = |name: &str| obj.get(name).and_then(Value::as_str);
    // Present-but-wrong-type optional members make the entry unusable too:
    // we cannot tell what the issuer meant. `null` counts as absent, as
    // serializers commonly write it for a missing optional member.
    let optional = |name: &str| match obj.get(name) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    };
    if text("kty")? != "RSA" {
        return None;
    }
    let alg = optional("alg")?;
    let use_ = optional("use")?;
    let kid = optional("kid")?;
    if alg.as_deref().is_some_and(|a| a != "RS256") || use_.as_deref().is_some_and(|u| u != "sig") {
        return None;
    }
    if let Some(ops) = obj.get("key_ops") {
        let ops = ops.as_array()?;
        if !ops.iter().any(|op| op.as_str() == Some("verify")) {
            return None;
        }
    }
    let (n, e) = (text("n")?, text("e")?);
    let (n_bytes, e_bytes) = (b64::decode(n).ok()?, b64::decode(e).ok()?);
    if n_bytes.is_empty() || e_bytes.is_empty() {
        return None;
    }
    Some(RsaJwk {
        kid,
        n: n.to_owned(),
        e: e.to_owned(),
        alg,
        use_,
        kty: "RSA".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    fn jwk(extra: &str) -> String {
        format!(r#"{{"kty":"RSA","n":"{N}","e":"AQAB"{extra}}}"#)
    }

    #[test]
    fn keeps_rs256_signing_keys_and_ignores_the_rest() {
        let doc = format!(
            r#"{{"keys":[
                {},
                {},
                {{"kty":"EC","crv":"P-256","x":"AA","y":"AA","kid":"ec"}},
                {},
                {},
                {},
                {},
                {},
                {},
                {},
                {},
                "not an object",
                {}
            ]}}"#,
            jwk(r#","kid":"a","alg":"RS256","use":"sig""#),
            jwk(r#","kid":"enc","use":"enc""#),
            jwk(r#","kid":"rs384","alg":"RS384""#),
            jwk(r#","kid":"ops","key_ops":["encrypt"]"#),
            r#"{"kty":"RSA","kid":"no-n","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"bad-n","n":"*+/","e":"AQAB"}"#,
            r#"{"kty":"RSA","kid":"num-e","n":"AQAB","e":65537}"#,
            jwk(r#","kid":7"#),
            jwk(r#","kid":"b","key_ops":["verify"]"#),
            r#"{"kty":"rsa","kid":"lower","n":"AQAB","e":"AQAB"}"#,
            jwk(r#","kid":"c""#),
        );
        let set = Jwks::parse(&doc).unwrap();
        let kids: Vec<_> = set.keys().iter().map(|k| k.kid.as_deref()).collect();
        assert_eq!(kids, vec![Some("a"), Some("b"), Some("c")]);
        assert_eq!(set.keys()[0].use_.as_deref(), Some("sig"));
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn document_errors() {
        assert!(matches!(
            Jwks::parse("garbage"),
            Err(JwksError::NotJson { .. })
        ));
        assert!(matches!(Jwks::parse(""), Err(JwksError::NotJson { .. })));
        assert_eq!(
            Jwks::parse("[]"),
            Err(JwksError::NotAnObject { found: "an array" })
        );
        assert_eq!(Jwks::parse("{}"), Err(JwksError::MissingKeys));
        assert_eq!(
            Jwks::parse(r#"{"keys":{}}"#),
            Err(JwksError::KeysNotArray { found: "an object" })
        );
        assert_eq!(Jwks::parse(r#"{"keys":[]}"#).map(|s| s.len()), Ok(0));
        let huge = format!(r#"{{"keys":[],"pad":"{}"}}"#, "x".repeat(MAX_JWKS_BYTES));
        assert!(matches!(
            Jwks::parse(&huge),
            Err(JwksError::TooLarge { .. })
        ));
    }

    #[test]
    fn select_by_kid() {
        let two = Jwks::parse(&format!(
            r#"{{"keys":[{},{}]}}"#,
            jwk(r#","kid":"a""#),
            jwk(r#","kid":"b""#)
        ))
        .unwrap();
        assert_eq!(two.select(Some("b")).unwrap().kid.as_deref(), Some("b"));
        assert_eq!(
            two.select(Some("zz")),
            Err(KeyError::UnknownKid("zz".into()))
        );
        assert_eq!(two.select(None), Err(KeyError::MissingKid));

        let one = Jwks::parse(&format!(r#"{{"keys":[{}]}}"#, jwk(r#","kid":"a""#))).unwrap();
        assert_eq!(one.select(None).unwrap().kid.as_deref(), Some("a"));

        let none = Jwks::default();
        assert_eq!(none.select(None), Err(KeyError::MissingKid));
        assert_eq!(
            none.select(Some("a")),
            Err(KeyError::UnknownKid("a".into()))
        );

        let dup = Jwks::parse(&format!(
            r#"{{"keys":[{},{}]}}"#,
            jwk(r#","kid":"a""#),
            jwk(r#","kid":"a""#)
        ))
        .unwrap();
        assert_eq!(
            dup.select(Some("a")),
            Err(KeyError::AmbiguousKid("a".into()))
        );
    }

    /// A JWK whose modulus has exactly `bits` bits (top bit set).
    fn jwk_of_bits(kid: &str, bits: usize) -> String {
        let mut n = vec![0xA5u8; bits.div_ceil(8)];
        let top = bits % 8;
        n[0] = if top == 0 {
            0xFF
        } else {
            (1u8 << (top - 1)) | 1
        };
        // A leading zero byte does not count as bits of the modulus.
        n.insert(0, 0);
        format!(
            r#"{{"kty":"RSA","kid":"{kid}","n":"{}","e":"AQAB"}}"#,
            crate::b64::encode(&n)
        )
    }

    #[test]
    fn only_rsa_keys_of_2048_to_4096_bits_are_selected() {
        let set = Jwks::parse(&format!(
            r#"{{"keys":[{},{},{},{},{}]}}"#,
            jwk_of_bits("1024", 1024),
            jwk_of_bits("2047", 2047),
            jwk_of_bits("2048", 2048),
            jwk_of_bits("4096", 4096),
            jwk_of_bits("4097", 4097),
        ))
        .unwrap();
        assert!(set.select(Some("2048")).is_ok());
        assert!(set.select(Some("4096")).is_ok());
        for (kid, bits) in [("1024", 1024), ("2047", 2047), ("4097", 4097)] {
            let error = set.select(Some(kid)).unwrap_err();
            assert_eq!(
                error,
                KeyError::KeySize {
                    kid: Some(kid.into()),
                    bits
                }
            );
            assert!(error.to_string().contains("2048"), "{error}");
        }
        let only_small =
            Jwks::parse(&format!(r#"{{"keys":[{}]}}"#, jwk_of_bits("x", 1024))).unwrap();
        assert!(matches!(
            only_small.select(None),
            Err(KeyError::KeySize { .. })
        ));
    }

    #[test]
    fn webcrypto_jwk_has_exactly_the_import_members() {
        let set = Jwks::parse(&format!(
            r#"{{"keys":[{}]}}"#,
            jwk(r#","kid":"a","use":"sig","alg":"RS256""#)
        ))
        .unwrap();
        let v = set.keys()[0].to_webcrypto_jwk();
        assert_eq!(
            v,
            json!({"kty":"RSA","n":N,"e":"AQAB","alg":"RS256","ext":true})
        );
    }

    #[test]
    fn rsa_jwk_serde_uses_the_jwk_member_names() {
        let k = RsaJwk {
            kid: Some("a".into()),
            n: "AQAB".into(),
            e: "AQAB".into(),
            alg: Some("RS256".into()),
            use_: Some("sig".into()),
            kty: "RSA".into(),
        };
        let v = serde_json::to_value(&k).unwrap();
        assert_eq!(v["use"], "sig");
        assert_eq!(serde_json::from_value::<RsaJwk>(v).unwrap(), k);
        let bare = RsaJwk {
            kid: None,
            alg: None,
            use_: None,
            ..k
        };
        let v = serde_json::to_value(&bare).unwrap();
        assert_eq!(v, json!({"kty":"RSA","n":"AQAB","e":"AQAB"}));
        let set = Jwks::parse(
            &json!({"keys":[v, {"kty":"RSA","n":"AQAB","e":"AQAB","kid":null}]}).to_string(),
        );
        assert_eq!(set.map(|s| s.len()), Ok(2));
    }
}
