//! The user-pool JSON API (`POST /` with X-Amz-Target) against a real
//! in-process stack: wire format, errors, every sign-in flow, tokens
//! accepted by /book, sign-out and revocation.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use devstack::srp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

fn assert_error(a: &Answer, kind: &str, message: &str) {
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{:?}", a.body);
    assert_eq!(a.error(), (kind, message), "{:?}", a.body);
    assert_eq!(
        a.headers["x-amzn-errortype"].to_str().unwrap(),
        format!("{kind}:")
    );
    assert_eq!(a.headers["access-control-allow-origin"], "*");
    assert!(a.headers.contains_key("x-amzn-requestid"));
}

#[tokio::test]
async fn wire_errors_are_shaped_as_aws_sends_them() {
    let s = stack().await;
    let a = call_raw(&s, None, b"{}".to_vec(), false).await;
    assert_error(&a, "UnknownOperationException", "Unknown operation");
    let a = call(&s, "CreateUserPool", json!({})).await;
    assert_eq!(a.error().0, "UnknownOperationException");
    let target = Some("AWSCognitoIdentityProviderService.InitiateAuth");
    let a = call_raw(&s, target, b"{\"AuthFlow\":".to_vec(), false).await;
    assert_eq!(a.error().0, "SerializationException");
    let a = call_raw(&s, target, b"[]".to_vec(), false).await;
    assert_eq!(a.error().0, "SerializationException");
    let a = call(&s, "InitiateAuth", json!({"AuthFlow": 7, "ClientId": "x"})).await;
    assert_eq!(a.error().0, "SerializationException");
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH"}),
    )
    .await;
    assert_error(
        &a,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    );
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "nope"}),
    )
    .await;
    assert_error(
        &a,
        "ResourceNotFoundException",
        "User pool client nope does not exist.",
    );
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "BOGUS", "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.error().0, "InvalidParameterException");
    assert!(a.error().1.contains("enum value set"), "{:?}", a.body);
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"USERNAME": "demo"}}),
    )
    .await;
    assert_error(
        &a,
        "InvalidParameterException",
        "Missing required parameter PASSWORD",
    );
    // Admin operations need a (any well-formed) SigV4 signature.
    let a = call_raw(
        &s,
        Some("AWSCognitoIdentityProviderService.AdminInitiateAuth"),
        b"{}".to_vec(),
        false,
    )
    .await;
    assert_eq!(a.error().0, "MissingAuthenticationTokenException");
    assert_eq!(s.handle.panics(), 0);
}

#[tokio::test]
async fn cors_preflight_for_browser_sdks() {
    let s = stack().await;
    let res = Client::new()
        .request(reqwest::Method::OPTIONS, s.ui("/"))
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,x-amz-target,x-amz-user-agent,cache-control,amz-sdk-invocation-id,amz-sdk-request",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-methods"], "POST");
    assert_eq!(h["access-control-max-age"], "172800");
    let allowed = h["access-control-allow-headers"].to_str().unwrap();
    for name in ["x-amz-target", "amz-sdk-request", "x-amz-user-agent"] {
        assert!(allowed.contains(name), "{allowed}");
    }
}

#[tokio::test]
async fn user_password_auth_tokens_pass_book_and_carry_api_claims() {
    let s = stack().await;
    let a = password_auth(&s, "demo", PASSWORD).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(
        a.headers["content-type"].to_str().unwrap(),
        "application/x-amz-json-1.1"
    );
    let r = &a.body["AuthenticationResult"];
    assert_eq!(r["TokenType"], "Bearer");
    assert_eq!(r["ExpiresIn"], 3600);
    assert_eq!(r["RefreshToken"].as_str().unwrap().split('.').count(), 5);
    assert_eq!(a.body["ChallengeParameters"], json!({}));
    let access = payload(r["AccessToken"].as_str().unwrap());
    let id = payload(r["IdToken"].as_str().unwrap());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["username"], "demo");
    assert_eq!(access["token_use"], "access");
    assert!(access.get("aud").is_none() && access.get("version").is_none());
    assert_eq!(id["cognito:username"], "demo");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["cognito:groups"], json!(["readers"]));
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert!(id.get("nonce").is_none() && id.get("at_hash").is_none());
    assert_eq!(id["iss"], s.handle.issuer());
    // The same keys as the hosted UI: /book takes the ID token.
    let book = s.book(Some(r["IdToken"].as_str().unwrap())).await;
    assert_eq!(book.status(), StatusCode::OK);
    let book = s
        .book(Some(&format!("Bearer {}", r["IdToken"].as_str().unwrap())))
        .await;
    assert_eq!(book.status(), StatusCode::OK);

    let a = password_auth(&s, "demo", "Passw0rd?").await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    let a = password_auth(&s, "nobody", PASSWORD).await;
    assert_error(&a, "UserNotFoundException", "User does not exist.");
    // Nothing secret in the log.
    for line in s.handle.log_lines() {
        assert!(!line.contains("Passw0rd"), "{line}");
    }
}

#[tokio::test]
async fn admin_password_flows() {
    let s = stack().await;
    for flow in ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] {
        let a = call(
            &s,
            "AdminInitiateAuth",
            json!({
                "UserPoolId": POOL,
                "AuthFlow": flow,
                "ClientId": s.handle.client_id(),
                "AuthParameters": {"USERNAME": "outsider", "PASSWORD": PASSWORD},
            }),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{flow}: {:?}", a.body);
        assert!(a.body["AuthenticationResult"]["IdToken"].is_string());
    }
    let a = call(
        &s,
        "AdminInitiateAuth",
        json!({"UserPoolId": "us-east-1_Other", "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_error(
        &a,
        "ResourceNotFoundException",
        "User pool us-east-1_Other does not exist.",
    );
    // Admin flows are not for InitiateAuth, and the reverse.
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"USERNAME": "demo", "PASSWORD": PASSWORD}}),
    )
    .await;
    assert_eq!(a.error().0, "InvalidParameterException");
}

#[tokio::test]
async fn disabled_flows_are_refused() {
    let s = stack_with(|cfg| {
        cfg.seed.user_pool.explicit_auth_flows = vec!["ALLOW_USER_SRP_AUTH".into()];
    })
    .await;
    let a = password_auth(&s, "demo", PASSWORD).await;
    assert_error(
        &a,
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"REFRESH_TOKEN": "x"}}),
    )
    .await;
    assert_eq!(a.error().0, "InvalidParameterException");
}

/// Runs USER_SRP_AUTH with the in-crate client (pycognito's arithmetic);
/// returns the RespondToAuthChallenge request it would send.
async fn srp_challenge(s: &Stack, user: &str, password: &str, when: i64) -> (Value, Value) {
    let client = srp::client::Client::random();
    let a = call(
        s,
        "InitiateAuth",
        json!({
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": s.handle.client_id(),
            "AuthParameters": {"USERNAME": user, "SRP_A": srp::to_hex(&client.big_a)},
        }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["ChallengeName"], "PASSWORD_VERIFIER");
    let p = &a.body["ChallengeParameters"];
    let user_id = p["USER_ID_FOR_SRP"].as_str().unwrap();
    let key = client
        .key(
            "DevStack1",
            user_id,
            password,
            p["SALT"].as_str().unwrap(),
            p["SRP_B"].as_str().unwrap(),
        )
        .unwrap();
    let block = STANDARD
        .decode(p["SECRET_BLOCK"].as_str().unwrap())
        .unwrap();
    let ts = srp::format_timestamp(when);
    let sig = srp::client::Client::sign(&key, "DevStack1", user_id, &block, &ts);
    let respond = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ClientId": s.handle.client_id(),
        "ChallengeResponses": {
            "USERNAME": p["USERNAME"],
            "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": sig,
            "TIMESTAMP": ts,
        },
    });
    (a.body.clone(), respond)
}

#[tokio::test]
async fn srp_right_wrong_replayed_and_stale() {
    let s = stack().await;
    let now = s.clock.now();
    let (challenge, respond) = srp_challenge(&s, "demo", PASSWORD, now).await;
    assert_eq!(challenge["ChallengeParameters"]["USERNAME"], "demo");
    let a = call(&s, "RespondToAuthChallenge", respond.clone()).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let id = a.body["AuthenticationResult"]["IdToken"].as_str().unwrap();
    assert_eq!(s.book(Some(id)).await.status(), StatusCode::OK);
    // The same answer again: the secret block was single-use.
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Invalid session for the user.",
    );

    let (_, respond) = srp_challenge(&s, "demo", "Wrong-passw0rd", now).await;
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );

    // A correct signature over a timestamp far from now.
    let (_, respond) = srp_challenge(&s, "demo", PASSWORD, now - 3600).await;
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );

    // A timestamp in the wrong format.
    let (_, mut respond) = srp_challenge(&s, "demo", PASSWORD, now).await;
    respond["ChallengeResponses"]["TIMESTAMP"] = "2026-12-01T00:00:00Z".into();
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_eq!(a.error().0, "InvalidParameterException");

    // The challenge expires with the auth session (3 minutes).
    let (_, respond) = srp_challenge(&s, "demo", PASSWORD, now).await;
    s.clock.advance(181);
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Invalid session for the user.",
    );

    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"USERNAME": "demo", "SRP_A": "0"}}),
    )
    .await;
    assert_eq!(s.handle.panics(), 0, "{:?}", a.body);
}

#[tokio::test]
async fn refresh_get_user_sign_out_and_revoke() {
    // REFRESH_TOKEN_AUTH is for clients that do not rotate (the built-in
    // seed's does; see the rotating test below).
    let s = stack_with(|cfg| cfg.seed.client.refresh_rotation = false).await;
    let a = password_auth(&s, "demo", PASSWORD).await;
    let r = a.body["AuthenticationResult"].clone();
    let refresh = r["RefreshToken"].as_str().unwrap().to_string();
    let access = r["AccessToken"].as_str().unwrap().to_string();
    let origin = payload(&access)["origin_jti"].clone();

    s.clock.advance(5);
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"REFRESH_TOKEN": refresh}}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let rr = &a.body["AuthenticationResult"];
    assert!(rr.get("RefreshToken").is_none());
    let refreshed = payload(rr["AccessToken"].as_str().unwrap());
    assert_eq!(refreshed["origin_jti"], origin);
    assert_eq!(refreshed["auth_time"], payload(&access)["auth_time"]);

    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": refresh, "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert!(a.body["AuthenticationResult"].get("RefreshToken").is_none());

    let a = call(&s, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["Username"], "demo");
    let attrs = a.body["UserAttributes"].as_array().unwrap();
    assert_eq!(attrs[0]["Name"], "sub");
    assert!(attrs
        .iter()
        .any(|x| x["Name"] == "email_verified" && x["Value"] == "true"));

    let a = call(&s, "GetUser", json!({"AccessToken": "garbage"})).await;
    assert_error(&a, "NotAuthorizedException", "Invalid Access Token");
    // A hosted-UI access token lacks the admin scope.
    let hosted = s.tokens(&[], "demo").await;
    let a = call(
        &s,
        "GetUser",
        json!({"AccessToken": hosted["access_token"]}),
    )
    .await;
    assert_eq!(a.error().0, "NotAuthorizedException");

    let a = call(&s, "GlobalSignOut", json!({"AccessToken": access})).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, json!({}));
    let a = call(&s, "GetUser", json!({"AccessToken": access})).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"REFRESH_TOKEN": refresh}}),
    )
    .await;
    assert_eq!(a.error().0, "NotAuthorizedException");
    // The JWTs still pass local checks (as on AWS): /book accepts the ID token.
    assert_eq!(
        s.book(Some(r["IdToken"].as_str().unwrap())).await.status(),
        StatusCode::OK
    );

    // Hosted-UI sign-ins before it are signed out too: refresh and userInfo.
    let a = s.refresh(hosted["refresh_token"].as_str().unwrap()).await;
    assert_eq!(error_of(a).await, "invalid_grant");
    let info = reqwest::Client::new()
        .get(s.ui("/oauth2/userInfo"))
        .bearer_auth(hosted["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), StatusCode::UNAUTHORIZED);

    // A new sign-in in the same second as the sign-out is not revoked.
    let a = password_auth(&s, "demo", PASSWORD).await;
    let fresh = a.body["AuthenticationResult"]["AccessToken"].clone();
    assert_eq!(
        call(&s, "GetUser", json!({"AccessToken": fresh}))
            .await
            .status,
        StatusCode::OK
    );

    // RevokeToken: that sign-in's refresh and access tokens die.
    let a = password_auth(&s, "demo", PASSWORD).await;
    let r = a.body["AuthenticationResult"].clone();
    let a = call(
        &s,
        "RevokeToken",
        json!({"Token": r["RefreshToken"], "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let a = call(&s, "GetUser", json!({"AccessToken": r["AccessToken"]})).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": r["RefreshToken"], "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    );
    let a = call(
        &s,
        "RevokeToken",
        json!({"Token": r["AccessToken"], "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.error().0, "UnsupportedTokenTypeException");

    // AdminUserGlobalSignOut.
    let a = password_auth(&s, "outsider", PASSWORD).await;
    let access = a.body["AuthenticationResult"]["AccessToken"].clone();
    let a = call(
        &s,
        "AdminUserGlobalSignOut",
        json!({"UserPoolId": POOL, "Username": "outsider"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let a = call(&s, "GetUser", json!({"AccessToken": access})).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
}

#[tokio::test]
async fn rotating_client_refreshes_through_get_tokens_from_refresh_token() {
    let s = stack_with(|cfg| {
        cfg.seed.client.refresh_rotation = true;
        cfg.seed.client.refresh_rotation_grace_seconds = 10;
    })
    .await;
    let a = password_auth(&s, "demo", PASSWORD).await;
    let old = a.body["AuthenticationResult"]["RefreshToken"].clone();
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": s.handle.client_id(), "AuthParameters": {"REFRESH_TOKEN": old}}),
    )
    .await;
    assert_eq!(a.error().0, "InvalidParameterException");
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": old, "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let new = a.body["AuthenticationResult"]["RefreshToken"].clone();
    assert!(new.is_string() && new != old);
    s.clock.advance(11);
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": old, "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.error().0, "RefreshTokenReuseException");
    let a = call(
        &s,
        "GetTokensFromRefreshToken",
        json!({"RefreshToken": new, "ClientId": s.handle.client_id()}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
}

#[tokio::test]
async fn secret_hash_when_the_client_has_a_secret() {
    let secret = "s3cr3t0devstack0client0secret0abcdefghij";
    let s = stack_with(|cfg| {
        cfg.seed.user_pool.client_secret = Some(secret.into());
    })
    .await;
    let a = password_auth(&s, "demo", PASSWORD).await;
    assert_eq!(
        a.error(),
        (
            "NotAuthorizedException",
            "Client 7devstack0local0client0abc is configured with secret but SECRET_HASH was not received"
        )
    );
    let good = devstack::idp::auth::secret_hash(secret, "demo", &s.handle.client_id());
    for (hash, ok) in [(good.as_str(), true), ("AAAA", false)] {
        let a = call(
            &s,
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": s.handle.client_id(),
                   "AuthParameters": {"USERNAME": "demo", "PASSWORD": PASSWORD, "SECRET_HASH": hash}}),
        )
        .await;
        assert_eq!(a.status == StatusCode::OK, ok, "{:?}", a.body);
    }
}

#[tokio::test]
async fn hostile_bodies_get_errors_not_panics() {
    let s = stack().await;
    let target = Some("AWSCognitoIdentityProviderService.InitiateAuth");
    let bodies: Vec<Vec<u8>> = vec![
        "[".repeat(60_000).into_bytes(),
        format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000)).into_bytes(),
        vec![0xff, 0xfe, 0x00, 0x01],
        b"\"just a string\"".to_vec(),
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": s.handle.client_id(),
               "AuthParameters": {"USERNAME": "demo", "SRP_A": "0"}})
        .to_string()
        .into_bytes(),
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": s.handle.client_id(),
               "AuthParameters": {"USERNAME": "demo", "SRP_A": "g".repeat(2000)}})
        .to_string()
        .into_bytes(),
        json!({"AuthFlow": ["x"], "ClientId": {"a": 1}})
            .to_string()
            .into_bytes(),
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": s.handle.client_id(),
               "AuthParameters": {"USERNAME": 5}})
        .to_string()
        .into_bytes(),
    ];
    for body in bodies {
        let a = call_raw(&s, target, body, false).await;
        assert!(a.status.is_client_error(), "{:?}", a.body);
    }
    let big = call_raw(&s, target, vec![b' '; 70 * 1024], false).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let a = call(
        &s,
        "RespondToAuthChallenge",
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": s.handle.client_id(),
               "ChallengeResponses": {"USERNAME": "demo", "PASSWORD_CLAIM_SECRET_BLOCK": "!!", "PASSWORD_CLAIM_SIGNATURE": "x", "TIMESTAMP": "y"}}),
    )
    .await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Invalid session for the user.",
    );
    assert_eq!(s.handle.panics(), 0);
}

#[tokio::test]
async fn prevented_user_existence_errors() {
    let s = stack_with(|cfg| {
        cfg.seed.user_pool.prevent_user_existence_errors = "ENABLED".into();
    })
    .await;
    let a = password_auth(&s, "nobody", PASSWORD).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    // SRP: a simulated challenge (stable for the name), then the same refusal.
    let (first, respond) = srp_challenge(&s, "nobody", PASSWORD, s.clock.now()).await;
    let (again, _) = srp_challenge(&s, "nobody", PASSWORD, s.clock.now()).await;
    assert_eq!(
        first["ChallengeParameters"]["USER_ID_FOR_SRP"],
        again["ChallengeParameters"]["USER_ID_FOR_SRP"]
    );
    assert_eq!(
        first["ChallengeParameters"]["SALT"],
        again["ChallengeParameters"]["SALT"]
    );
    let a = call(&s, "RespondToAuthChallenge", respond).await;
    assert_error(
        &a,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    let a = call(
        &s,
        "ForgotPassword",
        json!({"ClientId": s.handle.client_id(), "Username": "nobody"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    // Known users still sign in.
    assert_eq!(
        password_auth(&s, "demo", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unconfirmed_beats_a_wrong_password_and_disabled_flows_stay_closed() {
    let s = stack().await;
    let cid = s.handle.client_id();
    call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "nat", "Password": "Nat-passw0rd!"}),
    )
    .await;
    let a = password_auth(&s, "nat", "wrong").await;
    assert_error(&a, "UserNotConfirmedException", "User is not confirmed.");
    let a = call(
        &s,
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": cid, "AuthParameters": {"USERNAME": "demo"}}),
    )
    .await;
    assert_eq!(a.error().0, "InvalidParameterException");
}
