//! One tab at a time across the origin: the Web Locks API where the browser
//! has it, else a lease in localStorage (see `tabs::lease_free`). Either
//! way a failure to lock lets the work run unlocked: the work itself still
//! looks at what is stored before it writes (`tabs::compare`).

use std::future::Future;

use futures::future::select;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::browser::{self, random_bytes, sleep_ms, Area};
use super::pkce::random_token_from_bytes;
use super::tabs::{lease_free, Lease};

/// Longer than a refresh takes; a lease of a tab that closed expires.
const LEASE_MS: f64 = 10_000.0;

/// Runs `work` while this tab holds the lock `name`.
pub async fn exclusive<T>(name: &str, work: impl Future<Output = T>) -> T {
    match web_locks() {
        Some(locks) => with_web_lock(&locks, name, work).await,
        None => with_lease(name, work).await,
    }
}

fn web_locks() -> Option<JsValue> {
    let window = web_sys::window()?;
    let navigator = Reflect::get(&window, &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// A promise and the function that resolves it.
fn promise_with_resolver() -> (Promise, Option<Function>) {
    let mut resolver = None;
    let promise = Promise::new(&mut |resolve, _| resolver = Some(resolve));
    (promise, resolver)
}

/// `navigator.locks.request(name, lock => held)`: the lock is held until
/// `held` resolves, which happens once `work` is done.
async fn with_web_lock<T>(locks: &JsValue, name: &str, work: impl Future<Output = T>) -> T {
    let (held, release) = promise_with_resolver();
    let (granted, grant) = promise_with_resolver();
    let callback: Closure<dyn FnMut(JsValue) -> JsValue> = Closure::once(move |_lock: JsValue| {
        if let Some(grant) = grant {
            let _ = grant.call0(&JsValue::NULL);
        }
        JsValue::from(held)
    });
    let asked = Reflect::get(locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|request| request.dyn_into::<Function>().ok())
        .and_then(|request| {
            request
                .call2(locks, &JsValue::from_str(name), callback.as_ref())
                .ok()
        })
        .and_then(|asked| asked.dyn_into::<Promise>().ok());
    if let Some(asked) = asked {
        // Granted, or the request failed (then `asked` settles first).
        let _ = select(JsFuture::from(granted), JsFuture::from(asked)).await;
    }
    let result = work.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::NULL);
    }
    drop(callback);
    result
}

/// Without Web Locks: take the lease when it is free, wait while another
/// tab holds it, then look again after a pause, since two tabs may have
/// taken it at once (the last write wins).
async fn with_lease<T>(name: &str, work: impl Future<Output = T>) -> T {
    let key = format!("{name}.lease");
    let me = random_bytes(16)
        .map(|bytes| random_token_from_bytes(&bytes))
        .unwrap_or_default();
    let give_up = js_sys::Date::now() + LEASE_MS;
    loop {
        let now = js_sys::Date::now();
        let current: Option<Lease> = browser::load(Area::Local, &key);
        if lease_free(current.as_ref(), &me, now) {
            let lease = Lease {
                owner: me.clone(),
                until_ms: now + LEASE_MS,
            };
            if browser::store(Area::Local, &key, &lease).is_err() {
                break;
            }
            sleep_ms(50).await;
            if owned(&key, &me) {
                break;
            }
        } else if now > give_up {
            break;
        } else {
            sleep_ms(100).await;
        }
    }
    let result = work.await;
    if owned(&key, &me) {
        browser::remove(Area::Local, &key);
    }
    result
}

fn owned(key: &str, me: &str) -> bool {
    browser::load::<Lease>(Area::Local, key).is_some_and(|lease| lease.owner == me)
}
