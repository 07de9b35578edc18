//! wasm-bindgen tests in headless Chromium: the browser edges (WebCrypto
//! randomness, the storage areas, the cross-tab lock) on the real APIs.

use wasm_bindgen_test::*;

use super::random::random_bytes;
use super::storage::{load, read, remove, store, take, Area};
use super::timers::{acquire, sleep_ms, within};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn random_bytes_come_from_webcrypto() {
    let a = random_bytes(48).unwrap();
    let b = random_bytes(48).unwrap();
    assert_eq!(a.len(), 48);
    assert_ne!(a, b, "two draws of 384 bits never collide");
}

#[wasm_bindgen_test]
fn both_storage_areas_store_load_and_take() {
    for area in [Area::Session, Area::Local] {
        store(area, "test.key", &vec!["a", "b"]).unwrap();
        assert_eq!(load::<Vec<String>>(area, "test.key").unwrap(), ["a", "b"]);
        assert_eq!(take::<Vec<String>>(area, "test.key").unwrap(), ["a", "b"]);
        assert_eq!(load::<Vec<String>>(area, "test.key"), None, "take removes");
        store(area, "test.key", &1).unwrap();
        remove(area, "test.key");
        assert_eq!(load::<i32>(area, "test.key"), None);
    }
}

#[wasm_bindgen_test]
fn storage_areas_are_separate() {
    store(Area::Session, "test.only-session", &true).unwrap();
    assert_eq!(load::<bool>(Area::Local, "test.only-session"), None);
    remove(Area::Session, "test.only-session");
}

#[wasm_bindgen_test]
fn read_tells_a_missing_value_from_an_unreadable_one() {
    for area in [Area::Session, Area::Local] {
        remove(area, "test.read");
        assert_eq!(read::<Vec<u32>>(area, "test.read"), Ok(None));
        store(area, "test.read", &"not a list").unwrap();
        assert!(read::<Vec<u32>>(area, "test.read").is_err());
        assert_eq!(load::<Vec<u32>>(area, "test.read"), None);
        store(area, "test.read", &vec![1, 2]).unwrap();
        assert_eq!(read::<Vec<u32>>(area, "test.read"), Ok(Some(vec![1, 2])));
        remove(area, "test.read");
    }
}

#[wasm_bindgen_test]
async fn a_held_lock_makes_the_next_request_wait_until_released() {
    use futures::future::{select, Either};
    let first = acquire("test.lock").await;
    assert!(first.held(), "the lock is granted");
    let mut second = Box::pin(acquire("test.lock"));
    let waited = select(second.as_mut(), Box::pin(sleep_ms(100))).await;
    assert!(
        matches!(waited, Either::Right(_)),
        "granted while another holder has it"
    );
    drop(first);
    let granted = within(1000, second).await;
    assert!(
        granted.is_some_and(|guard| guard.held()),
        "granted once the holder released it"
    );
}
