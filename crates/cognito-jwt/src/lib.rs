//! Cognito JWT checks shared by the browser app and the native servers.
//!
//! The same rules must give the same verdict in the browser (which verifies
//! RS256 signatures with WebCrypto to keep RSA code out of the wasm bundle)
//! and in the local Cognito stand-in and Lambda authorizer (which verify with
//! jwt-compact's RS256 behind the `native` feature). So everything but
//! the signature arithmetic lives here and is feature-free: token parsing,
//! JWKS parsing and key selection, claim rules, and the report that names
//! every check with the word the UI contract shows.
//!
//! Why jwt-compact only for RS256 itself: its 0.8 `UntrustedToken` keeps the
//! signing input in a crate-private field (`signed_data`), so an external
//! verifier such as WebCrypto cannot get at it, and its claims model always
//! pulls in `chrono` and reads `exp`/`nbf`/`iat` as whole seconds, failing
//! the whole token on a fractional one. Parsing the three compact segments
//! takes a few lines of `base64` and `serde_json` (see [`token`]), so we do
//! it ourselves, the same in the browser and on servers. Reading the compact
//! form through jwt-compact instead would add about 21 KB to the app's
//! release wasm (7 KB brotli), measured with `cargo xtask dist`.
//!
//! # Use
//!
//! Servers (feature `native`) make one call:
//! `native::verify_raw(raw, &jwks, &expect, now)` returns the [`Report`]
//! with the parsed token (`.into_valid()` hands the token out only if the
//! report is valid).
//!
//! The rules around verification live here too, so every verifier applies
//! them alike: the issuer and key set URL of a user pool and the shape of its
//! id ([`pool`]), when an unknown `kid` is worth fetching the key set again
//! ([`RefetchPolicy`]), the one key set size limit ([`MAX_JWKS_BYTES`]),
//! "good but for its age" ([`Report::only_expired`]) and comparing secrets
//! ([`constant_time_eq`]).
//!
//! The browser parses, picks the key, verifies with WebCrypto
//! (`importKey("jwk", key.to_webcrypto_jwk(), {name: "RSASSA-PKCS1-v1_5",
//! hash: "SHA-256"}, false, ["verify"])`, then `verify(…, token.signature(),
//! token.signing_input())`), and hands the outcome to [`assemble_report`],
//! so both sides build the same report:
//!
//! ```
//! use cognito_jwt::{assemble_report, Expectations, Jwks, TokenUse, UnverifiedToken};
//!
//! # fn webcrypto_verify(_: &serde_json::Value, _: &[u8], _: &[u8]) -> Result<(), String> {
//! #     Err("signature does not match".into())
//! # }
//! # let raw = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2ln";
//! # let n = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";
//! # let jwks_json = &format!(r#"{{"keys":[{{"kty":"RSA","kid":"k1","n":"{n}","e":"AQAB"}}]}}"#);
//! let token = UnverifiedToken::parse(raw).map_err(|e| e.to_string())?;
//! let jwks = Jwks::parse(jwks_json).map_err(|e| e.to_string())?;
//! let expect = Expectations {
//!     issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
//!     client_id: "client123",
//!     token_use: TokenUse::Id,
//!     leeway_seconds: 60,
//!     nonce: None,
//!     access_token_for_at_hash: None,
//! };
//! // If RefetchPolicy::wants_refetch(&jwks, kid) and policy.try_fetch(now),
//! // fetch the key set again first (key rotation).
//! let signature = match jwks.select(token.header().kid.as_deref()) {
//!     Ok(key) => webcrypto_verify(&key.to_webcrypto_jwk(), token.signature(), token.signing_input()),
//!     Err(e) => Err(e.to_string()),
//! };
//! let report = assemble_report(&token, &jwks, &expect, 1_700_000_000, signature);
//! assert!(!report.is_valid());
//! assert_eq!(report.failure_word(), Some("signature")); // the `auth-error` word
//! # Ok::<(), String>(())
//! ```
//!
//! A token that does not parse gets [`parse_failure_report`]; a key set that
//! cannot be fetched or parsed gets [`key_set_failure_report`].

mod assemble;
mod b64;
mod constant_time;
pub mod jwks;
#[cfg(feature = "native")]
pub mod native;
pub mod pool;
pub mod refetch;
pub mod report;
pub mod rules;
pub mod token;

pub use assemble::{assemble_report, key_set_failure_report, parse_failure_report};
pub use constant_time::constant_time_eq;
pub use jwks::{Jwks, JwksError, KeyError, RsaJwk, MAX_JWKS_BYTES};
pub use pool::{check_user_pool_id, PoolIdError, JWKS_PATH};
pub use refetch::{RefetchPolicy, MIN_REFETCH_SECONDS};
pub use report::{only_expired, Check, CheckKind, CheckOutcome, Report};
pub use rules::{at_hash, check_claims, time_checks, Expectations, TokenUse};
pub use token::{json_type, Header, ParseError, Segment, UnverifiedToken};
