//! Sign-in through the Cognito hosted UI, and the session that follows.
//!
//! The protocol pieces are plain Rust with native tests (`pkce`, `urls`,
//! `callback`, `pending`, `pairing`, `gate`, `expect`, `tokens`,
//! `schedule`, `lifecycle`, `tabs`, `error`); `verify` keeps the key set
//! and runs the checks, and `token_client` calls the OAuth endpoints,
//! through the browser edge (`crate::web`); `session` ties them into the
//! app's auth state, `refresh` keeps it fresh, and `sign_out` ends it.

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
pub mod callback;
pub mod error;
pub mod expect;
pub mod gate;
pub mod lifecycle;
pub mod notice;
pub mod pairing;
pub mod pending;
pub mod pkce;
pub mod refresh;
pub mod schedule;
pub mod secret;
pub mod session;
pub mod sign_out;
pub mod tabs;
pub mod token_client;
pub mod tokens;
pub mod urls;
pub mod verify;

pub use error::AuthError;
pub use notice::{Notice, NoticeKind};
pub use session::{use_auth, Auth, AuthState, Session};
