//! cognito-spa: see, try and teach sign-in with Amazon Cognito from a browser.

pub mod config;

mod app;
pub mod auth;
mod boot;
mod components;
mod pages;

pub use boot::start;
