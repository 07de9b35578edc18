//! One tab at a time across the origin: the Web Locks API where the browser
//! has it, else a lease in localStorage (see `tabs::lease_free`). Either
//! way a failure to lock lets the work run unlocked: the work itself still
//! looks at what is stored before it writes (`tabs::compare`).

use gloo_storage::{LocalStorage, Storage};
use js_sys::Function;
use wasm_bindgen::JsValue;

use super::browser::{random_bytes, request_web_lock, sleep_ms};
use super::pkce::random_token_from_bytes;
use super::tabs::{lease_free, Lease};

/// Longer than a refresh takes; a lease of a tab that closed expires.
const LEASE_MS: u64 = 10_000;

/// Held until dropped.
pub enum Guard {
    /// Calling it releases the Web Lock.
    WebLock(Function),
    Lease {
        key: String,
        me: String,
    },
    None,
}

impl Drop for Guard {
    fn drop(&mut self) {
        match self {
            Guard::WebLock(release) => {
                let _ = release.call0(&JsValue::NULL);
            }
            Guard::Lease { key, me } => {
                if lease(key).is_some_and(|l| l.owner == *me) {
                    storage_remove(key);
                }
            }
            Guard::None => {}
        }
    }
}

/// Waits until this tab holds the lock `name`.
pub async fn acquire(name: &str) -> Guard {
    match request_web_lock(name).await {
        Some(Ok(release)) => Guard::WebLock(release),
        Some(Err(())) => Guard::None,
        None => take_lease(name).await,
    }
}

/// Without Web Locks: take the lease when it is free, wait while another
/// tab holds it, and look again after a pause, since two tabs may have
/// taken it at once (the last write wins).
async fn take_lease(name: &str) -> Guard {
    let key = format!("{name}.lease");
    let Ok(bytes) = random_bytes(16) else {
        return Guard::None;
    };
    let me = random_token_from_bytes(&bytes);
    let give_up = now_ms() + LEASE_MS;
    loop {
        let now = now_ms();
        if lease_free(lease(&key).as_ref(), &me, now) {
            let mine = Lease {
                owner: me.clone(),
                until_ms: now + LEASE_MS,
            };
            if LocalStorage::raw().set_item(&key, &mine.to_text()).is_err() {
                return Guard::None;
            }
            sleep_ms(50).await;
            if lease(&key).is_some_and(|l| l.owner == me) {
                return Guard::Lease { key, me };
            }
        } else if now > give_up {
            return Guard::None;
        } else {
            sleep_ms(100).await;
        }
    }
}

fn lease(key: &str) -> Option<Lease> {
    Lease::parse(&LocalStorage::raw().get_item(key).ok()??)
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn storage_remove(key: &str) {
    let _ = LocalStorage::raw().remove_item(key);
}
