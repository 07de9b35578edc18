//! Self-service account operations: SignUp, ConfirmSignUp,
//! ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword,
//! ChangePassword, UpdateUserAttributes, VerifyUserAttribute.

use super::auth::{check_client, check_secret_hash, find_user};
use super::outbox::{self, mask_email, Message};
use super::tokens;
use super::users::{Status, UserRecord};
use super::wire::{
    check_len, err, incorrect_credentials, invalid_parameter, not_authorized, IdpResult, Req,
};
use super::{Inner, PendingCode};
use crate::ids;
use crate::state::Shared;
use rand::Rng;
use serde_json::{json, Value};

/// Sign-up and attribute-verification codes live 24 hours.
pub const SIGN_UP_CODE_TTL: i64 = 24 * 3600;
/// Forgot-password codes live 1 hour.
pub const RESET_CODE_TTL: i64 = 3600;

pub const KIND_SIGN_UP: &str = "SIGN_UP";
pub const KIND_FORGOT: &str = "FORGOT_PASSWORD";
pub const KIND_VERIFY: &str = "VERIFY_ATTRIBUTE";

const STANDARD_ATTRIBUTES: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

pub fn looks_like_email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(l, d)| {
        !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
    }) && !s.chars().any(char::is_whitespace)
        && s.len() <= 256
}

/// Applies `[{Name, Value}]` to `rec`. `admin` may set the `*_verified`
/// flags and delete attributes with an empty value.
pub fn apply_attributes(
    rec: &mut UserRecord,
    attrs: &[(String, String)],
    admin: bool,
) -> IdpResult<()> {
    for (name, value) in attrs {
        if name == "sub" {
            return Err(invalid_parameter(
                "Cannot modify the non-mutable attribute sub",
            ));
        }
        let known = STANDARD_ATTRIBUTES.contains(&name.as_str())
            || name
                .strip_prefix("custom:")
                .is_some_and(|n| !n.is_empty() && n.len() <= 20);
        if !known {
            return Err(invalid_parameter(format!(
                "Attribute does not exist in the schema: {}",
                name.chars().take(64).collect::<String>()
            )));
        }
        if name.ends_with("_verified") && !admin {
            return Err(invalid_parameter(format!(
                "Cannot modify the attribute {name} without an administrator"
            )));
        }
        if value.chars().count() > 2048 {
            return Err(invalid_parameter(format!(
                "Invalid value for attribute {name}: too long"
            )));
        }
        if value.is_empty() {
            if admin {
                rec.attributes.remove(name);
                continue;
            }
            return Err(invalid_parameter(format!(
                "Invalid value for attribute {name}: must not be empty"
            )));
        }
        if name == "email" && !looks_like_email(value) {
            return Err(invalid_parameter("Invalid email address format."));
        }
        if name.ends_with("_verified") && value != "true" && value != "false" {
            return Err(invalid_parameter(format!(
                "Invalid value for attribute {name}: must be true or false"
            )));
        }
        rec.attributes.insert(name.clone(), value.clone());
    }
    Ok(())
}

fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// Issues a code for `rec`, puts it in the outbox, returns CodeDeliveryDetails.
pub fn send_code(
    shared: &Shared,
    inner: &mut Inner,
    rec: &UserRecord,
    kind: &'static str,
    ttl: i64,
) -> Value {
    let now = shared.now();
    let code = new_code();
    let email = rec.email().unwrap_or_default().to_string();
    inner.codes.insert(
        (rec.username.clone(), kind),
        PendingCode {
            code: code.clone(),
            expires_at: now + ttl,
        },
    );
    outbox::send(
        shared,
        &mut inner.outbox,
        Message {
            username: rec.username.clone(),
            destination: email.clone(),
            kind,
            code,
            sent_at: now,
        },
    );
    delivery(&email)
}

fn delivery(email: &str) -> Value {
    json!({"Destination": mask_email(email), "DeliveryMedium": "EMAIL", "AttributeName": "email"})
}

/// Checks and burns a code.
fn take_code(
    shared: &Shared,
    inner: &mut Inner,
    username: &str,
    kind: &'static str,
    code: &str,
) -> IdpResult<()> {
    let now = shared.now();
    let key = (username.to_string(), kind);
    let Some(pending) = inner.codes.get(&key) else {
        return Err(err(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    };
    if pending.expires_at <= now {
        inner.codes.remove(&key);
        return Err(err(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    }
    if !crate::http::constant_time_eq(&pending.code, code) {
        return Err(err(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ));
    }
    inner.codes.remove(&key);
    Ok(())
}

fn policy(shared: &Shared, password: &str) -> IdpResult<()> {
    match shared.seed.user_pool.password_policy.violation(password) {
        Some(m) => Err(err("InvalidPasswordException", m)),
        None => Ok(()),
    }
}

pub fn sign_up(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_client(shared, req)?;
    let username = req.str("Username")?;
    let password = req.str("Password")?;
    let attrs = req.attributes("UserAttributes")?.unwrap_or_default();
    check_len("Username", &username, 128, false)?;
    check_len("Password", &password, 256, true)?;
    let settings = &shared.seed.user_pool;
    if settings.allow_admin_create_user_only {
        return Err(not_authorized("SignUp is not permitted for this user pool"));
    }
    check_secret_hash(shared, req.opt_str("SecretHash")?.as_deref(), &[&username])?;
    let email_pool = settings.email_is_username();
    if email_pool && !looks_like_email(&username) {
        return Err(invalid_parameter("Username should be an email."));
    }
    policy(shared, &password)?;
    let now = shared.now();
    let sub = ids::uuid_v4();
    let mut rec = UserRecord {
        username: if email_pool {
            sub.clone()
        } else {
            username.clone()
        },
        sub: sub.clone(),
        attributes: Default::default(),
        groups: Vec::new(),
        status: Status::Unconfirmed,
        enabled: true,
        password: None,
        created: now,
        modified: now,
        temporary_password_expires: None,
        signed_out_at: None,
    };
    apply_attributes(&mut rec, &attrs, false)?;
    if email_pool {
        rec.attributes.insert("email".into(), username.clone());
    }
    rec.attributes
        .insert("email_verified".into(), "false".into());
    if rec.email().is_none() {
        rec.attributes.remove("email_verified");
    }
    rec.set_password(&shared.idp.pool_name, &password);
    let mut inner = shared.idp.lock();
    if email_pool {
        if inner.users.email_taken(&username, None) {
            return Err(err(
                "UsernameExistsException",
                "An account with the given email already exists.",
            ));
        }
    } else if inner.users.get(&username).is_some() {
        return Err(err("UsernameExistsException", "User already exists"));
    }
    inner
        .users
        .by_name
        .insert(rec.username.clone(), rec.clone());
    let mut out = json!({"UserConfirmed": false, "UserSub": sub});
    if settings
        .auto_verified_attributes
        .iter()
        .any(|a| a == "email")
        && rec.email().is_some()
    {
        out["CodeDeliveryDetails"] =
            send_code(shared, &mut inner, &rec, KIND_SIGN_UP, SIGN_UP_CODE_TTL);
    }
    shared.idp.changed(&inner);
    Ok(out)
}

/// The user for a confirmation/recovery op; with existence errors
/// prevented, an unknown user gets `simulated`.
fn user_for(shared: &Shared, inner: &Inner, username: &str) -> IdpResult<Option<UserRecord>> {
    match find_user(shared, inner, username) {
        Ok(u) => Ok(Some(u)),
        Err(e) if shared.seed.user_pool.prevents_existence_errors() => {
            let _ = e;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn confirm_sign_up(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_client(shared, req)?;
    let username = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    check_secret_hash(shared, req.opt_str("SecretHash")?.as_deref(), &[&username])?;
    let mut inner = shared.idp.lock();
    let Some(user) = user_for(shared, &inner, &username)? else {
        return Err(err(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ));
    };
    if user.status != Status::Unconfirmed {
        return Err(not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    take_code(shared, &mut inner, &user.username, KIND_SIGN_UP, &code)?;
    let now = shared.now();
    if let Some(u) = inner.users.get_mut(&user.username) {
        u.status = Status::Confirmed;
        u.attributes.insert("email_verified".into(), "true".into());
        u.modified = now;
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn resend_confirmation_code(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_client(shared, req)?;
    let username = req.str("Username")?;
    check_secret_hash(shared, req.opt_str("SecretHash")?.as_deref(), &[&username])?;
    let mut inner = shared.idp.lock();
    let Some(user) = user_for(shared, &inner, &username)? else {
        return Ok(json!({"CodeDeliveryDetails": delivery(&username)}));
    };
    if user.status != Status::Unconfirmed {
        return Err(invalid_parameter("User is already confirmed."));
    }
    if user.email().is_none() {
        return Err(invalid_parameter(
            "Cannot resend codes. Auto verification not turned on.",
        ));
    }
    let details = send_code(shared, &mut inner, &user, KIND_SIGN_UP, SIGN_UP_CODE_TTL);
    shared.idp.changed(&inner);
    Ok(json!({"CodeDeliveryDetails": details}))
}

pub fn forgot_password(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_client(shared, req)?;
    let username = req.str("Username")?;
    check_secret_hash(shared, req.opt_str("SecretHash")?.as_deref(), &[&username])?;
    let mut inner = shared.idp.lock();
    let Some(user) = user_for(shared, &inner, &username)? else {
        return Ok(json!({"CodeDeliveryDetails": delivery(&username)}));
    };
    if !user.enabled {
        return Err(not_authorized("User is disabled."));
    }
    if !user.email_verified() {
        return Err(invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    }
    let details = send_code(shared, &mut inner, &user, KIND_FORGOT, RESET_CODE_TTL);
    shared.idp.changed(&inner);
    Ok(json!({"CodeDeliveryDetails": details}))
}

pub fn confirm_forgot_password(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_client(shared, req)?;
    let username = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    let password = req.str("Password")?;
    check_len("Password", &password, 256, true)?;
    check_secret_hash(shared, req.opt_str("SecretHash")?.as_deref(), &[&username])?;
    let user = {
        let inner = shared.idp.lock();
        user_for(shared, &inner, &username)?
    };
    let Some(user) = user else {
        return Err(err(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ));
    };
    policy(shared, &password)?;
    let mut updated = user.clone();
    updated.set_password(&shared.idp.pool_name, &password);
    let mut inner = shared.idp.lock();
    take_code(shared, &mut inner, &user.username, KIND_FORGOT, &code)?;
    if let Some(u) = inner.users.get_mut(&user.username) {
        u.password = updated.password;
        if matches!(
            u.status,
            Status::ResetRequired | Status::ForceChangePassword
        ) {
            u.status = Status::Confirmed;
            u.temporary_password_expires = None;
        }
        u.modified = shared.now();
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn change_password(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("AccessToken")?;
    let proposed = req.str("ProposedPassword")?;
    let previous = req.opt_str("PreviousPassword")?;
    check_len("ProposedPassword", &proposed, 256, true)?;
    let user = tokens::access_user(shared, &token)?;
    let ok = previous
        .as_deref()
        .is_some_and(|p| shared.idp.password_matches(&user, p));
    if !ok {
        return Err(incorrect_credentials());
    }
    policy(shared, &proposed)?;
    let mut updated = user.clone();
    updated.set_password(&shared.idp.pool_name, &proposed);
    let mut inner = shared.idp.lock();
    if let Some(u) = inner.users.get_mut(&user.username) {
        u.password = updated.password;
        u.modified = shared.now();
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn update_user_attributes(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("AccessToken")?;
    let attrs = req
        .attributes("UserAttributes")?
        .ok_or_else(|| super::wire::missing("UserAttributes"))?;
    let user = tokens::access_user(shared, &token)?;
    let mut rec = user.clone();
    apply_attributes(&mut rec, &attrs, false)?;
    let email_changed = rec.email() != user.email();
    let mut inner = shared.idp.lock();
    if email_changed {
        let email = rec.email().unwrap_or_default().to_string();
        if inner.users.email_taken(&email, Some(&rec.username)) {
            return Err(err(
                "AliasExistsException",
                "An account with the given email already exists.",
            ));
        }
        rec.attributes
            .insert("email_verified".into(), "false".into());
    }
    rec.modified = shared.now();
    inner
        .users
        .by_name
        .insert(rec.username.clone(), rec.clone());
    let mut out = json!({});
    if email_changed
        && shared
            .seed
            .user_pool
            .auto_verified_attributes
            .iter()
            .any(|a| a == "email")
    {
        let d = send_code(shared, &mut inner, &rec, KIND_VERIFY, SIGN_UP_CODE_TTL);
        out["CodeDeliveryDetailsList"] = json!([d]);
    }
    shared.idp.changed(&inner);
    Ok(out)
}

pub fn verify_user_attribute(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let token = req.str("AccessToken")?;
    let name = req.str("AttributeName")?;
    let code = req.str("Code")?;
    let user = tokens::access_user(shared, &token)?;
    if name != "email" {
        return Err(invalid_parameter("Only email can be verified here"));
    }
    let mut inner = shared.idp.lock();
    take_code(shared, &mut inner, &user.username, KIND_VERIFY, &code)?;
    if let Some(u) = inner.users.get_mut(&user.username) {
        u.attributes.insert("email_verified".into(), "true".into());
        u.modified = shared.now();
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}
