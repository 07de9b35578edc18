//! The authorizer on real API Gateway TOKEN events: the one Allow path, the
//! Deny path, and every way it must refuse (the seed's JavaScript authorizer
//! failed open on several of these).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use authorizer::handler::{Authorizer, Unauthorized};
use authorizer::{Config, FetchError, JwksFetcher, MIN_REFETCH_SECONDS};
use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerRequest, ApiGatewayCustomAuthorizerResponse,
};
use cognito_jwt::{Jwks, RsaJwk};
use rsa::pkcs1v15::SigningKey;
use rsa::rand_core::OsRng;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;
use test_support as forge;

const REGION: &str = "eu-west-1";
const POOL: &str = "eu-west-1_AbCdEf123";
const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const CLIENT: &str = "7client0id0of0the0app0xyz";
const SUB: &str = "3f1d2c4b-0000-4000-8000-00000000d3e0";
const NOW: i64 = 1_800_000_000;
const ARN: &str = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/lambda/book";
/// What the backend template passes: books/read, the resource server's
/// scope, not email, which every user of the pool has.
const POLICY: &str = r#"[{"scope":"books/read","allow":["GET /lambda/book"]},{"scope":"books/write","allow":["POST /lambda/book"]}]"#;

/// Key generation is slow, so the test binary makes its keys once: the
/// issuer's access key, its ID key, and a stranger's key.
fn keys() -> &'static [RsaPrivateKey; 3] {
    static KEYS: OnceLock<[RsaPrivateKey; 3]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let gen = || RsaPrivateKey::new(&mut OsRng, 2048).expect("RSA key generation");
        [gen(), gen(), gen()]
    })
}

fn jwk(key: &RsaPrivateKey, kid: &str) -> RsaJwk {
    RsaJwk {
        kid: Some(kid.into()),
        n: forge::b64(key.n().to_bytes_be()),
        e: forge::b64(key.e().to_bytes_be()),
        alg: Some("RS256".into()),
        use_: Some("sig".into()),
        kty: "RSA".into(),
    }
}

/// The pool's published set: access key `acc=`, ID key `id=`.
fn pool_jwks() -> Jwks {
    let [access, id, _] = keys();
    Jwks::from_keys(vec![jwk(access, "acc="), jwk(id, "id=")])
}

fn sign(header: &Value, claims: &Value, key: &RsaPrivateKey) -> String {
    let signer = SigningKey::<Sha256>::new(key.clone());
    forge::signed(&forge::signing_input(header, claims), |input| {
        signer.sign(input).to_vec()
    })
}

fn access_claims() -> Value {
    json!({
        "sub": SUB, "iss": ISS, "client_id": CLIENT, "token_use": "access",
        "scope": "openid email books/read", "username": "demo",
        "exp": NOW + 3600, "iat": NOW - 10, "auth_time": NOW - 10,
        "jti": "j1", "origin_jti": "o1", "version": 2,
    })
}

fn access_token_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut claims = access_claims();
    edit(&mut claims);
    sign(&json!({"kid": "acc=", "alg": "RS256"}), &claims, &keys()[0])
}

fn access_token() -> String {
    access_token_with(|_| {})
}

/// API Gateway's TOKEN event, from the documented JSON.
fn event(token: Option<&str>) -> ApiGatewayCustomAuthorizerRequest {
    let mut value = json!({ "type": "TOKEN", "methodArn": ARN });
    if let Some(token) = token {
        value["authorizationToken"] = json!(token);
    }
    serde_json::from_value(value).expect("a TOKEN event")
}

/// Serves whatever key sets the test queues (the last one repeats), or fails.
#[derive(Clone)]
struct Fixture {
    sets: Arc<Mutex<Vec<Result<Jwks, FetchError>>>>,
    calls: Arc<AtomicUsize>,
}

impl Fixture {
    fn new(sets: Vec<Result<Jwks, FetchError>>) -> Self {
        Fixture {
            sets: Arc::new(Mutex::new(sets)),
            calls: Arc::new(AtomicUsize::new(0)),
        }
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl JwksFetcher for Fixture {
    async fn fetch(&self) -> Result<Jwks, FetchError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let mut sets = self.sets.lock().unwrap();
        if sets.len() > 1 {
            sets.remove(0)
        } else {
            sets.first()
                .cloned()
                .unwrap_or(Err(FetchError::Transport("empty".into())))
        }
    }
}

fn env(vars: &[(&str, &str)]) -> Result<Config, authorizer::ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

fn good_env() -> Result<Config, authorizer::ConfigError> {
    env(&[
        ("USER_POOL_ID", POOL),
        ("AWS_REGION", REGION),
        ("APP_CLIENT_ID", CLIENT),
        ("SCOPE_POLICY", POLICY),
    ])
}

fn authorizer_with(sets: Vec<Result<Jwks, FetchError>>) -> (Authorizer<Fixture>, Fixture) {
    let fixture = Fixture::new(sets);
    (Authorizer::new(good_env(), fixture.clone()), fixture)
}

async fn answer(token: Option<&str>) -> Result<Value, Unauthorized> {
    let (authorizer, _) = authorizer_with(vec![Ok(pool_jwks())]);
    authorizer.handle(&event(token), NOW).await
}

async fn assert_unauthorized(token: &str, why: &str) {
    assert_eq!(answer(Some(token)).await, Err(Unauthorized), "{why}");
}

#[tokio::test]
async fn a_valid_access_token_with_the_scope_is_allowed() {
    let out = answer(Some(&format!("Bearer {}", access_token())))
        .await
        .unwrap();
    // The output is what API Gateway expects, in its own types.
    let typed: ApiGatewayCustomAuthorizerResponse =
        serde_json::from_value(out.clone()).expect("a valid authorizer response");
    assert_eq!(typed.principal_id.as_deref(), Some(SUB));
    assert_eq!(out["policyDocument"]["Statement"][0]["Effect"], "Allow");
    assert_eq!(
        out["policyDocument"]["Statement"][0]["Action"],
        "execute-api:Invoke"
    );
    assert_eq!(
        out["policyDocument"]["Statement"][0]["Resource"],
        json!([ARN])
    );
    assert_eq!(
        out["context"],
        json!({"username": "demo", "scopes": "openid email books/read"})
    );
}

#[tokio::test]
async fn a_valid_token_without_an_allowing_scope_is_denied() {
    let token = access_token_with(|c| c["scope"] = json!("openid email profile"));
    let out = answer(Some(&format!("Bearer {token}"))).await.unwrap();
    assert_eq!(out["principalId"], SUB);
    assert_eq!(statements(&out, "Deny"), [json!([ARN])]);
    assert!(statements(&out, "Allow").is_empty(), "nothing to allow");
}

/// The `Resource` of each statement with this effect.
fn statements(out: &Value, effect: &str) -> Vec<Value> {
    out["policyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Effect"] == effect)
        .map(|s| s["Resource"].clone())
        .collect()
}

#[tokio::test]
async fn the_default_policy_authorizes_on_books_read_not_email() {
    let arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/book";
    let config = env(&[
        ("USER_POOL_ID", POOL),
        ("AWS_REGION", REGION),
        ("APP_CLIENT_ID", CLIENT),
    ]);
    let authorizer = Authorizer::new(config, Fixture::new(vec![Ok(pool_jwks())]));
    let event = |token: &str| {
        serde_json::from_value::<ApiGatewayCustomAuthorizerRequest>(json!({
            "type": "TOKEN", "methodArn": arn, "authorizationToken": format!("Bearer {token}"),
        }))
        .unwrap()
    };
    let email_only = access_token_with(|c| c["scope"] = json!("openid email"));
    let out = authorizer.handle(&event(&email_only), NOW).await.unwrap();
    assert_eq!(statements(&out, "Deny"), [json!([arn])]);
    let reader = access_token_with(|c| c["scope"] = json!("openid books/read"));
    let out = authorizer.handle(&event(&reader), NOW).await.unwrap();
    assert_eq!(statements(&out, "Allow"), [json!([arn])]);
}

/// API Gateway caches the policy per token and applies it to every method:
/// a Deny naming only the called method would turn the token's allowed
/// routes into 403s for the cache TTL.
#[tokio::test]
async fn a_deny_still_allows_the_routes_the_scopes_unlock() {
    let post = ARN.replace("/GET/", "/POST/");
    let (authorizer, _) = authorizer_with(vec![Ok(pool_jwks())]);
    let bearer = format!("Bearer {}", access_token());
    let event: ApiGatewayCustomAuthorizerRequest = serde_json::from_value(
        json!({"type": "TOKEN", "methodArn": post, "authorizationToken": bearer}),
    )
    .unwrap();
    let out = authorizer.handle(&event, NOW).await.unwrap();
    assert_eq!(statements(&out, "Deny"), [json!([post])]);
    assert_eq!(statements(&out, "Allow"), [json!([ARN])]);
    // The backend gets the same context from a cached Deny as from an Allow.
    assert_eq!(
        out["context"],
        json!({"username": "demo", "scopes": "openid email books/read"})
    );
}

#[tokio::test]
async fn missing_empty_and_garbage_tokens_are_unauthorized() {
    assert_eq!(answer(None).await, Err(Unauthorized), "missing");
    for (token, why) in [
        ("", "empty"),
        ("Bearer ", "empty after Bearer"),
        ("Bearer garbage", "garbage"),
        ("Bearer a.b.c", "three garbage segments"),
        ("Bearer ....", "dots"),
        ("Bearer \u{0}", "control character"),
    ] {
        assert_unauthorized(token, why).await;
    }
}

#[tokio::test]
async fn a_token_without_the_bearer_prefix_is_unauthorized() {
    let token = access_token();
    assert_unauthorized(&token, "raw JWT").await;
    assert_unauthorized(&format!("bearer {token}"), "lower-case scheme").await;
    assert_unauthorized(&format!("Basic {token}"), "other scheme").await;
    assert_unauthorized(&format!("Bearer  {token}"), "two spaces").await;
}

#[tokio::test]
async fn a_bad_signature_is_unauthorized() {
    let stranger = sign(
        &json!({"kid": "acc=", "alg": "RS256"}),
        &access_claims(),
        &keys()[2],
    );
    assert_unauthorized(&format!("Bearer {stranger}"), "signed by another key").await;
    // A valid signature over other claims: the payload was swapped.
    let good = access_token();
    let forged_claims = access_token_with(|c| c["username"] = json!("admin"));
    let parts: Vec<&str> = good.split('.').collect();
    let forged: Vec<&str> = forged_claims.split('.').collect();
    let spliced = format!("{}.{}.{}", parts[0], forged[1], parts[2]);
    assert_unauthorized(&format!("Bearer {spliced}"), "spliced payload").await;
    let truncated = &good[..good.len() - 4];
    assert_unauthorized(&format!("Bearer {truncated}"), "truncated signature").await;
}

#[tokio::test]
async fn alg_none_and_hs256_are_unauthorized() {
    let claims = access_claims();
    let none = forge::unsigned(&forge::signing_input(
        &json!({"kid": "acc=", "alg": "none"}),
        &claims,
    ));
    assert_unauthorized(&format!("Bearer {none}"), "alg none").await;
    // HS256 keyed with the public modulus: the classic confusion attack.
    let input = forge::signing_input(&json!({"kid": "acc=", "alg": "HS256"}), &claims);
    let hs = forge::hs256(&input, &keys()[0].n().to_bytes_be());
    assert_unauthorized(&format!("Bearer {hs}"), "alg HS256").await;
}

/// A request a minute before NOW, so the key set is cached and the
/// refetch window has passed.
async fn warm(authorizer: &Authorizer<Fixture>) {
    let token = access_token_with(|c| c["iat"] = json!(NOW - 120));
    let bearer = format!("Bearer {token}");
    assert!(authorizer
        .handle(&event(Some(&bearer)), NOW - 60)
        .await
        .is_ok());
}

#[tokio::test]
async fn a_fresh_key_set_is_not_refetched_for_an_unknown_kid() {
    // The set was fetched this very second: refetching cannot help, and
    // must not be a way to make the authorizer hammer the key endpoint.
    let (authorizer, fixture) = authorizer_with(vec![Ok(pool_jwks())]);
    let token = sign(
        &json!({"kid": "forged=", "alg": "RS256"}),
        &access_claims(),
        &keys()[2],
    );
    let bearer = format!("Bearer {token}");
    assert_eq!(
        authorizer.handle(&event(Some(&bearer)), NOW).await,
        Err(Unauthorized)
    );
    assert_eq!(fixture.calls(), 1);
}

#[tokio::test]
async fn an_unknown_kid_refetches_once_then_is_unauthorized() {
    let (authorizer, fixture) = authorizer_with(vec![Ok(pool_jwks())]);
    let token = sign(
        &json!({"kid": "rotated=", "alg": "RS256"}),
        &access_claims(),
        &keys()[0],
    );
    let bearer = format!("Bearer {token}");
    warm(&authorizer).await;
    assert_eq!(
        authorizer.handle(&event(Some(&bearer)), NOW).await,
        Err(Unauthorized)
    );
    assert_eq!(fixture.calls(), 2, "first fetch plus one refetch");
    // More forged kids within the window do not reach the key endpoint.
    for dt in 1..5 {
        assert_eq!(
            authorizer.handle(&event(Some(&bearer)), NOW + dt).await,
            Err(Unauthorized)
        );
    }
    assert_eq!(fixture.calls(), 2, "rate-limited");
    assert_eq!(
        authorizer
            .handle(&event(Some(&bearer)), NOW + MIN_REFETCH_SECONDS)
            .await,
        Err(Unauthorized)
    );
    assert_eq!(fixture.calls(), 3, "a refetch again after the window");
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_by_the_refetch() {
    let [access, id, new] = keys();
    let rotated = Jwks::from_keys(vec![jwk(access, "acc="), jwk(id, "id="), jwk(new, "new=")]);
    let (authorizer, fixture) = authorizer_with(vec![Ok(pool_jwks()), Ok(rotated)]);
    let token = sign(
        &json!({"kid": "new=", "alg": "RS256"}),
        &access_claims(),
        new,
    );
    warm(&authorizer).await;
    let out = authorizer
        .handle(&event(Some(&format!("Bearer {token}"))), NOW)
        .await;
    assert_eq!(
        out.unwrap()["policyDocument"]["Statement"][0]["Effect"],
        "Allow"
    );
    assert_eq!(fixture.calls(), 2);
}

#[tokio::test]
async fn a_jwks_fetch_failure_is_unauthorized() {
    for failure in [
        FetchError::Transport("connection refused".into()),
        FetchError::Invalid("not JSON".into()),
    ] {
        let (authorizer, _) = authorizer_with(vec![Err(failure)]);
        let bearer = format!("Bearer {}", access_token());
        assert_eq!(
            authorizer.handle(&event(Some(&bearer)), NOW).await,
            Err(Unauthorized)
        );
    }
    // Also when the refetch for an unknown kid fails.
    let (authorizer, _) = authorizer_with(vec![
        Ok(pool_jwks()),
        Err(FetchError::Transport("down".into())),
    ]);
    let token = sign(
        &json!({"kid": "new=", "alg": "RS256"}),
        &access_claims(),
        &keys()[2],
    );
    let bearer = format!("Bearer {token}");
    warm(&authorizer).await;
    assert_eq!(
        authorizer.handle(&event(Some(&bearer)), NOW).await,
        Err(Unauthorized)
    );
    // The keys cached before the failed refetch still work.
    let good = format!("Bearer {}", access_token());
    assert!(authorizer.handle(&event(Some(&good)), NOW).await.is_ok());
}

/// A change to the access token's claims.
type Edit = Box<dyn FnOnce(&mut Value)>;

#[tokio::test]
async fn wrong_issuer_client_and_token_use_are_unauthorized() {
    let cases: [(&str, Edit); 6] = [
        (
            "wrong issuer",
            Box::new(|c| {
                c["iss"] = json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other")
            }),
        ),
        (
            "no issuer",
            Box::new(|c| {
                c.as_object_mut().unwrap().remove("iss");
            }),
        ),
        (
            "wrong client id",
            Box::new(|c| c["client_id"] = json!("someone-elses-client")),
        ),
        (
            "no client id",
            Box::new(|c| {
                c.as_object_mut().unwrap().remove("client_id");
            }),
        ),
        ("token_use id", Box::new(|c| c["token_use"] = json!("id"))),
        ("empty sub", Box::new(|c| c["sub"] = json!(""))),
    ];
    for (why, edit) in cases {
        let token = access_token_with(edit);
        assert_unauthorized(&format!("Bearer {token}"), why).await;
    }
}

#[tokio::test]
async fn claims_of_the_wrong_json_type_are_unauthorized_not_denied() {
    // A `scope` that is not a string once read as "no scopes", a valid
    // token merely forbidden (403); aws-jwt-verify refuses the token (401).
    let cases: [(&str, Edit); 4] = [
        (
            "scope an array",
            Box::new(|c| c["scope"] = json!(["email"])),
        ),
        ("scope a number", Box::new(|c| c["scope"] = json!(1))),
        ("jti a number", Box::new(|c| c["jti"] = json!(42))),
        ("aud a number", Box::new(|c| c["aud"] = json!(7))),
    ];
    for (why, edit) in cases {
        let token = access_token_with(edit);
        assert_unauthorized(&format!("Bearer {token}"), why).await;
    }
}

#[tokio::test]
async fn an_id_token_is_unauthorized() {
    let id_claims = json!({
        "sub": SUB, "iss": ISS, "aud": CLIENT, "token_use": "id",
        "cognito:username": "demo", "email": "demo@example.com", "email_verified": true,
        "exp": NOW + 3600, "iat": NOW - 10, "auth_time": NOW - 10,
    });
    let id = sign(
        &json!({"kid": "id=", "alg": "RS256"}),
        &id_claims,
        &keys()[1],
    );
    assert_unauthorized(&format!("Bearer {id}"), "ID token").await;
}

#[tokio::test]
async fn an_expired_token_is_unauthorized() {
    let token = access_token_with(|c| c["exp"] = json!(NOW - 1));
    assert_unauthorized(&format!("Bearer {token}"), "expired a second ago").await;
    let token = access_token_with(|c| c["exp"] = json!(NOW));
    assert_unauthorized(&format!("Bearer {token}"), "expires now (no grace)").await;
    let token = access_token_with(|c| {
        c.as_object_mut().unwrap().remove("exp");
    });
    assert_unauthorized(&format!("Bearer {token}"), "no exp").await;
}

#[tokio::test]
async fn missing_or_bad_configuration_refuses_every_request() {
    let bearer = format!("Bearer {}", access_token());
    let configs = [
        env(&[]),
        env(&[("USER_POOL_ID", POOL), ("AWS_REGION", REGION)]),
        // The seed's bug: the client id under another name is not read.
        env(&[
            ("USER_POOL_ID", POOL),
            ("AWS_REGION", REGION),
            ("CLIENT_ID", CLIENT),
        ]),
        env(&[("APP_CLIENT_ID", CLIENT)]),
        env(&[("USER_POOL_ID", POOL), ("APP_CLIENT_ID", CLIENT)]),
        env(&[
            ("USER_POOL_ID", POOL),
            ("AWS_REGION", REGION),
            ("APP_CLIENT_ID", CLIENT),
            ("SCOPE_POLICY", "{oops"),
        ]),
    ];
    for config in configs {
        assert!(config.is_err());
        let fixture = Fixture::new(vec![Ok(pool_jwks())]);
        let authorizer = Authorizer::new(config, fixture.clone());
        for _ in 0..3 {
            assert_eq!(
                authorizer.handle(&event(Some(&bearer)), NOW).await,
                Err(Unauthorized)
            );
        }
        assert_eq!(fixture.calls(), 0, "no key fetch without a configuration");
    }
}

#[tokio::test]
async fn a_missing_or_foreign_method_arn_is_unauthorized() {
    let (authorizer, _) = authorizer_with(vec![Ok(pool_jwks())]);
    let bearer = format!("Bearer {}", access_token());
    for arn in [
        None,
        Some(""),
        Some("arn:aws:s3:::bucket/key"),
        Some("garbage"),
    ] {
        let mut value = json!({"type": "TOKEN", "authorizationToken": bearer});
        if let Some(arn) = arn {
            value["methodArn"] = json!(arn);
        }
        let event: ApiGatewayCustomAuthorizerRequest = serde_json::from_value(value).unwrap();
        assert_eq!(
            authorizer.handle(&event, NOW).await,
            Err(Unauthorized),
            "{arn:?}"
        );
    }
}

#[test]
fn the_error_text_is_exactly_what_api_gateway_maps_to_401() {
    assert_eq!(Unauthorized.to_string(), "Unauthorized");
}
