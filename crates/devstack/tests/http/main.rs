//! HTTP-level tests: a stack started in-process on random ports, driven with
//! reqwest (redirects off, cookie jar on) like a browser and an SPA would.

mod common;

mod apis;
mod authorize;
mod authorizer_cache;
mod claims;
mod controls;
mod gateway;
mod idp;
mod idp_accounts;
mod idp_pages;
mod idp_persist;
mod interop;
mod lifecycle;
mod login;
mod logout;
mod token;
mod userinfo_revoke;
