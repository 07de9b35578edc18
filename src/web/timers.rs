//! Waiting in the browser: sleeping, timing out, and one tab at a time
//! across the origin. A failure to lock lets the work run unlocked: the
//! work itself still looks at what is stored before it writes
//! (`auth::tabs::compare`).

use js_sys::Function;
use wasm_bindgen::JsValue;

// The promise plumbing of sleeping and locking, in a few lines of JS: built
// from Rust, each closure and promise would need its own glue, which weighs
// far more in the wasm. `exclusive(name)` resolves, once the lock is this
// tab's, with the function that releases it. Without Web Locks it takes a
// lease "until/owner" in localStorage when free or expired, then reads it
// again after a pause, as two tabs may take it at once (the last write
// wins); a holder that vanished expires after 10 s. (The JS carries no
// comments: it ships as it is written.)
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
export function exclusive(name) {
  const locks = globalThis.navigator && navigator.locks;
  return locks
    ? new Promise((granted, failed) => {
        locks.request(name, () => new Promise(granted)).catch(failed);
      })
    : lease(name + ".lease");
}
async function lease(key) {
  const me = crypto.getRandomValues(new Uint32Array(4)).join("-");
  const holder = () => (localStorage.getItem(key) || "0/").split("/");
  const giveUp = Date.now() + 1e4;
  for (;;) {
    const [until, owner] = holder();
    const now = Date.now();
    if (owner === me || until < now) {
      localStorage.setItem(key, now + 1e4 + "/" + me);
      await sleep(50);
      if (holder()[1] === me) return () => holder()[1] === me && localStorage.removeItem(key);
    } else if (now > giveUp) return () => {};
    else await sleep(100);
  }
}
"#)]
extern "C" {
    fn sleep(ms: i32) -> js_sys::Promise;
    fn exclusive(name: &str) -> js_sys::Promise;
}

/// Resolves after `ms` milliseconds (`setTimeout`).
pub async fn sleep_ms(ms: i32) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep(ms)).await;
}

/// Waits until this tab holds the lock `name` (the Web Locks API, or a
/// localStorage lease where it is missing); returns the function that
/// releases it, or `None` when locking failed.
async fn lock(name: &str) -> Option<js_sys::Function> {
    use wasm_bindgen::JsCast;
    let granted = wasm_bindgen_futures::JsFuture::from(exclusive(name)).await;
    granted.ok()?.dyn_into().ok()
}

/// `work`'s result, or `None` when it takes longer than `ms` milliseconds.
pub async fn within<T>(ms: i32, work: impl std::future::Future<Output = T>) -> Option<T> {
    use futures::future::{select, Either};
    let work = std::pin::pin!(work);
    let timer = std::pin::pin!(sleep_ms(ms));
    match select(work, timer).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

/// Holds the lock until dropped.
pub struct Guard(Option<Function>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(release) = &self.0 {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

impl Guard {
    /// Whether the lock was granted (if not, the work runs unlocked).
    #[cfg(test)]
    pub fn held(&self) -> bool {
        self.0.is_some()
    }
}

/// Waits until this tab holds the lock `name`.
pub async fn acquire(name: &str) -> Guard {
    Guard(lock(name).await)
}
