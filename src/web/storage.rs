//! Web Storage (session and local), as JSON values.

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Which Web Storage area a value lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Session,
    Local,
}

pub fn store<T: Serialize>(area: Area, key: &str, value: &T) -> Result<(), String> {
    let result = match area {
        Area::Session => SessionStorage::set(key, value),
        Area::Local => LocalStorage::set(key, value),
    };
    result.map_err(|e| format!("could not write browser storage: {e}"))
}

pub fn load<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    match area {
        Area::Session => SessionStorage::get(key).ok(),
        Area::Local => LocalStorage::get(key).ok(),
    }
}

/// Like [`load`], but a value that is there and cannot be read is an error
/// (its reason), not the same as no value.
pub fn read<T: DeserializeOwned>(area: Area, key: &str) -> Result<Option<T>, String> {
    let result = match area {
        Area::Session => SessionStorage::get(key),
        Area::Local => LocalStorage::get(key),
    };
    match result {
        Ok(value) => Ok(Some(value)),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Ok(None),
        Err(error) => Err(error.to_string()),
    }
}

pub fn remove(area: Area, key: &str) {
    match area {
        Area::Session => SessionStorage::delete(key),
        Area::Local => LocalStorage::delete(key),
    }
}

/// A text value of sessionStorage, for values kept in a plain format of
/// their own (the trace, the notice left for the next page).
pub fn session_text(key: &str) -> Option<String> {
    SessionStorage::raw().get_item(key).ok().flatten()
}

/// Writes a text value of sessionStorage; a full or disabled storage
/// loses it (the trace then lives in memory only).
pub fn set_session_text(key: &str, value: &str) {
    let _ = SessionStorage::raw().set_item(key, value);
}

/// Takes a value out: read, then delete, so it can be used only once.
pub fn take<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    let value = load(area, key);
    remove(area, key);
    value
}
