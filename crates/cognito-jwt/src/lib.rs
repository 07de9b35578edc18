//! Cognito JWT checks shared by the browser app and the native servers.
//!
//! The same rules must give the same verdict in the browser (which verifies
//! RS256 signatures with WebCrypto to keep RSA code out of the wasm bundle)
//! and in the local Cognito stand-in and Lambda authorizer (which verify with
//! the pure-Rust `rsa` crate behind the `native` feature). So everything but
//! the signature arithmetic lives here and is feature-free: token parsing,
//! JWKS parsing and key selection, claim rules, and the report that names
//! every check with the word the UI contract shows.
//!
//! Why not jwt-compact: its 0.8 `UntrustedToken` keeps the signing input in a
//! crate-private field (`signed_data`), so an external verifier such as
//! WebCrypto cannot get at it, and its claims model always pulls in `chrono`.
//! Parsing the three compact segments takes a few lines of `base64` and
//! `serde_json` (see [`token`]), so we do it ourselves.

mod b64;
pub mod flow;
pub mod jwks;
#[cfg(feature = "native")]
pub mod native;
pub mod report;
pub mod rules;
pub mod token;

pub use flow::{assemble_report, key_set_failure_report, parse_failure_report};
pub use jwks::{Jwks, JwksError, KeyError, RsaJwk};
pub use report::{Check, CheckKind, CheckOutcome, Report};
pub use rules::{at_hash, check_claims, Expectations, TokenUse};
pub use token::{Header, ParseError, Segment, UnverifiedToken};
