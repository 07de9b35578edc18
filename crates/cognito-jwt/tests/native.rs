//! End-to-end checks with real RS256 tokens signed by keys generated here.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_jwt::native::{verify, verify_signature, SignatureError};
use cognito_jwt::{
    at_hash, check_claims, CheckKind, CheckOutcome, Expectations, Jwks, RsaJwk, TokenUse,
    UnverifiedToken,
};
use rsa::pkcs1v15::SigningKey;
use rsa::rand_core::OsRng;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;

const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const CLIENT: &str = "client123";
const NOW: i64 = 1_700_000_000;

/// Key generation is slow, so each test binary makes its keys once.
fn keys() -> &'static [RsaPrivateKey; 2] {
    static KEYS: OnceLock<[RsaPrivateKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let gen = || RsaPrivateKey::new(&mut OsRng, 2048).expect("RSA key generation");
        [gen(), gen()]
    })
}

fn jwk(key: &RsaPrivateKey, kid: Option<&str>) -> RsaJwk {
    RsaJwk {
        kid: kid.map(str::to_owned),
        n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
        e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
        alg: Some("RS256".into()),
        use_: Some("sig".into()),
        kty: "RSA".into(),
    }
}

fn jwks_json(jwks: &[RsaJwk]) -> String {
    json!({ "keys": jwks }).to_string()
}

/// The issuer's set: key 0 as "kid-a", key 1 as "kid-b".
fn two_key_set() -> Jwks {
    let [a, b] = keys();
    Jwks::parse(&jwks_json(&[jwk(a, Some("kid-a")), jwk(b, Some("kid-b"))])).unwrap()
}

fn sign(header: &Value, claims: &Value, key: &RsaPrivateKey) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = SigningKey::<Sha256>::new(key.clone())
        .sign(input.as_bytes())
        .to_vec();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn id_claims() -> Value {
    json!({
        "sub": "5f1c2f0e-0000-4000-8000-000000000001", "iss": ISS, "aud": CLIENT, "token_use": "id",
        "cognito:username": "alice", "exp": NOW + 3600, "iat": NOW - 10, "auth_time": NOW - 10,
        "nonce": "n-0S6_WzA2Mj"
    })
}

fn access_claims() -> Value {
    json!({
        "sub": "5f1c2f0e-0000-4000-8000-000000000001", "iss": ISS, "client_id": CLIENT, "token_use": "access",
        "username": "alice", "scope": "openid email", "exp": NOW + 3600, "iat": NOW - 10
    })
}

fn id_expect() -> Expectations<'static> {
    Expectations {
        issuer: ISS,
        client_id: CLIENT,
        token_use: TokenUse::Id,
        leeway_seconds: 60,
        nonce: Some("n-0S6_WzA2Mj"),
        access_token_for_at_hash: None,
    }
}

fn access_expect() -> Expectations<'static> {
    Expectations {
        token_use: TokenUse::Access,
        nonce: None,
        ..id_expect()
    }
}

fn id_token(claims: &Value) -> String {
    sign(&json!({"alg":"RS256","kid":"kid-a"}), claims, &keys()[0])
}

fn with(mut claims: Value, edits: Value) -> Value {
    for (k, v) in edits.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

fn outcome(claims: &Value, expect: &Expectations, now: i64, kind: CheckKind) -> CheckOutcome {
    let token = UnverifiedToken::parse(&id_token(claims)).unwrap();
    let checks = check_claims(&token, expect, now);
    checks.into_iter().find(|c| c.kind == kind).unwrap().outcome
}

fn is_pass(o: &CheckOutcome) -> bool {
    matches!(o, CheckOutcome::Pass(_))
}

fn is_fail(o: &CheckOutcome) -> bool {
    matches!(o, CheckOutcome::Fail(_))
}

#[test]
fn valid_id_and_access_tokens_pass_every_check() {
    let set = two_key_set();
    let report = verify(&id_token(&id_claims()), &set, &id_expect(), NOW);
    assert!(report.is_valid(), "{report:#?}");
    let kinds: Vec<_> = report.checks.iter().map(|c| c.kind).collect();
    use CheckKind::*;
    assert_eq!(
        kinds,
        [
            Algorithm, KeySet, Key, Signature, Issuer, Audience, TokenUse, Subject, Expiry,
            NotBefore, IssuedAt, Nonce, AtHash
        ]
    );

    let access = sign(
        &json!({"alg":"RS256","kid":"kid-b"}),
        &access_claims(),
        &keys()[1],
    );
    let report = verify(&access, &set, &access_expect(), NOW);
    assert!(report.is_valid(), "{report:#?}");
    for kind in [Subject, Nonce, AtHash] {
        assert!(report.get(kind).unwrap().outcome.is_skipped(), "{kind:?}");
    }
    let token = UnverifiedToken::parse(&access).unwrap();
    assert_eq!(token.scopes(), ["openid", "email"]);
    assert_eq!(token.username(), Some("alice"));
}

#[test]
fn check_claims_order_is_the_contract_order() {
    let token = UnverifiedToken::parse(&id_token(&id_claims())).unwrap();
    let kinds: Vec<_> = check_claims(&token, &id_expect(), NOW)
        .iter()
        .map(|c| c.kind)
        .collect();
    use CheckKind::*;
    assert_eq!(
        kinds,
        [
            Algorithm, Issuer, Audience, TokenUse, Subject, Expiry, NotBefore, IssuedAt, Nonce,
            AtHash
        ]
    );
}

#[test]
fn issuer_audience_token_use_subject() {
    let e = id_expect();
    let c = id_claims;
    assert!(is_fail(&outcome(
        &with(c(), json!({"iss": format!("{ISS}/")})),
        &e,
        NOW,
        CheckKind::Issuer
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"iss": null})),
        &e,
        NOW,
        CheckKind::Issuer
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"aud": "other"})),
        &e,
        NOW,
        CheckKind::Audience
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"aud": null})),
        &e,
        NOW,
        CheckKind::Audience
    )));
    // The contract says `aud` equals the client id; Cognito never issues an
    // array, and aws-jwt-verify refuses one.
    assert!(is_fail(&outcome(
        &with(c(), json!({"aud": ["x", CLIENT]})),
        &e,
        NOW,
        CheckKind::Audience
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"aud": [CLIENT]})),
        &e,
        NOW,
        CheckKind::Audience
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"aud": ["x", "y"]})),
        &e,
        NOW,
        CheckKind::Audience
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"token_use": "access"})),
        &e,
        NOW,
        CheckKind::TokenUse
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"token_use": null})),
        &e,
        NOW,
        CheckKind::TokenUse
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"sub": ""})),
        &e,
        NOW,
        CheckKind::Subject
    )));
    assert!(is_fail(&outcome(
        &with(c(), json!({"sub": 5})),
        &e,
        NOW,
        CheckKind::Subject
    )));

    // An access token's client is `client_id`; `aud` does not count.
    let a = access_expect();
    let acc = access_claims;
    assert!(is_pass(&outcome(&acc(), &a, NOW, CheckKind::Audience)));
    assert!(is_fail(&outcome(
        &with(acc(), json!({"client_id": "other"})),
        &a,
        NOW,
        CheckKind::Audience
    )));
    assert!(is_fail(&outcome(
        &with(acc(), json!({"client_id": null, "aud": CLIENT})),
        &a,
        NOW,
        CheckKind::Audience
    )));
    // An ID token offered as an access token fails token_use and audience.
    assert!(is_fail(&outcome(
        &id_claims(),
        &a,
        NOW,
        CheckKind::TokenUse
    )));
    assert!(is_fail(&outcome(
        &id_claims(),
        &a,
        NOW,
        CheckKind::Audience
    )));
}

#[test]
fn expiry_boundary_with_leeway() {
    let e = id_expect(); // leeway 60
    let exp = NOW;
    let claims = with(id_claims(), json!({"exp": exp}));
    assert!(is_pass(&outcome(&claims, &e, exp - 1, CheckKind::Expiry)));
    assert!(is_pass(&outcome(&claims, &e, exp + 59, CheckKind::Expiry)));
    let at_limit = outcome(&claims, &e, exp + 60, CheckKind::Expiry);
    assert!(is_fail(&at_limit), "now == exp + leeway must fail");
    assert_eq!(
        at_limit,
        CheckOutcome::Fail(format!("exp {exp} is 60 s in the past (leeway 60 s)"))
    );
    let no_leeway = Expectations {
        leeway_seconds: 0,
        ..e
    };
    assert!(is_fail(&outcome(
        &claims,
        &no_leeway,
        exp,
        CheckKind::Expiry
    )));
    assert!(is_pass(&outcome(
        &claims,
        &no_leeway,
        exp - 1,
        CheckKind::Expiry
    )));
    let negative = Expectations {
        leeway_seconds: -100,
        ..e
    };
    assert!(
        is_pass(&outcome(&claims, &negative, exp - 1, CheckKind::Expiry)),
        "negative leeway counts as 0"
    );
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"exp": null})),
        &e,
        NOW,
        CheckKind::Expiry
    )));
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"exp": "9999999999"})),
        &e,
        NOW,
        CheckKind::Expiry
    )));
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"exp": 1e300})),
        &e,
        NOW,
        CheckKind::Expiry
    )));
    // Overflow-prone values stay well-defined.
    assert!(is_pass(&outcome(
        &with(id_claims(), json!({"exp": i64::MAX})),
        &e,
        NOW,
        CheckKind::Expiry
    )));
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"exp": i64::MIN})),
        &e,
        NOW,
        CheckKind::Expiry
    )));
}

#[test]
fn not_before() {
    let e = id_expect();
    let absent = outcome(&id_claims(), &e, NOW, CheckKind::NotBefore);
    assert_eq!(absent, CheckOutcome::Pass("no nbf claim".into()));
    let claims = with(id_claims(), json!({"nbf": NOW + 100}));
    assert!(is_fail(&outcome(&claims, &e, NOW, CheckKind::NotBefore)));
    assert!(is_fail(&outcome(
        &claims,
        &e,
        NOW + 39,
        CheckKind::NotBefore
    )));
    assert!(
        is_pass(&outcome(&claims, &e, NOW + 40, CheckKind::NotBefore)),
        "now == nbf - leeway passes"
    );
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"nbf": "soon"})),
        &e,
        NOW,
        CheckKind::NotBefore
    )));
}

#[test]
fn issued_at() {
    let e = id_expect();
    let claims = with(id_claims(), json!({"iat": NOW + 60}));
    assert!(
        is_pass(&outcome(&claims, &e, NOW, CheckKind::IssuedAt)),
        "iat == now + leeway passes"
    );
    let future = with(id_claims(), json!({"iat": NOW + 61}));
    assert_eq!(
        outcome(&future, &e, NOW, CheckKind::IssuedAt),
        CheckOutcome::Fail("iat 1700000061 is 61 s in the future (leeway 60 s)".into())
    );
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"iat": null})),
        &e,
        NOW,
        CheckKind::IssuedAt
    )));
}

#[test]
fn nonce_rules() {
    let e = id_expect();
    assert!(is_pass(&outcome(&id_claims(), &e, NOW, CheckKind::Nonce)));
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"nonce": "other"})),
        &e,
        NOW,
        CheckKind::Nonce
    )));
    assert!(is_fail(&outcome(
        &with(id_claims(), json!({"nonce": null})),
        &e,
        NOW,
        CheckKind::Nonce
    )));
    let no_nonce = Expectations { nonce: None, ..e };
    assert!(matches!(
        outcome(&id_claims(), &no_nonce, NOW, CheckKind::Nonce),
        CheckOutcome::Skipped(_)
    ));
}

#[test]
fn at_hash_rules() {
    let access = sign(
        &json!({"alg":"RS256","kid":"kid-b"}),
        &access_claims(),
        &keys()[1],
    );
    let e = Expectations {
        access_token_for_at_hash: Some(&access),
        ..id_expect()
    };
    let bound = with(id_claims(), json!({"at_hash": at_hash(&access)}));
    assert!(is_pass(&outcome(&bound, &e, NOW, CheckKind::AtHash)));
    let other = with(id_claims(), json!({"at_hash": at_hash("another token")}));
    let failed = outcome(&other, &e, NOW, CheckKind::AtHash);
    assert!(is_fail(&failed));
    assert!(
        !failed.reason().contains(&access),
        "reason must not quote the access token"
    );
    assert!(
        is_fail(&outcome(&id_claims(), &e, NOW, CheckKind::AtHash)),
        "missing at_hash fails"
    );
    assert!(matches!(
        outcome(&id_claims(), &id_expect(), NOW, CheckKind::AtHash),
        CheckOutcome::Skipped(_)
    ));
}

#[test]
fn refused_algorithms() {
    let set = two_key_set();
    let key = &keys()[0];
    for alg in ["none", "HS256", "RS384", "rs256", "PS256", "ES256", ""] {
        let raw = sign(&json!({"alg": alg, "kid": "kid-a"}), &id_claims(), key);
        let report = verify(&raw, &set, &id_expect(), NOW);
        assert!(!report.is_valid(), "{alg}");
        assert_eq!(
            report.failure_word(),
            Some("algorithm"),
            "{alg}: {report:#?}"
        );
        assert!(report
            .get(CheckKind::Signature)
            .unwrap()
            .outcome
            .is_skipped());
        // Claim checks are still reported.
        assert!(report.get(CheckKind::Expiry).unwrap().outcome.is_pass());
        let token = UnverifiedToken::parse(&raw).unwrap();
        assert_eq!(
            verify_signature(&token, &set.keys()[0]),
            Err(SignatureError::Algorithm)
        );
    }
    // An unsigned token with an empty signature segment is refused the same way.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(id_claims().to_string());
    let report = verify(&format!("{header}.{payload}."), &set, &id_expect(), NOW);
    assert_eq!(report.failure_word(), Some("algorithm"));
}

#[test]
fn key_selection() {
    let set = two_key_set();
    let key = &keys()[0];
    let unknown = sign(&json!({"alg":"RS256","kid":"kid-z"}), &id_claims(), key);
    let report = verify(&unknown, &set, &id_expect(), NOW);
    assert_eq!(report.failure_word(), Some("kid"));
    assert!(report
        .get(CheckKind::Signature)
        .unwrap()
        .outcome
        .is_skipped());
    assert!(
        report.get(CheckKind::Issuer).unwrap().outcome.is_pass(),
        "claims still reported"
    );

    let no_kid = sign(&json!({"alg":"RS256"}), &id_claims(), key);
    let report = verify(&no_kid, &set, &id_expect(), NOW);
    assert_eq!(
        report.failure_word(),
        Some("kid"),
        "two keys: a kid is required"
    );

    let one = Jwks::parse(&jwks_json(&[jwk(key, Some("kid-a"))])).unwrap();
    assert!(
        verify(&no_kid, &one, &id_expect(), NOW).is_valid(),
        "one key: no kid is fine"
    );
    let one_without_kid = Jwks::parse(&jwks_json(&[jwk(key, None)])).unwrap();
    assert!(verify(&no_kid, &one_without_kid, &id_expect(), NOW).is_valid());
}

#[test]
fn jwks_with_ec_and_enc_keys_ignores_them() {
    let [a, b] = keys();
    let mut enc = jwk(b, Some("kid-enc"));
    enc.use_ = Some("enc".into());
    let doc = json!({"keys": [
        {"kty":"EC","crv":"P-256","kid":"kid-ec","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","use":"sig"},
        enc,
        jwk(a, Some("kid-a")),
    ]});
    let set = Jwks::parse(&doc.to_string()).unwrap();
    assert_eq!(set.len(), 1);
    // With the EC and enc keys ignored, exactly one key remains, so a token
    // without kid is accepted, and one naming the enc key is refused.
    let no_kid = sign(&json!({"alg":"RS256"}), &id_claims(), a);
    assert!(verify(&no_kid, &set, &id_expect(), NOW).is_valid());
    let enc_signed = sign(&json!({"alg":"RS256","kid":"kid-enc"}), &id_claims(), b);
    assert_eq!(
        verify(&enc_signed, &set, &id_expect(), NOW).failure_word(),
        Some("kid")
    );
}

#[test]
fn jwks_garbage_is_an_error() {
    for doc in [
        "",
        "<html>",
        "{\"keys\":",
        "null",
        "{\"keys\":null}",
        "{\"nokeys\":[]}",
    ] {
        assert!(Jwks::parse(doc).is_err(), "{doc}");
    }
}

#[test]
fn tampered_payload_fails_signature() {
    let raw = id_token(&id_claims());
    let mut parts: Vec<String> = raw.split('.').map(str::to_owned).collect();
    parts[1] = URL_SAFE_NO_PAD
        .encode(with(id_claims(), json!({"cognito:username": "mallory"})).to_string());
    let report = verify(&parts.join("."), &two_key_set(), &id_expect(), NOW);
    assert_eq!(report.failure_word(), Some("signature"), "{report:#?}");
    assert!(report.get(CheckKind::Signature).unwrap().outcome.is_fail());
}

#[test]
fn signature_by_another_key_fails() {
    // Signed by key b but claiming key a's kid.
    let raw = sign(
        &json!({"alg":"RS256","kid":"kid-a"}),
        &id_claims(),
        &keys()[1],
    );
    let set = two_key_set();
    assert_eq!(
        verify(&raw, &set, &id_expect(), NOW).failure_word(),
        Some("signature")
    );
    let token = UnverifiedToken::parse(&raw).unwrap();
    assert_eq!(
        verify_signature(&token, set.select(Some("kid-a")).unwrap()),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn short_or_bad_signatures_and_keys_are_refused() {
    let set = two_key_set();
    let raw = id_token(&id_claims());
    let (input, sig) = raw.rsplit_once('.').unwrap();
    let sig_bytes = URL_SAFE_NO_PAD.decode(sig).unwrap();
    let short = format!("{input}.{}", URL_SAFE_NO_PAD.encode(&sig_bytes[1..]));
    let token = UnverifiedToken::parse(&short).unwrap();
    let key = set.select(Some("kid-a")).unwrap();
    assert_eq!(
        verify_signature(&token, key),
        Err(SignatureError::Length {
            expected: 256,
            found: 255
        })
    );

    let small = RsaJwk {
        n: URL_SAFE_NO_PAD.encode([0xC5u8; 128]),
        ..key.clone()
    };
    let token = UnverifiedToken::parse(&raw).unwrap();
    assert!(matches!(
        verify_signature(&token, &small),
        Err(SignatureError::KeyTooSmall { bits: 1024, .. })
    ));
    let bad = RsaJwk {
        e: "*".into(),
        ..key.clone()
    };
    assert_eq!(
        verify_signature(&token, &bad),
        Err(SignatureError::KeyEncoding("e"))
    );
    let ec = RsaJwk {
        kty: "EC".into(),
        ..key.clone()
    };
    assert!(matches!(
        verify_signature(&token, &ec),
        Err(SignatureError::NotRsa(_))
    ));
    assert_eq!(verify_signature(&token, key), Ok(()));
}

#[test]
fn truncated_and_malformed_tokens_fail_without_panicking() {
    let set = two_key_set();
    let raw = id_token(&id_claims());
    for end in (0..raw.len()).step_by(7) {
        let report = verify(&raw[..end], &set, &id_expect(), NOW);
        assert!(!report.is_valid(), "prefix of {end} bytes");
    }
    let (input, _) = raw.rsplit_once('.').unwrap();
    for bad in [
        input.to_owned(),
        format!("{input}.!!!"),
        format!("{input}.abc=",),
        format!("{input}.a+b/"),
        raw.replacen('.', ".%", 1),
        format!("{raw}."),
        format!(" {raw}"),
    ] {
        let report = verify(&bad, &set, &id_expect(), NOW);
        assert_eq!(report.failure_word(), Some("signature"));
        let sig = report.get(CheckKind::Signature).unwrap();
        assert!(
            sig.outcome
                .reason()
                .starts_with("token is not a well-formed JWT: "),
            "{sig:?}"
        );
        assert!(
            !sig.outcome.reason().contains(input),
            "reason must not quote the token"
        );
        assert_eq!(report.checks.len(), 13, "every line present");
    }
}

#[test]
fn one_megabyte_token_is_rejected_quickly() {
    let set = two_key_set();
    let raw = format!(
        "{}.{}.{}",
        "e".repeat(400_000),
        "e".repeat(400_000),
        "e".repeat(248_576)
    );
    assert_eq!(raw.len(), 1_048_578);
    let start = Instant::now();
    let report = verify(&raw, &set, &id_expect(), NOW);
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "{:?}",
        start.elapsed()
    );
    let reason = report
        .get(CheckKind::Signature)
        .unwrap()
        .outcome
        .reason()
        .to_owned();
    assert!(reason.contains("at most 65536 bytes"), "{reason}");
}

#[test]
fn debug_of_token_does_not_contain_it() {
    let raw = id_token(&id_claims());
    let token = UnverifiedToken::parse(&raw).unwrap();
    let dbg = format!("{token:?} {token:#?}");
    for part in raw.split('.') {
        assert!(!dbg.contains(part), "Debug leaks a token segment");
    }
    assert!(!dbg.contains("alice"), "Debug leaks claim values");
    assert!(
        dbg.contains("cognito:username") && dbg.contains("kid-a"),
        "{dbg}"
    );
}

#[test]
fn webcrypto_jwk_round_trips_the_key() {
    let set = two_key_set();
    let v = set.keys()[0].to_webcrypto_jwk();
    assert_eq!(v["kty"], "RSA");
    assert_eq!(v["alg"], "RS256");
    assert_eq!(v["ext"], true);
    assert_eq!(v["n"], set.keys()[0].n.as_str());
    assert_eq!(v.as_object().unwrap().len(), 5);
}

/// The mutations a differential run against aws-jwt-verify found accepted
/// here and refused there: each makes the whole token invalid.
#[test]
fn claims_of_the_wrong_json_type_make_the_token_invalid() {
    let set = two_key_set();
    let access_token =
        |claims: &Value| sign(&json!({"alg":"RS256","kid":"kid-b"}), claims, &keys()[1]);
    let cases: Vec<(&str, String, Expectations, &str)> = vec![
        (
            "ID token aud an array holding the client id",
            id_token(&with(id_claims(), json!({"aud": [CLIENT]}))),
            id_expect(),
            "audience",
        ),
        (
            "ID token aud a number",
            id_token(&with(id_claims(), json!({"aud": 7}))),
            id_expect(),
            "audience",
        ),
        (
            "access token aud a number",
            access_token(&with(access_claims(), json!({"aud": 7}))),
            access_expect(),
            "audience",
        ),
        (
            "ID token jti a number",
            id_token(&with(id_claims(), json!({"jti": 42}))),
            id_expect(),
            "token_use",
        ),
        (
            "access token jti a number",
            access_token(&with(access_claims(), json!({"jti": 42}))),
            access_expect(),
            "token_use",
        ),
        (
            "access token scope an array",
            access_token(&with(
                access_claims(),
                json!({"scope": ["openid", "email"]}),
            )),
            access_expect(),
            "token_use",
        ),
        (
            "access token scope a number",
            access_token(&with(access_claims(), json!({"scope": 1}))),
            access_expect(),
            "token_use",
        ),
    ];
    for (why, raw, expect, word) in cases {
        let report = verify(&raw, &set, &expect, NOW);
        assert!(!report.is_valid(), "{why}: {report:#?}");
        assert_eq!(report.failure_word(), Some(word), "{why}");
        let reason = report.first_failure().unwrap().outcome.reason();
        assert!(!reason.contains(&raw), "{why}: reason quotes the token");
    }
    // The same claims with Cognito's types stay valid.
    let good_id = id_token(&with(id_claims(), json!({"jti": "j-1"})));
    assert!(verify(&good_id, &set, &id_expect(), NOW).is_valid());
    let good_access = access_token(&with(access_claims(), json!({"jti": "j-2"})));
    assert!(verify(&good_access, &set, &access_expect(), NOW).is_valid());
}
