//! cognito-spa: see, try and teach sign-in with Amazon Cognito from a browser.

pub mod config;

mod app;
pub mod auth;
pub mod book;
mod boot;
mod chunks;
mod components;
pub mod explain;
mod pages;
pub mod trace;
pub mod web;

pub use boot::start;
