//! Sign-in through the Cognito hosted UI, and the session that follows.
//!
//! The protocol pieces are plain Rust with native tests (`pkce`, `urls`,
//! `callback`, `pending`, `pairing`, `gate`, `tokens`, `schedule`,
//! `lifecycle`, `tabs`); `browser`, `lock` and `verify` are the thin browser
//! edges; `session` ties them into the app's auth state.

pub mod browser;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
pub mod callback;
pub mod expect;
pub mod gate;
pub mod lifecycle;
mod lock;
pub mod pairing;
pub mod pending;
pub mod pkce;
pub mod schedule;
pub mod secret;
pub mod session;
pub mod tabs;
mod timing;
pub mod tokens;
pub mod urls;
pub mod verify;

pub use session::{use_auth, Auth, AuthState, Notice, NoticeKind, Session};
