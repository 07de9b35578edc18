//! The Lambda TOKEN authorizer's own logic is the `authorizer` crate, the
//! code the real Lambda runs, so the local stand-in cannot drift from it.
//! API Gateway's checks before invoking it (missing header,
//! identityValidationExpression) live in `gateway`.

pub use authorizer::{decide, MethodCall, Settings as LambdaSettings};
