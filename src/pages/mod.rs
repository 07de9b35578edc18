pub mod callback;
pub mod config_error;
pub mod home;
pub mod not_found;
pub mod profile;
pub mod trace;
