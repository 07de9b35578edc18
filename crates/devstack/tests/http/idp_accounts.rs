//! Sign-up, recovery, password changes, attributes and the admin
//! operations of the user-pool API, with codes read from the outbox.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn ok(a: &Answer) {
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
}

fn kind(a: &Answer) -> &str {
    a.error().0
}

#[tokio::test]
async fn sign_up_confirm_and_sign_in() {
    let s = stack_with(|c| c.capture_log = true).await;
    let cid = s.handle.client_id();
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "carol", "Password": "Carol-passw0rd",
               "UserAttributes": [{"Name": "email", "Value": "carol@example.com"}]}),
    )
    .await;
    ok(&a);
    assert_eq!(a.body["UserConfirmed"], false);
    assert_eq!(
        a.body["CodeDeliveryDetails"],
        json!({"Destination": "c***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let sub = a.body["UserSub"].as_str().unwrap().to_string();

    // Not confirmed yet: even the right password gets UserNotConfirmed.
    let a = password_auth(&s, "carol", "Carol-passw0rd").await;
    assert_eq!(
        a.error(),
        ("UserNotConfirmedException", "User is not confirmed.")
    );

    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "carol", "Password": "Carol-passw0rd"}),
    )
    .await;
    assert_eq!(
        a.error(),
        ("UsernameExistsException", "User already exists")
    );
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "dave", "Password": "short"}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "InvalidPasswordException",
            "Password did not conform with policy: Password not long enough"
        )
    );

    let code = outbox_code(&s, "carol", "SIGN_UP").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let a = call(
        &s,
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "carol", "ConfirmationCode": wrong}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "CodeMismatchException",
            "Invalid verification code provided, please try again."
        )
    );
    // A resent code replaces the first one.
    let a = call(
        &s,
        "ResendConfirmationCode",
        json!({"ClientId": cid, "Username": "carol"}),
    )
    .await;
    ok(&a);
    let code2 = outbox_code(&s, "carol", "SIGN_UP").await;
    let a = call(
        &s,
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "carol", "ConfirmationCode": code2}),
    )
    .await;
    ok(&a);
    let a = call(
        &s,
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "carol", "ConfirmationCode": code2}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "NotAuthorizedException",
            "User cannot be confirmed. Current status is CONFIRMED"
        )
    );
    let a = call(
        &s,
        "ResendConfirmationCode",
        json!({"ClientId": cid, "Username": "carol"}),
    )
    .await;
    assert_eq!(kind(&a), "InvalidParameterException");

    let a = password_auth(&s, "carol", "Carol-passw0rd").await;
    ok(&a);
    let id = payload(a.body["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["email_verified"], true);
    assert_eq!(
        s.book(a.body["AuthenticationResult"]["IdToken"].as_str())
            .await
            .status(),
        StatusCode::OK
    );

    // The log names the user, never the code or the password.
    let lines = s.handle.log_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("[outbox] SIGN_UP code for user carol")),
        "{lines:?}"
    );
    for l in &lines {
        assert!(
            !l.contains(&code) && !l.contains(&code2) && !l.contains("Carol-passw0rd"),
            "{l}"
        );
    }
    let html = reqwest::get(s.ui("/_devstack/outbox.html"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&code2) && html.contains("carol"), "{html}");
}

#[tokio::test]
async fn codes_expire() {
    let s = stack().await;
    let cid = s.handle.client_id();
    ok(&call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "erin", "Password": "Erin-passw0rd",
        "UserAttributes": [{"Name": "email", "Value": "erin@example.com"}]}),
    )
    .await);
    let code = outbox_code(&s, "erin", "SIGN_UP").await;
    s.clock.advance(24 * 3600 + 1);
    let a = call(
        &s,
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "erin", "ConfirmationCode": code}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "ExpiredCodeException",
            "Invalid code provided, please request a code again."
        )
    );
}

#[tokio::test]
async fn email_as_username_pool() {
    let s = stack_with(|c| c.seed.user_pool.username_attributes = vec!["email".into()]).await;
    let cid = s.handle.client_id();
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "not-an-email", "Password": "Frank-passw0rd"}),
    )
    .await;
    assert_eq!(
        a.error(),
        ("InvalidParameterException", "Username should be an email.")
    );
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "frank@example.com", "Password": "Frank-passw0rd"}),
    )
    .await;
    ok(&a);
    let sub = a.body["UserSub"].as_str().unwrap().to_string();
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "FRANK@example.com", "Password": "Frank-passw0rd"}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "UsernameExistsException",
            "An account with the given email already exists."
        )
    );
    let code = outbox_code(&s, &sub, "SIGN_UP").await;
    ok(&call(
        &s,
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "frank@example.com", "ConfirmationCode": code}),
    )
    .await);
    let a = password_auth(&s, "frank@example.com", "Frank-passw0rd").await;
    ok(&a);
    let access = payload(
        a.body["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(
        access["username"],
        sub.as_str(),
        "the stored username is the sub"
    );
    // Seed users: their username is their sub in such a pool; email signs in.
    let a = password_auth(&s, "demo@example.com", PASSWORD).await;
    ok(&a);
    // The hosted UI signs in by email too; tokens name the UUID username.
    let q = s.authorize_query(&[]);
    let res = s.login(&q, "frank@example.com", "Frank-passw0rd").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let code = params_of(&location(&res), false)["code"].clone();
    let t: Value = s.exchange(&code).await.json().await.unwrap();
    assert_eq!(
        payload(t["id_token"].as_str().unwrap())["cognito:username"],
        sub.as_str()
    );
}

#[tokio::test]
async fn forgot_password_change_password_and_attributes() {
    let s = stack().await;
    let cid = s.handle.client_id();
    // outsider's email is not verified: no recovery.
    let a = call(
        &s,
        "ForgotPassword",
        json!({"ClientId": cid, "Username": "outsider"}),
    )
    .await;
    assert_eq!(kind(&a), "InvalidParameterException");
    let a = call(
        &s,
        "ForgotPassword",
        json!({"ClientId": cid, "Username": "ghost"}),
    )
    .await;
    assert_eq!(a.error(), ("UserNotFoundException", "User does not exist."));

    let a = call(
        &s,
        "ForgotPassword",
        json!({"ClientId": cid, "Username": "demo"}),
    )
    .await;
    ok(&a);
    assert_eq!(
        a.body["CodeDeliveryDetails"]["Destination"],
        "d***@e***.com"
    );
    let code = outbox_code(&s, "demo", "FORGOT_PASSWORD").await;
    let a = call(
        &s,
        "ConfirmForgotPassword",
        json!({"ClientId": cid, "Username": "demo", "ConfirmationCode": code, "Password": "weak"}),
    )
    .await;
    assert_eq!(kind(&a), "InvalidPasswordException");
    ok(&call(&s, "ConfirmForgotPassword", json!({"ClientId": cid, "Username": "demo", "ConfirmationCode": code, "Password": "New-passw0rd"})).await);
    assert_eq!(
        kind(&password_auth(&s, "demo", PASSWORD).await),
        "NotAuthorizedException"
    );
    let a = password_auth(&s, "demo", "New-passw0rd").await;
    ok(&a);
    // The hosted UI checks the same verifier.
    let q = s.authorize_query(&[]);
    assert_eq!(
        s.login(&q, "demo", "New-passw0rd").await.status(),
        StatusCode::FOUND
    );

    let access = a.body["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let a = call(&s, "ChangePassword", json!({"AccessToken": access, "PreviousPassword": "wrong", "ProposedPassword": "Other-passw0rd"})).await;
    assert_eq!(
        a.error(),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
    ok(&call(&s, "ChangePassword", json!({"AccessToken": access, "PreviousPassword": "New-passw0rd", "ProposedPassword": "Other-passw0rd"})).await);
    ok(&password_auth(&s, "demo", "Other-passw0rd").await);

    let a = call(&s, "UpdateUserAttributes", json!({"AccessToken": access, "UserAttributes": [{"Name": "name", "Value": "Renamed"}, {"Name": "custom:team", "Value": "blue"}]})).await;
    ok(&a);
    let a = call(
        &s,
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "shoe_size", "Value": "9"}]}),
    )
    .await;
    assert_eq!(kind(&a), "InvalidParameterException");
    let a = call(&s, "UpdateUserAttributes", json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "demo2@example.com"}]})).await;
    ok(&a);
    assert_eq!(
        a.body["CodeDeliveryDetailsList"][0]["Destination"],
        "d***@e***.com"
    );
    let u = call(&s, "GetUser", json!({"AccessToken": access})).await;
    let attrs = &u.body["UserAttributes"];
    let get = |n: &str| {
        attrs
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["Name"] == n)
            .map(|a| a["Value"].clone())
    };
    assert_eq!(get("name"), Some("Renamed".into()));
    assert_eq!(get("custom:team"), Some("blue".into()));
    assert_eq!(get("email_verified"), Some("false".into()));
    let code = outbox_code(&s, "demo", "VERIFY_ATTRIBUTE").await;
    ok(&call(
        &s,
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    )
    .await);
}

#[tokio::test]
async fn admin_create_user_and_new_password_required() {
    let s = stack().await;
    let cid = s.handle.client_id();
    let a = call(&s, "AdminCreateUser", json!({"UserPoolId": POOL, "Username": "gina", "TemporaryPassword": "Temp-passw0rd",
        "UserAttributes": [{"Name": "email", "Value": "gina@example.com"}, {"Name": "email_verified", "Value": "true"}]})).await;
    ok(&a);
    assert_eq!(a.body["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(a.body["User"]["Enabled"], true);
    let a = call(
        &s,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "gina"}),
    )
    .await;
    assert_eq!(
        a.error(),
        ("UsernameExistsException", "User account already exists")
    );

    // The wrong temporary password is refused before any challenge.
    assert_eq!(
        kind(&password_auth(&s, "gina", "Wrong-passw0rd").await),
        "NotAuthorizedException"
    );
    let a = password_auth(&s, "gina", "Temp-passw0rd").await;
    ok(&a);
    assert_eq!(a.body["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let p = &a.body["ChallengeParameters"];
    assert_eq!(p["requiredAttributes"], "[]");
    let ua: Value = serde_json::from_str(p["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(ua["email"], "gina@example.com");
    let session = a.body["Session"].as_str().unwrap().to_string();
    assert!(session.len() >= 20);
    let respond = |pw: &str, session: &str| {
        json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": cid, "Session": session,
               "ChallengeResponses": {"USERNAME": "gina", "NEW_PASSWORD": pw, "userAttributes.name": "Gina"}})
    };
    let a = call(&s, "RespondToAuthChallenge", respond("weak", &session)).await;
    assert_eq!(kind(&a), "InvalidPasswordException");
    let a = call(
        &s,
        "RespondToAuthChallenge",
        respond("Final-passw0rd", "x".repeat(40).as_str()),
    )
    .await;
    assert_eq!(kind(&a), "NotAuthorizedException");
    let a = call(
        &s,
        "RespondToAuthChallenge",
        respond("Final-passw0rd", &session),
    )
    .await;
    ok(&a);
    let id = payload(a.body["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(id["name"], "Gina");
    let a = call(
        &s,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "gina"}),
    )
    .await;
    assert_eq!(a.body["UserStatus"], "CONFIRMED");
    ok(&password_auth(&s, "gina", "Final-passw0rd").await);

    // Non-permanent AdminSetUserPassword puts the user back to FORCE_CHANGE_PASSWORD.
    ok(&call(&s, "AdminSetUserPassword", json!({"UserPoolId": POOL, "Username": "gina", "Password": "Reset-passw0rd", "Permanent": false})).await);
    let a = password_auth(&s, "gina", "Reset-passw0rd").await;
    assert_eq!(a.body["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    ok(&call(&s, "AdminSetUserPassword", json!({"UserPoolId": POOL, "Username": "gina", "Password": "Perm-passw0rd", "Permanent": true})).await);
    assert!(
        password_auth(&s, "gina", "Perm-passw0rd").await.body["AuthenticationResult"].is_object()
    );

    // A temporary password expires (7 days by default).
    ok(&call(
        &s,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "hank", "TemporaryPassword": "Temp-passw0rd"}),
    )
    .await);
    s.clock.advance(7 * 86_400 + 1);
    let a = password_auth(&s, "hank", "Temp-passw0rd").await;
    assert_eq!(
        a.error(),
        (
            "NotAuthorizedException",
            "Temporary password has expired and must be reset by an administrator."
        )
    );

    ok(&call(
        &s,
        "AdminDeleteUser",
        json!({"UserPoolId": POOL, "Username": "gina"}),
    )
    .await);
    let a = call(
        &s,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "gina"}),
    )
    .await;
    assert_eq!(a.error(), ("UserNotFoundException", "User does not exist."));
}

#[tokio::test]
async fn admin_confirm_groups_list_users_and_describe() {
    let s = stack().await;
    let cid = s.handle.client_id();
    ok(&call(
        &s,
        "SignUp",
        json!({"ClientId": cid, "Username": "ivy", "Password": "Ivy-passw0rd!"}),
    )
    .await);
    ok(&call(
        &s,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "ivy"}),
    )
    .await);
    let a = call(
        &s,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "ivy"}),
    )
    .await;
    assert_eq!(kind(&a), "NotAuthorizedException");

    ok(&call(
        &s,
        "AdminAddUserToGroup",
        json!({"UserPoolId": POOL, "Username": "ivy", "GroupName": "readers"}),
    )
    .await);
    let a = call(
        &s,
        "AdminAddUserToGroup",
        json!({"UserPoolId": POOL, "Username": "ivy", "GroupName": "nope"}),
    )
    .await;
    assert_eq!(kind(&a), "ResourceNotFoundException");
    let a = call(
        &s,
        "AdminListGroupsForUser",
        json!({"UserPoolId": POOL, "Username": "ivy"}),
    )
    .await;
    assert_eq!(a.body["Groups"][0]["GroupName"], "readers");
    let a = password_auth(&s, "ivy", "Ivy-passw0rd!").await;
    let access = payload(
        a.body["AuthenticationResult"]["AccessToken"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(access["cognito:groups"], json!(["readers"]));
    ok(&call(
        &s,
        "AdminRemoveUserFromGroup",
        json!({"UserPoolId": POOL, "Username": "ivy", "GroupName": "readers"}),
    )
    .await);
    let a = call(
        &s,
        "AdminListGroupsForUser",
        json!({"UserPoolId": POOL, "Username": "ivy"}),
    )
    .await;
    assert_eq!(a.body["Groups"], json!([]));

    ok(&call(&s, "AdminUpdateUserAttributes", json!({"UserPoolId": POOL, "Username": "outsider",
        "UserAttributes": [{"Name": "email_verified", "Value": "true"}, {"Name": "given_name", "Value": "Out"}]})).await);

    let names = |a: &Answer| -> Vec<String> {
        a.body["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Username"].as_str().unwrap().to_string())
            .collect()
    };
    let a = call(&s, "ListUsers", json!({"UserPoolId": POOL})).await;
    assert_eq!(names(&a), ["demo", "ivy", "outsider"]);
    let a = call(
        &s,
        "ListUsers",
        json!({"UserPoolId": POOL, "Filter": "email = \"demo@example.com\""}),
    )
    .await;
    assert_eq!(names(&a), ["demo"]);
    let a = call(
        &s,
        "ListUsers",
        json!({"UserPoolId": POOL, "Filter": "username^=\"o\""}),
    )
    .await;
    assert_eq!(names(&a), ["outsider"]);
    let a = call(
        &s,
        "ListUsers",
        json!({"UserPoolId": POOL, "Filter": "given_name = \"Out\"", "AttributesToGet": ["email"]}),
    )
    .await;
    assert_eq!(names(&a), ["outsider"]);
    assert_eq!(
        a.body["Users"][0]["Attributes"],
        json!([{"Name": "email", "Value": "outsider@example.com"}])
    );
    let a = call(
        &s,
        "ListUsers",
        json!({"UserPoolId": POOL, "Filter": "cognito:user_status = \"confirmed\""}),
    )
    .await;
    assert_eq!(names(&a).len(), 3);
    let a = call(&s, "ListUsers", json!({"UserPoolId": POOL, "Limit": 2})).await;
    assert_eq!(names(&a).len(), 2);
    let token = a.body["PaginationToken"].clone();
    let a = call(
        &s,
        "ListUsers",
        json!({"UserPoolId": POOL, "Limit": 2, "PaginationToken": token}),
    )
    .await;
    assert_eq!(names(&a), ["outsider"]);
    assert!(a.body.get("PaginationToken").is_none());
    for bad in ["email", "shoe = \"9\"", "email = 'x'"] {
        let a = call(&s, "ListUsers", json!({"UserPoolId": POOL, "Filter": bad})).await;
        assert_eq!(kind(&a), "InvalidParameterException", "{bad}");
    }

    let a = call(&s, "DescribeUserPool", json!({"UserPoolId": POOL})).await;
    ok(&a);
    assert_eq!(a.body["UserPool"]["Id"], POOL);
    assert_eq!(
        a.body["UserPool"]["Policies"]["PasswordPolicy"]["MinimumLength"],
        8
    );
    let a = call(
        &s,
        "DescribeUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": cid}),
    )
    .await;
    ok(&a);
    assert!(a.body["UserPoolClient"]["ExplicitAuthFlows"]
        .as_array()
        .unwrap()
        .contains(&json!("ALLOW_USER_SRP_AUTH")));
    let a = call(
        &s,
        "DescribeUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": "other"}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "ResourceNotFoundException",
            "User pool client other does not exist."
        )
    );
    assert_eq!(s.handle.panics(), 0);
}

#[tokio::test]
async fn admin_only_pools_refuse_sign_up() {
    let s = stack_with(|c| c.seed.user_pool.allow_admin_create_user_only = true).await;
    let a = call(
        &s,
        "SignUp",
        json!({"ClientId": s.handle.client_id(), "Username": "x", "Password": "Xx-passw0rd"}),
    )
    .await;
    assert_eq!(
        a.error(),
        (
            "NotAuthorizedException",
            "SignUp is not permitted for this user pool"
        )
    );
}
