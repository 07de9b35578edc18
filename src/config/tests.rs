use super::*;
use serde_json::json;

const ORIGIN: &str = "http://localhost:8080";

fn minimal() -> Value {
    json!({
        "clientId": "abc123",
        "domain": "https://myprefix.auth.eu-west-1.amazoncognito.com",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_AbCdEf123"
    })
}

fn with(key: &str, value: Value) -> String {
    let mut config = minimal();
    config[key] = value;
    config.to_string()
}

fn without(key: &str) -> String {
    let mut config = minimal();
    config.as_object_mut().unwrap().remove(key);
    config.to_string()
}

fn error_of(text: &str) -> ConfigError {
    Config::from_json(text, ORIGIN).expect_err("config should be refused")
}

fn assert_error(text: &str, key: &str, needle: &str) {
    let error = error_of(text);
    assert_eq!(error.key.as_deref(), Some(key), "wrong key in {error}");
    assert!(
        error.problem.contains(needle),
        "{error} should mention {needle:?}"
    );
}

#[test]
fn minimal_config_fills_every_default() {
    let config = Config::from_json(&minimal().to_string(), ORIGIN).unwrap();
    assert_eq!(
        config,
        Config {
            client_id: "abc123".into(),
            domain: "https://myprefix.auth.eu-west-1.amazoncognito.com".into(),
            region: Some("eu-west-1".into()),
            user_pool_id: Some("eu-west-1_AbCdEf123".into()),
            issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123".into(),
            jwks_uri: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json".into(),
            redirect_uri: "http://localhost:8080/callback".into(),
            logout_uri: "http://localhost:8080/".into(),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            response_type: Flow::Code,
            apis: vec![],
            token_storage: TokenStorage::Session,
            clock_skew_seconds: 60,
        }
    );
}

#[test]
fn every_key_given_is_taken_as_given() {
    let text = json!({
        "clientId": "client",
        "domain": "http://127.0.0.1:4010/",
        "issuer": "https://issuer.example.com/pool/",
        "jwksUri": "http://127.0.0.1:4010/pool/.well-known/jwks.json",
        "redirectUri": "https://app.example.com/callback",
        "logoutUri": "https://app.example.com/bye",
        "scopes": ["openid", "books/read", "openid"],
        "responseType": "token",
        "apiUrl": "https://api.example.com/prod/",
        "tokenStorage": "local",
        "clockSkewSeconds": 0
    })
    .to_string();
    let config = Config::from_json(&text, ORIGIN).unwrap();
    assert_eq!(config.domain, "http://127.0.0.1:4010");
    assert_eq!(config.issuer, "https://issuer.example.com/pool");
    assert_eq!(
        config.jwks_uri,
        "http://127.0.0.1:4010/pool/.well-known/jwks.json"
    );
    assert_eq!(config.redirect_uri, "https://app.example.com/callback");
    assert_eq!(config.logout_uri, "https://app.example.com/bye");
    assert_eq!(
        config.scopes,
        ["openid", "books/read"],
        "duplicates dropped"
    );
    assert_eq!(config.response_type, Flow::Implicit);
    assert_eq!(
        config.apis,
        [Api {
            name: "apiUrl".into(),
            url: "https://api.example.com/prod".into(),
            authorizer: Authorizer::Unknown,
            scopes: vec![],
        }]
    );
    assert_eq!(config.token_storage, TokenStorage::Local);
    assert_eq!(config.clock_skew_seconds, 0);
    assert_eq!(config.region, None);
}

#[test]
fn issuer_replaces_region_and_pool() {
    let text = json!({"clientId": "c", "domain": "https://d.example.com", "issuer": "https://i.example.com/p"});
    let config = Config::from_json(&text.to_string(), ORIGIN).unwrap();
    assert_eq!(config.issuer, "https://i.example.com/p");
    assert_eq!(
        config.jwks_uri,
        "https://i.example.com/p/.well-known/jwks.json"
    );
}

#[test]
fn redirect_defaults_follow_the_page_origin() {
    let config = Config::from_json(&minimal().to_string(), "https://app.example.com/").unwrap();
    assert_eq!(config.redirect_uri, "https://app.example.com/callback");
    assert_eq!(config.logout_uri, "https://app.example.com/");
}

#[test]
fn not_json_is_refused_with_position() {
    let error = error_of("{\"clientId\": ");
    assert_eq!(error.key, None);
    assert!(error.problem.contains("not valid JSON"), "{error}");
    assert!(error.problem.contains("line 1"), "{error}");
}

#[test]
fn non_object_is_refused() {
    let error = error_of("[1, 2]");
    assert_eq!(error.key, None);
    assert!(error
        .problem
        .contains("must be a JSON object, found an array"));
}

#[test]
fn unknown_key_is_named() {
    assert_error(&with("clientID", json!("x")), "clientID", "unknown key");
}

#[test]
fn missing_client_id_is_named() {
    assert_error(&without("clientId"), "clientId", "required but missing");
}

#[test]
fn client_id_must_be_a_non_empty_string_without_spaces() {
    assert_error(
        &with("clientId", json!(42)),
        "clientId",
        "must be a string, found a number",
    );
    assert_error(
        &with("clientId", json!("")),
        "clientId",
        "must not be empty",
    );
    assert_error(&with("clientId", json!("a b")), "clientId", "spaces");
}

#[test]
fn missing_domain_is_named() {
    assert_error(&without("domain"), "domain", "required but missing");
}

#[test]
fn unparsable_url_is_named() {
    assert_error(
        &with("domain", json!("not a url")),
        "domain",
        "not a valid absolute URL",
    );
    assert_error(
        &with("apiUrl", json!("/relative")),
        "apiUrl",
        "not a valid absolute URL",
    );
}

#[test]
fn domain_must_be_a_bare_origin() {
    assert_error(
        &with("domain", json!("https://d.example.com/login")),
        "domain",
        "bare origin",
    );
    assert_error(
        &with("domain", json!("https://d.example.com/?a=1")),
        "domain",
        "bare origin",
    );
}

#[test]
fn http_is_allowed_only_on_loopback() {
    for host in ["localhost:9000", "127.0.0.1", "[::1]:8080"] {
        let text = with("domain", json!(format!("http://{host}")));
        assert!(
            Config::from_json(&text, ORIGIN).is_ok(),
            "{host} is loopback"
        );
    }
    assert_error(
        &with("domain", json!("http://example.com")),
        "domain",
        "must use https:",
    );
    assert_error(
        &with("jwksUri", json!("http://10.0.0.1/jwks.json")),
        "jwksUri",
        "must use https:",
    );
}

#[test]
fn hostile_schemes_are_refused() {
    assert_error(
        &with("redirectUri", json!("javascript:alert(1)")),
        "redirectUri",
        "not a javascript: URL",
    );
    assert_error(
        &with("logoutUri", json!("data:text/html,hi")),
        "logoutUri",
        "not a data: URL",
    );
    assert_error(
        &with("issuer", json!("ftp://example.com/p")),
        "issuer",
        "not a ftp: URL",
    );
}

#[test]
fn every_url_key_is_checked() {
    for key in [
        "domain",
        "issuer",
        "jwksUri",
        "redirectUri",
        "logoutUri",
        "apiUrl",
    ] {
        assert_error(&with(key, json!("http://evil.example")), key, "https");
        assert_error(
            &with(key, json!(true)),
            key,
            "must be a string, found a boolean",
        );
    }
}

#[test]
fn region_and_pool_are_required_without_issuer() {
    assert_error(&without("region"), "region", "required unless `issuer`");
    assert_error(
        &without("userPoolId"),
        "userPoolId",
        "required unless `issuer`",
    );
}

#[test]
fn region_must_look_like_a_region() {
    assert_error(&with("region", json!("Europe")), "region", "AWS region");
    assert_error(&with("region", json!("eu-west")), "region", "AWS region");
}

#[test]
fn user_pool_id_must_match_its_form_and_region() {
    assert_error(
        &with("userPoolId", json!("AbCdEf123")),
        "userPoolId",
        "must look like",
    );
    assert_error(
        &with("userPoolId", json!("eu-west-1_")),
        "userPoolId",
        "must look like",
    );
    assert_error(
        &with("userPoolId", json!("eu-west-1_ab-c")),
        "userPoolId",
        "must look like",
    );
    assert_error(
        &with("userPoolId", json!("_AbCdEf123")),
        "userPoolId",
        "must look like",
    );
    assert_error(
        &with("userPoolId", json!("us-east-1_AbC")),
        "userPoolId",
        "belongs to region \"us-east-1\" but `region` is \"eu-west-1\"",
    );
}

#[test]
fn scopes_must_be_strings_and_include_openid() {
    assert_error(
        &with("scopes", json!("openid email")),
        "scopes",
        "array of strings",
    );
    assert_error(
        &with("scopes", json!(["openid", 3])),
        "scopes",
        "item 1 must be a string",
    );
    assert_error(
        &with("scopes", json!(["openid", "a b"])),
        "scopes",
        "item 1",
    );
    assert_error(
        &with("scopes", json!(["email"])),
        "scopes",
        "must include \"openid\"",
    );
}

#[test]
fn response_type_takes_code_or_token() {
    let code = Config::from_json(&with("responseType", json!("code")), ORIGIN).unwrap();
    assert_eq!(code.response_type, Flow::Code);
    assert_error(
        &with("responseType", json!("implicit")),
        "responseType",
        "\"code\" or \"token\"",
    );
    assert_error(
        &with("responseType", json!(1)),
        "responseType",
        "must be a string",
    );
}

#[test]
fn token_storage_takes_three_values() {
    for (given, expected) in [
        ("session", TokenStorage::Session),
        ("local", TokenStorage::Local),
        ("memory", TokenStorage::Memory),
    ] {
        let config = Config::from_json(&with("tokenStorage", json!(given)), ORIGIN).unwrap();
        assert_eq!(config.token_storage, expected);
    }
    assert_error(
        &with("tokenStorage", json!("cookie")),
        "tokenStorage",
        "\"session\", \"local\" or \"memory\"",
    );
}

#[test]
fn clock_skew_is_an_integer_in_range() {
    let config = Config::from_json(&with("clockSkewSeconds", json!(300)), ORIGIN).unwrap();
    assert_eq!(config.clock_skew_seconds, 300);
    assert_error(
        &with("clockSkewSeconds", json!(301)),
        "clockSkewSeconds",
        "between 0 and 300",
    );
    assert_error(
        &with("clockSkewSeconds", json!(-1)),
        "clockSkewSeconds",
        "between 0 and 300",
    );
    assert_error(
        &with("clockSkewSeconds", json!(1.5)),
        "clockSkewSeconds",
        "whole number",
    );
    assert_error(
        &with("clockSkewSeconds", json!("60")),
        "clockSkewSeconds",
        "whole number",
    );
}

#[test]
fn null_is_a_wrong_type_not_a_default() {
    assert_error(
        &with("apiUrl", Value::Null),
        "apiUrl",
        "must be a string, found null",
    );
}

#[test]
fn flow_select_values_round_trip() {
    for flow in [Flow::Code, Flow::Implicit] {
        assert_eq!(Flow::from_select_value(flow.select_value()), Some(flow));
    }
    assert_eq!(Flow::from_select_value("token"), None);
    assert_eq!(Flow::Implicit.response_type(), "token");
}

#[test]
fn error_display_names_the_key() {
    let error = error_of(&without("clientId"));
    assert_eq!(error.to_string(), "`clientId`: is required but missing");
}

#[test]
fn apis_are_taken_with_their_authorizers() {
    let text = with(
        "apis",
        json!([
            {"name": "id", "url": "https://a.example.com/prod/cognito/", "authorizer": "cognito"},
            {"name": "scoped", "url": "https://a.example.com/prod/cognito-scopes", "authorizer": "cognito-scopes", "scopes": ["books/read"]},
            {"name": "lambda", "url": "http://127.0.0.1:4011/prod/lambda", "authorizer": "lambda"}
        ]),
    );
    let config = Config::from_json(&text, ORIGIN).unwrap();
    let kinds: Vec<_> = config.apis.iter().map(|a| a.authorizer).collect();
    assert_eq!(
        kinds,
        [
            Authorizer::Cognito,
            Authorizer::CognitoScopes,
            Authorizer::Lambda
        ]
    );
    assert_eq!(
        config.apis[0].book_url(),
        "https://a.example.com/prod/cognito/book"
    );
    assert_eq!(config.apis[1].scopes, ["books/read"]);
    assert!(config.apis[2].scopes.is_empty());
}

#[test]
fn api_url_and_apis_together_name_api_url() {
    let mut config = minimal();
    config["apiUrl"] = json!("https://a.example.com/prod");
    config["apis"] =
        json!([{"name": "a", "url": "https://a.example.com/prod", "authorizer": "cognito"}]);
    assert_error(&config.to_string(), "apiUrl", "not both");
}

#[test]
fn a_bad_apis_entry_names_its_index_and_field() {
    let api = |entry: Value| {
        with(
            "apis",
            json!([{"name": "ok", "url": "https://a.example.com/p", "authorizer": "lambda"}, entry]),
        )
    };
    assert_error(&with("apis", json!({})), "apis", "array of objects");
    assert_error(&with("apis", json!([])), "apis", "at least one");
    assert_error(
        &with("apis", json!(["https://a.example.com"])),
        "apis[0]",
        "must be an object",
    );
    assert_error(
        &api(json!({"name": "b", "url": "https://a.example.com/p", "authorizer": "iam"})),
        "apis[1].authorizer",
        "\"iam\"",
    );
    assert_error(
        &api(json!({"name": "ok", "url": "https://a.example.com/p", "authorizer": "cognito"})),
        "apis[1].name",
        "unique",
    );
    assert_error(
        &api(json!({"name": "b", "url": "javascript:alert(1)", "authorizer": "cognito"})),
        "apis[1].url",
        "not a javascript: URL",
    );
    assert_error(
        &api(json!({"name": "b", "authorizer": "cognito"})),
        "apis[1].url",
        "required",
    );
    assert_error(
        &api(json!({"name": " ", "url": "https://a.example.com/p", "authorizer": "cognito"})),
        "apis[1].name",
        "empty",
    );
    assert_error(
        &api(
            json!({"name": "b", "url": "https://a.example.com/p", "authorizer": "cognito-scopes"}),
        ),
        "apis[1].scopes",
        "required",
    );
    assert_error(
        &api(
            json!({"name": "b", "url": "https://a.example.com/p", "authorizer": "cognito-scopes", "scopes": []}),
        ),
        "apis[1].scopes",
        "at least one",
    );
    assert_error(
        &api(
            json!({"name": "b", "url": "https://a.example.com/p", "authorizer": "lambda", "scopes": ["x"]}),
        ),
        "apis[1].scopes",
        "only to a \"cognito-scopes\"",
    );
    assert_error(
        &api(
            json!({"name": "b", "url": "https://a.example.com/p", "authorizer": "lambda", "stage": "prod"}),
        ),
        "apis[1].stage",
        "unknown key",
    );
}
