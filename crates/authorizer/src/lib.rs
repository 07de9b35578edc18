//! The API Gateway Lambda TOKEN authorizer for Cognito access tokens.
//!
//! One decision logic for two hosts: the real Lambda (`src/main.rs`, feature
//! `lambda`) and devstack's Lambda-authorizer mode, which calls [`decide`]
//! directly so the local stand-in cannot drift from what runs on AWS.
//!
//! It fails closed everywhere: a missing setting, a key set that cannot be
//! fetched, a token that does not parse or verify, a method ARN that does not
//! parse are all `Unauthorized` (API Gateway's 401), never `Allow`. A valid
//! token whose scopes allow nothing for the method gets an explicit `Deny`
//! (403) for that method, next to the `Allow` of the routes its scopes do
//! unlock: API Gateway caches the policy per token and applies it to every
//! method (docs/protocol.md, "The authorizer result cache"). Verification is `cognito_jwt::native::verify_raw`, the same rules the
//! browser app shows its users.
//!
//! Layout: [`policy`] (scope table, routes, method ARNs), [`decision`] (the
//! pure verdict), [`config`] (environment), [`jwks_cache`] (key set cache with
//! rate-limited refetch on an unknown `kid`), and with feature `events`
//! [`handler`] (API Gateway TOKEN events in, policy documents out).

pub mod config;
pub mod decision;
#[cfg(feature = "lambda")]
pub mod fetch;
#[cfg(feature = "events")]
pub mod handler;
pub mod jwks_cache;
pub mod policy;

pub use config::{Config, ConfigError};
pub use decision::{decide, evaluate, AuthorizerContext, AuthorizerDecision, Outcome, Settings};
pub use jwks_cache::{FetchError, JwksCache, JwksFetcher, MIN_REFETCH_SECONDS};
pub use policy::{MethodArn, MethodCall, PolicyRule, Route, RouteError};
