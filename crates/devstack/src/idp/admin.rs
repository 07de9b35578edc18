//! Admin operations (SigV4 on AWS; any well-formed signature here):
//! users, groups, ListUsers with its Filter, DescribeUserPool(Client).

use super::auth::{check_client, check_pool};
use super::signup::{apply_attributes, looks_like_email};
use super::users::{Status, UserRecord};
use super::wire::{
    check_len, err, invalid_parameter, not_authorized, user_not_found, IdpResult, Req,
};
use crate::ids;
use crate::state::Shared;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn user_json(u: &UserRecord, attributes_key: &str, only: Option<&[String]>) -> Value {
    let mut attrs = u.attribute_list();
    if let (Some(only), Some(list)) = (only, attrs.as_array_mut()) {
        list.retain(|a| only.iter().any(|n| a["Name"] == n.as_str()));
    }
    json!({
        "Username": u.username,
        attributes_key: attrs,
        "UserCreateDate": u.created,
        "UserLastModifiedDate": u.modified,
        "Enabled": u.enabled,
        "UserStatus": u.status.as_str(),
    })
}

/// The user an admin call names; unknown → UserNotFoundException (admin
/// calls are not covered by PreventUserExistenceErrors).
fn admin_user(shared: &Shared, req: &Req) -> IdpResult<UserRecord> {
    check_pool(shared, req)?;
    let username = req.str("Username")?;
    let inner = shared.idp.lock();
    inner
        .users
        .resolve(&username, shared.seed.user_pool.email_is_username())
        .and_then(|n| inner.users.get(&n).cloned())
        .ok_or_else(user_not_found)
}

fn known_groups(shared: &Shared) -> Vec<String> {
    let mut g: Vec<String> = shared.seed.user_pool.groups.clone();
    for u in &shared.seed.users {
        g.extend(u.groups.iter().cloned());
    }
    g.sort();
    g.dedup();
    g
}

fn temporary_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"!#%+-=^";
    let mut rng = rand::rngs::OsRng;
    let mut pick = |set: &[u8]| set[rng.gen_range(0..set.len())] as char;
    let mut s = String::new();
    for _ in 0..4 {
        s.push(pick(LOWER));
        s.push(pick(UPPER));
        s.push(pick(DIGITS));
        s.push(pick(SYMBOLS));
    }
    s
}

pub fn admin_create_user(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_pool(shared, req)?;
    let username = req.str("Username")?;
    check_len("Username", &username, 128, false)?;
    let attrs = req.attributes("UserAttributes")?.unwrap_or_default();
    let temp = req.opt_str("TemporaryPassword")?;
    let action = req.opt_str("MessageAction")?;
    if let Some(a) = &action {
        if a != "RESEND" && a != "SUPPRESS" {
            return Err(invalid_parameter(format!(
                "1 validation error detected: Value '{a}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]"
            )));
        }
    }
    let settings = &shared.seed.user_pool;
    let email_pool = settings.email_is_username();
    if email_pool && !looks_like_email(&username) {
        return Err(invalid_parameter("Username should be an email."));
    }
    let temp = match temp {
        Some(t) => {
            check_len("TemporaryPassword", &t, 256, true)?;
            if let Some(v) = settings.password_policy.violation(&t) {
                return Err(err("InvalidPasswordException", v));
            }
            t
        }
        None => temporary_password(),
    };
    let now = shared.now();
    let sub = ids::uuid_v4();
    let mut rec = UserRecord {
        username: if email_pool {
            sub.clone()
        } else {
            username.clone()
        },
        sub,
        attributes: Default::default(),
        groups: Vec::new(),
        status: Status::ForceChangePassword,
        enabled: true,
        password: None,
        created: now,
        modified: now,
        temporary_password_expires: Some(
            now + settings.password_policy.temporary_password_validity_days * 86_400,
        ),
        signed_out_at: None,
    };
    apply_attributes(&mut rec, &attrs, true)?;
    if email_pool {
        rec.attributes.insert("email".into(), username.clone());
    }
    rec.set_password(&shared.idp.pool_name, &temp);
    let mut inner = shared.idp.lock();
    let exists = if email_pool {
        inner.users.email_taken(&username, None)
    } else {
        inner.users.get(&username).is_some()
    };
    if exists && action.as_deref() != Some("RESEND") {
        return Err(err(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    if exists {
        // RESEND: a new temporary password for the existing user.
        let name = inner
            .users
            .resolve(&username, email_pool)
            .ok_or_else(user_not_found)?;
        let u = inner.users.get_mut(&name).ok_or_else(user_not_found)?;
        if u.status != Status::ForceChangePassword {
            return Err(err(
                "UnsupportedUserStateException",
                "User is not in FORCE_CHANGE_PASSWORD state",
            ));
        }
        u.password = rec.password;
        u.temporary_password_expires = rec.temporary_password_expires;
        u.modified = now;
        let out = json!({"User": user_json(u, "Attributes", None)});
        shared.idp.changed(&inner);
        return Ok(out);
    }
    inner
        .users
        .by_name
        .insert(rec.username.clone(), rec.clone());
    shared.idp.changed(&inner);
    Ok(json!({"User": user_json(&rec, "Attributes", None)}))
}

pub fn admin_get_user(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    Ok(user_json(&u, "UserAttributes", None))
}

pub fn admin_delete_user(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let mut inner = shared.idp.lock();
    inner.users.by_name.remove(&u.username);
    inner.deleted.insert(u.username.clone());
    inner.refresh.retain(|_, r| r.username != u.username);
    inner.codes.retain(|(name, _), _| name != &u.username);
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn admin_set_user_password(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let password = req.str("Password")?;
    check_len("Password", &password, 256, true)?;
    let permanent = req.opt_bool("Permanent")?.unwrap_or(false);
    if let Some(v) = shared.seed.user_pool.password_policy.violation(&password) {
        return Err(err("InvalidPasswordException", v));
    }
    let mut updated = u.clone();
    updated.set_password(&shared.idp.pool_name, &password);
    let now = shared.now();
    let mut inner = shared.idp.lock();
    let rec = inner
        .users
        .get_mut(&u.username)
        .ok_or_else(user_not_found)?;
    rec.password = updated.password;
    rec.modified = now;
    if permanent {
        rec.status = Status::Confirmed;
        rec.temporary_password_expires = None;
    } else {
        rec.status = Status::ForceChangePassword;
        rec.temporary_password_expires = Some(
            now + shared
                .seed
                .user_pool
                .password_policy
                .temporary_password_validity_days
                * 86_400,
        );
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn admin_confirm_sign_up(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    if u.status != Status::Unconfirmed {
        return Err(not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            u.status.as_str()
        )));
    }
    let mut inner = shared.idp.lock();
    if let Some(rec) = inner.users.get_mut(&u.username) {
        rec.status = Status::Confirmed;
        rec.modified = shared.now();
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

fn group_name(shared: &Shared, req: &Req) -> IdpResult<String> {
    let g = req.str("GroupName")?;
    check_len("GroupName", &g, 128, false)?;
    if !known_groups(shared).contains(&g) {
        return Err(err("ResourceNotFoundException", "Group not found."));
    }
    Ok(g)
}

pub fn admin_add_user_to_group(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let g = group_name(shared, req)?;
    let mut inner = shared.idp.lock();
    if let Some(rec) = inner.users.get_mut(&u.username) {
        if !rec.groups.contains(&g) {
            rec.groups.push(g);
            rec.modified = shared.now();
        }
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn admin_remove_user_from_group(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let g = group_name(shared, req)?;
    let mut inner = shared.idp.lock();
    if let Some(rec) = inner.users.get_mut(&u.username) {
        rec.groups.retain(|x| x != &g);
        rec.modified = shared.now();
    }
    shared.idp.changed(&inner);
    Ok(json!({}))
}

fn limit(req: &Req, max: i64) -> IdpResult<usize> {
    match req.opt_int("Limit")? {
        None => Ok(max as usize),
        Some(n) if (0..=max).contains(&n) => Ok(if n == 0 { max as usize } else { n as usize }),
        Some(n) => Err(invalid_parameter(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {max}"
        ))),
    }
}

/// `NextToken`/`PaginationToken`: an opaque offset.
fn offset(token: Option<String>) -> IdpResult<usize> {
    let Some(t) = token else { return Ok(0) };
    URL_SAFE_NO_PAD
        .decode(t.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| invalid_parameter("Invalid pagination token"))
}

fn token_for(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

pub fn admin_list_groups_for_user(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let limit = limit(req, 60)?;
    let start = offset(req.opt_str("NextToken")?)?;
    let mut groups = u.groups.clone();
    groups.sort();
    let page: Vec<Value> = groups
        .iter()
        .skip(start)
        .take(limit)
        .map(|g| {
            json!({"GroupName": g, "UserPoolId": shared.seed.pool.id,
                   "CreationDate": u.created, "LastModifiedDate": u.created})
        })
        .collect();
    let mut out = json!({"Groups": page});
    if start + limit < groups.len() {
        out["NextToken"] = token_for(start + limit).into();
    }
    Ok(out)
}

const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

struct Filter {
    attr: String,
    prefix: bool,
    value: String,
}

fn parse_filter(f: &str) -> IdpResult<Option<Filter>> {
    if f.trim().is_empty() {
        return Ok(None);
    }
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r#"^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$"#)
            .unwrap_or_else(|_| unreachable!())
    });
    let caps = re
        .captures(f)
        .ok_or_else(|| invalid_parameter("Error while parsing filter."))?;
    let attr = caps[1].to_string();
    if !SEARCHABLE.contains(&attr.as_str()) {
        return Err(invalid_parameter(format!(
            "Invalid search attribute: {attr}"
        )));
    }
    let value = caps[3].replace("\\\"", "\"").replace("\\\\", "\\");
    Ok(Some(Filter {
        attr,
        prefix: &caps[2] == "^=",
        value,
    }))
}

fn matches(f: &Filter, u: &UserRecord) -> bool {
    let (field, case_insensitive) = match f.attr.as_str() {
        "username" => (Some(u.username.clone()), false),
        "cognito:user_status" => (Some(u.status.as_str().to_string()), true),
        "status" => (
            Some(if u.enabled { "Enabled" } else { "Disabled" }.to_string()),
            true,
        ),
        other => (u.attr(other).map(String::from), false),
    };
    let Some(field) = field else { return false };
    let (field, value) = if case_insensitive {
        (field.to_lowercase(), f.value.to_lowercase())
    } else {
        (field, f.value.clone())
    };
    if f.prefix {
        field.starts_with(&value)
    } else {
        field == value
    }
}

pub fn list_users(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_pool(shared, req)?;
    let only = req.opt_str_list("AttributesToGet")?;
    let filter = req.opt_str("Filter")?.unwrap_or_default();
    if filter.chars().count() > 256 {
        return Err(invalid_parameter(
            "1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256",
        ));
    }
    let filter = parse_filter(&filter)?;
    let limit = limit(req, 60)?;
    let start = offset(req.opt_str("PaginationToken")?)?;
    let inner = shared.idp.lock();
    let all: Vec<&UserRecord> = inner
        .users
        .by_name
        .values()
        .filter(|u| filter.as_ref().is_none_or(|f| matches(f, u)))
        .collect();
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(limit)
        .map(|u| user_json(u, "Attributes", only.as_deref()))
        .collect();
    let mut out = json!({"Users": page});
    if start + limit < all.len() {
        out["PaginationToken"] = token_for(start + limit).into();
    }
    Ok(out)
}

pub fn admin_update_user_attributes(shared: &Shared, req: &Req) -> IdpResult<Value> {
    let u = admin_user(shared, req)?;
    let attrs = req
        .attributes("UserAttributes")?
        .ok_or_else(|| super::wire::missing("UserAttributes"))?;
    let mut rec = u.clone();
    apply_attributes(&mut rec, &attrs, true)?;
    let mut inner = shared.idp.lock();
    if rec.email() != u.email() {
        if let Some(e) = rec.email() {
            if inner.users.email_taken(e, Some(&rec.username)) {
                return Err(err(
                    "AliasExistsException",
                    "An account with the given email already exists.",
                ));
            }
        }
    }
    rec.modified = shared.now();
    inner.users.by_name.insert(rec.username.clone(), rec);
    shared.idp.changed(&inner);
    Ok(json!({}))
}

pub fn describe_user_pool(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_pool(shared, req)?;
    let seed = &shared.seed;
    let s = &seed.user_pool;
    let p = &s.password_policy;
    let count = shared.idp.lock().users.by_name.len();
    let mut pool = json!({
        "Id": seed.pool.id,
        "Name": shared.idp.pool_name,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", seed.pool.region, seed.pool.id),
        "Policies": {"PasswordPolicy": {
            "MinimumLength": p.minimum_length,
            "RequireUppercase": p.require_uppercase,
            "RequireLowercase": p.require_lowercase,
            "RequireNumbers": p.require_numbers,
            "RequireSymbols": p.require_symbols,
            "TemporaryPasswordValidityDays": p.temporary_password_validity_days,
        }},
        "AutoVerifiedAttributes": s.auto_verified_attributes,
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": s.allow_admin_create_user_only},
        "MfaConfiguration": "OFF",
        "EstimatedNumberOfUsers": count,
        "UsernameConfiguration": {"CaseSensitive": true},
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
        "DeletionProtection": "INACTIVE",
        "UserPoolTier": "ESSENTIALS",
    });
    if !s.username_attributes.is_empty() {
        pool["UsernameAttributes"] = json!(s.username_attributes);
    }
    Ok(json!({"UserPool": pool}))
}

pub fn describe_user_pool_client(shared: &Shared, req: &Req) -> IdpResult<Value> {
    check_pool(shared, req)?;
    check_client(shared, req)?;
    let seed = &shared.seed;
    let c = &seed.client;
    let s = &seed.user_pool;
    let flows: Vec<&str> = c
        .allowed_flows
        .iter()
        .map(|f| match f {
            crate::config::seed::Flow::Code => "code",
            crate::config::seed::Flow::Implicit => "implicit",
        })
        .collect();
    let mut client = json!({
        "UserPoolId": seed.pool.id,
        "ClientName": "devstack",
        "ClientId": c.client_id,
        "RefreshTokenValidity": seed.tokens.refresh_seconds / 60,
        "AccessTokenValidity": seed.tokens.access_seconds / 60,
        "IdTokenValidity": seed.tokens.id_seconds / 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"},
        "ExplicitAuthFlows": s.explicit_auth_flows,
        "SupportedIdentityProviders": ["COGNITO"],
        "CallbackURLs": c.callback_urls,
        "LogoutURLs": c.logout_urls,
        "AllowedOAuthFlows": flows,
        "AllowedOAuthScopes": c.allowed_scopes,
        "AllowedOAuthFlowsUserPoolClient": true,
        "PreventUserExistenceErrors": s.prevent_user_existence_errors,
        "EnableTokenRevocation": s.enable_token_revocation,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": s.auth_session_validity_minutes,
        "RefreshTokenRotation": {
            "Feature": if c.refresh_rotation { "ENABLED" } else { "DISABLED" },
            "RetryGracePeriodSeconds": c.refresh_rotation_grace_seconds,
        },
    });
    if let Some(secret) = &s.client_secret {
        client["ClientSecret"] = secret.clone().into();
    }
    Ok(json!({"UserPoolClient": client}))
}
