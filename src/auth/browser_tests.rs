//! wasm-bindgen tests in headless Chromium: the browser edges of sign-in
//! (WebCrypto randomness and RS256 verification, the storage areas) on the
//! real browser APIs.

use cognito_jwt::{Expectations, TokenUse, UnverifiedToken};
use serde_json::Value;
use wasm_bindgen_test::*;

use super::browser::{load, lock, random_bytes, remove, sleep_ms, store, take, within, Area};
use super::verify::{verify_token, KeyCache};

wasm_bindgen_test_configure!(run_in_browser);

/// An RS256 token, its key set, issuer and client id (tests/fixtures).
fn fixture() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/webcrypto.json")).unwrap()
}

/// A `data:` URL serving `jwks`: fetch() reads it like a server's answer.
fn jwks_url(jwks: &Value) -> String {
    format!(
        "data:application/json,{}",
        js_sys::encode_uri_component(&jwks.to_string())
    )
}

fn parsed(raw: &str) -> UnverifiedToken {
    UnverifiedToken::parse(raw).unwrap()
}

fn expectations(fixture: &Value) -> Expectations<'_> {
    Expectations {
        issuer: fixture["issuer"].as_str().unwrap(),
        client_id: fixture["client_id"].as_str().unwrap(),
        token_use: TokenUse::Id,
        leeway_seconds: 60,
        nonce: None,
        access_token_for_at_hash: None,
    }
}

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
async fn webcrypto_verifies_a_genuine_rs256_token() {
    let fixture = fixture();
    let report = verify_token(
        &parsed(fixture["id_token"].as_str().unwrap()),
        &expectations(&fixture),
        1_800_000_000,
        &KeyCache::default(),
        &jwks_url(&fixture["jwks"]),
    )
    .await;
    assert!(report.is_valid(), "{:?}", report.first_failure());
}

#[wasm_bindgen_test]
async fn webcrypto_refuses_a_tampered_signature() {
    let fixture = fixture();
    let token = fixture["id_token"].as_str().unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{signed}.{flipped}{}", &signature[1..]);
    let report = verify_token(
        &parsed(&tampered),
        &expectations(&fixture),
        1_800_000_000,
        &KeyCache::default(),
        &jwks_url(&fixture["jwks"]),
    )
    .await;
    assert_eq!(report.failure_word(), Some("signature"));
}

#[wasm_bindgen_test]
async fn a_reused_key_import_still_checks_each_signature() {
    let fixture = fixture();
    let token = fixture["id_token"].as_str().unwrap();
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{signed}.{flipped}{}", &signature[1..]);
    let keys = KeyCache::default();
    let uri = jwks_url(&fixture["jwks"]);
    let expect = expectations(&fixture);
    let (token, tampered) = (parsed(token), parsed(&tampered));
    let (genuine, forged) = futures::join!(
        verify_token(&token, &expect, 1_800_000_000, &keys, &uri),
        verify_token(&tampered, &expect, 1_800_000_000, &keys, &uri),
    );
    assert!(genuine.is_valid(), "{:?}", genuine.first_failure());
    assert_eq!(forged.failure_word(), Some("signature"));
    let again = verify_token(&token, &expect, 1_800_000_000, &keys, &uri).await;
    assert!(again.is_valid(), "{:?}", again.first_failure());
}

#[wasm_bindgen_test]
async fn a_key_set_without_the_kid_fails_on_kid() {
    let fixture = fixture();
    let mut jwks = fixture["jwks"].clone();
    jwks["keys"][0]["kid"] = Value::from("another-key");
    let report = verify_token(
        &parsed(fixture["id_token"].as_str().unwrap()),
        &expectations(&fixture),
        1_800_000_000,
        &KeyCache::default(),
        &jwks_url(&jwks),
    )
    .await;
    assert_eq!(report.failure_word(), Some("kid"));
}

#[wasm_bindgen_test]
async fn an_unreachable_key_set_fails_on_jwks() {
    let fixture = fixture();
    let report = verify_token(
        &parsed(fixture["id_token"].as_str().unwrap()),
        &expectations(&fixture),
        1_800_000_000,
        &KeyCache::default(),
        "http://127.0.0.1:9/jwks.json",
    )
    .await;
    assert_eq!(report.failure_word(), Some("jwks"));
    assert!(!report.is_valid());
}

#[wasm_bindgen_test]
async fn a_held_lock_makes_the_next_request_wait_until_released() {
    use futures::future::{select, Either};
    let release = lock("test.lock").await.expect("the lock is granted");
    let mut second = Box::pin(lock("test.lock"));
    let waited = select(second.as_mut(), Box::pin(sleep_ms(100))).await;
    assert!(
        matches!(waited, Either::Right(_)),
        "granted while another holder has it"
    );
    release.call0(&wasm_bindgen::JsValue::NULL).unwrap();
    let granted = within(1000, second).await.flatten();
    assert!(granted.is_some(), "granted once the holder released it");
}
