use crate::common::*;
use cognito_jwt::{Expectations, Jwks, TokenUse};

fn is_uuid(v: &serde_json::Value) -> bool {
    let s = v.as_str().unwrap_or("");
    s.len() == 36 && s.split('-').map(str::len).eq([8, 4, 4, 4, 12])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_carry_every_cognito_claim() {
    let s = stack().await;
    let t = s.tokens(&[], "demo").await;
    let (id_raw, access_raw) = (
        t["id_token"].as_str().unwrap(),
        t["access_token"].as_str().unwrap(),
    );
    let (id, access) = (payload(id_raw), payload(access_raw));
    let iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DevStack1";
    assert_eq!(s.handle.issuer(), iss);

    // Headers: RS256, different keys, Cognito-shaped kids.
    let (hi, ha) = (header(id_raw), header(access_raw));
    assert_eq!(hi["alg"], "RS256");
    assert_eq!(ha["alg"], "RS256");
    assert_ne!(hi["kid"], ha["kid"]);
    for kid in [&hi["kid"], &ha["kid"]] {
        let kid = kid.as_str().unwrap();
        assert_eq!(kid.len(), 44);
        assert!(kid.ends_with('='));
    }

    // ID token.
    assert_eq!(id["sub"], "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b");
    assert!(is_uuid(&id["sub"]));
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["iss"], iss);
    assert_eq!(id["cognito:username"], "demo");
    assert!(is_uuid(&id["origin_jti"]));
    assert_eq!(id["aud"], "7devstack0local0client0abc");
    assert!(is_uuid(&id["event_id"]));
    assert_eq!(id["token_use"], "id");
    let now = s.clock.now();
    assert_eq!(id["auth_time"], now);
    assert_eq!(id["iat"], now);
    assert_eq!(id["exp"], now + 3600);
    assert!(is_uuid(&id["jti"]));
    assert_eq!(id["email"], "demo@example.com");
    assert_eq!(id["cognito:groups"], serde_json::json!(["readers"]));
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["at_hash"], cognito_jwt::at_hash(access_raw));
    assert!(id.get("client_id").is_none() && id.get("scope").is_none());

    // Access token.
    assert_eq!(access["sub"], id["sub"]);
    assert_eq!(access["cognito:groups"], serde_json::json!(["readers"]));
    assert_eq!(access["iss"], iss);
    assert_eq!(access["version"], 2);
    assert_eq!(access["client_id"], "7devstack0local0client0abc");
    assert_eq!(access["origin_jti"], id["origin_jti"]);
    assert!(is_uuid(&access["event_id"]));
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "openid email profile books/read");
    assert_eq!(access["auth_time"], now);
    assert_eq!(access["iat"], now);
    assert_eq!(access["exp"], now + 3600);
    assert!(is_uuid(&access["jti"]));
    assert_ne!(access["jti"], id["jti"]);
    assert_eq!(access["username"], "demo");
    assert!(access.get("aud").is_none() && access.get("email").is_none());

    // Both verify with the shared rules against the published JWKS.
    let jwks_text = reqwest::get(s.handle.jwks_url())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let jwks = Jwks::parse(&jwks_text).unwrap();
    for (raw, token_use, nonce) in [
        (id_raw, TokenUse::Id, Some("n-0S6_WzA2Mj")),
        (access_raw, TokenUse::Access, None),
    ] {
        let expect = Expectations {
            issuer: iss,
            client_id: "7devstack0local0client0abc",
            token_use,
            leeway_seconds: 0,
            nonce,
            access_token_for_at_hash: (token_use == TokenUse::Id).then_some(access_raw),
        };
        let report = cognito_jwt::native::verify(raw, &jwks, &expect, now);
        assert!(
            report.is_valid(),
            "{token_use}: {:?}",
            report.first_failure()
        );
    }

    // A user outside any group has no cognito:groups claim.
    let s2 = stack().await;
    let t = s2.tokens(&[("scope", "openid")], "outsider").await;
    let (id, access) = (
        payload(t["id_token"].as_str().unwrap()),
        payload(t["access_token"].as_str().unwrap()),
    );
    assert!(id.get("cognito:groups").is_none() && access.get("cognito:groups").is_none());
    assert_eq!(id["email_verified"], false);
    assert_eq!(access["scope"], "openid");
    // No openid, no ID token from the code flow either.
    let t = s2.tokens(&[("scope", "books/read")], "demo").await;
    assert!(t.get("id_token").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifetimes_and_issuer_come_from_the_seed() {
    let s = stack_with(|c| {
        c.seed.tokens.id_seconds = 300;
        c.seed.tokens.access_seconds = 600;
        c.seed.pool.issuer = Some("http://issuer.test/pool".into());
    })
    .await;
    let t = s.tokens(&[], "demo").await;
    let now = s.clock.now();
    assert_eq!(t["expires_in"], 600);
    assert_eq!(payload(t["id_token"].as_str().unwrap())["exp"], now + 300);
    assert_eq!(
        payload(t["access_token"].as_str().unwrap())["exp"],
        now + 600
    );
    assert_eq!(
        payload(t["access_token"].as_str().unwrap())["iss"],
        "http://issuer.test/pool"
    );
    assert_eq!(
        s.handle.app_config_json(None)["issuer"],
        "http://issuer.test/pool"
    );
}
