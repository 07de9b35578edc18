//! wasm-bindgen tests in headless Chromium: RS256 verification through
//! WebCrypto, with the key set fetched like a server's answer.

use cognito_jwt::{Expectations, TokenUse, UnverifiedToken};
use serde_json::Value;
use wasm_bindgen_test::*;

use super::verify::{parse_and_verify_pair, verify_token, KeyCache};

wasm_bindgen_test_configure!(run_in_browser);

/// Inside the fixture token's lifetime.
const NOW: i64 = 1_800_000_000;

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

/// `raw` with its header's `kid` replaced (the signature no longer matches,
/// but the key lookup comes first).
fn with_kid(raw: &str, kid: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let (header, rest) = raw.split_once('.').unwrap();
    let mut header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["kid"] = Value::from(kid);
    format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
}

#[wasm_bindgen_test]
async fn after_a_rotation_one_refetch_serves_both_tokens() {
    let fixture = fixture();
    let raw = fixture["id_token"].as_str().unwrap();
    let expect = expectations(&fixture);
    let keys = KeyCache::default();
    let mut retired = fixture["jwks"].clone();
    retired["keys"][0]["kid"] = Value::from("retired-key");
    keys.prefetch(&jwks_url(&retired)).await;

    // The cached set lacks the tokens' kid; the policy allows one refetch
    // per window, so both verify only if they share it.
    let (id, access) = parse_and_verify_pair(
        (raw, &expect),
        (raw, &expect),
        NOW,
        &keys,
        &jwks_url(&fixture["jwks"]),
    )
    .await;
    assert!(id.report.is_valid(), "{:?}", id.report.first_failure());
    assert!(
        access.report.is_valid(),
        "{:?}",
        access.report.first_failure()
    );

    // That refetch spent the window: another unknown kid is judged on the
    // set in hand (a fetch of this address would fail on `jwks` instead).
    let unknown = parsed(&with_kid(raw, "forged-key"));
    let report = verify_token(
        &unknown,
        &expect,
        NOW + 1,
        &keys,
        "http://127.0.0.1:9/jwks.json",
    )
    .await;
    assert_eq!(report.failure_word(), Some("kid"));
}
