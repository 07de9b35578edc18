//! The user-pool's users: attributes, groups, status, and an SRP salt and
//! verifier instead of a password. Seed users are converted at load.

use crate::config::seed::{Seed, User as SeedUser};
use crate::srp::{self, Verifier};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    ResetRequired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unconfirmed => "UNCONFIRMED",
            Status::Confirmed => "CONFIRMED",
            Status::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Status::ResetRequired => "RESET_REQUIRED",
        }
    }
}

/// A salt and verifier as stored on disk: lowercase hex.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredVerifier {
    salt: String,
    verifier: String,
}

impl std::fmt::Debug for StoredVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredVerifier(<redacted>)")
    }
}

impl StoredVerifier {
    pub fn from_verifier(v: &Verifier) -> Self {
        Self {
            salt: srp::to_hex(&v.salt),
            verifier: srp::to_hex(&v.v),
        }
    }

    /// The salt as stored (lowercase hex); it changes with every password.
    pub fn salt_hex(&self) -> &str {
        &self.salt
    }

    pub fn verifier(&self) -> Option<Verifier> {
        Some(Verifier {
            salt: BigUint::parse_bytes(self.salt.as_bytes(), 16)?,
            v: BigUint::parse_bytes(self.verifier.as_bytes(), 16)?,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// The internal username (a UUID equal to `sub` in email-as-username pools).
    pub username: String,
    pub sub: String,
    /// Every attribute but `sub`, as strings (`email_verified` = "true").
    pub attributes: BTreeMap<String, String>,
    pub groups: Vec<String>,
    pub status: Status,
    pub enabled: bool,
    pub password: Option<StoredVerifier>,
    pub created: i64,
    pub modified: i64,
    /// A temporary password (FORCE_CHANGE_PASSWORD) stops working then.
    #[serde(default)]
    pub temporary_password_expires: Option<i64>,
    /// GlobalSignOut: tokens issued at or before this are revoked.
    #[serde(default)]
    pub signed_out_at: Option<i64>,
}

impl UserRecord {
    pub fn attr(&self, name: &str) -> Option<&str> {
        if name == "sub" {
            return Some(&self.sub);
        }
        self.attributes.get(name).map(String::as_str)
    }

    pub fn email(&self) -> Option<&str> {
        self.attr("email")
    }

    pub fn email_verified(&self) -> bool {
        self.attr("email_verified") == Some("true")
    }

    /// `[{Name, Value}]` with `sub` first, as AWS lists them.
    pub fn attribute_list(&self) -> serde_json::Value {
        let mut list = vec![serde_json::json!({"Name": "sub", "Value": self.sub})];
        for (k, v) in &self.attributes {
            list.push(serde_json::json!({"Name": k, "Value": v}));
        }
        serde_json::Value::Array(list)
    }

    pub fn set_password(&mut self, pool_name: &str, password: &str) {
        self.password = Some(StoredVerifier::from_verifier(&Verifier::new(
            pool_name,
            &self.username,
            password,
        )));
    }

    /// Checks `password` against the verifier (about a millisecond: one
    /// 3072-bit exponentiation). Users without a password never match.
    pub fn password_matches(&self, pool_name: &str, password: &str) -> bool {
        self.password
            .as_ref()
            .and_then(StoredVerifier::verifier)
            .is_some_and(|v| v.matches(pool_name, &self.username, password))
    }
}

/// The seed user as a record: the password becomes a verifier here.
pub fn from_seed(seed: &Seed, u: &SeedUser, now: i64) -> UserRecord {
    let email_pool = seed.user_pool.email_is_username();
    let username = if email_pool {
        u.sub.clone()
    } else {
        u.username.clone()
    };
    let mut attributes = BTreeMap::new();
    attributes.insert("email".to_string(), u.email.clone());
    attributes.insert("email_verified".to_string(), u.email_verified.to_string());
    for (k, v) in [
        ("name", &u.name),
        ("given_name", &u.given_name),
        ("family_name", &u.family_name),
    ] {
        if let Some(v) = v {
            attributes.insert(k.to_string(), v.clone());
        }
    }
    let mut rec = UserRecord {
        username,
        sub: u.sub.clone(),
        attributes,
        groups: u.groups.clone(),
        status: Status::Confirmed,
        enabled: true,
        password: None,
        created: now,
        modified: now,
        temporary_password_expires: None,
        signed_out_at: None,
    };
    rec.set_password(srp::pool_name(&seed.pool.id), &u.password);
    rec
}

/// Users keyed by internal username.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Users {
    pub by_name: BTreeMap<String, UserRecord>,
}

impl Users {
    /// The internal username `ident` names: the username itself, or (in
    /// email-as-username pools) the email, case-insensitively, or the sub.
    pub fn resolve(&self, ident: &str, email_pool: bool) -> Option<String> {
        if self.by_name.contains_key(ident) {
            return Some(ident.to_string());
        }
        if email_pool {
            let lower = ident.to_lowercase();
            return self
                .by_name
                .values()
                .find(|u| u.email().is_some_and(|e| e.to_lowercase() == lower) || u.sub == ident)
                .map(|u| u.username.clone());
        }
        None
    }

    pub fn get(&self, username: &str) -> Option<&UserRecord> {
        self.by_name.get(username)
    }

    pub fn get_mut(&mut self, username: &str) -> Option<&mut UserRecord> {
        self.by_name.get_mut(username)
    }

    pub fn email_taken(&self, email: &str, except: Option<&str>) -> bool {
        let lower = email.to_lowercase();
        self.by_name.values().any(|u| {
            Some(u.username.as_str()) != except
                && u.email().is_some_and(|e| e.to_lowercase() == lower)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_passwords_become_verifiers() {
        let seed = Seed::builtin();
        let demo = from_seed(&seed, &seed.users[0], 0);
        assert_eq!(demo.username, "demo");
        assert!(demo.password_matches("DevStack1", "Passw0rd!"));
        assert!(!demo.password_matches("DevStack1", "Passw0rd"));
        let json = serde_json::to_string(&demo).unwrap();
        assert!(!json.contains("Passw0rd"), "{json}");
        assert!(!format!("{demo:?}").contains("Passw0rd"));
    }

    #[test]
    fn email_pools_use_the_sub() {
        let mut seed = Seed::builtin();
        seed.user_pool.username_attributes = vec!["email".into()];
        let rec = from_seed(&seed, &seed.users[0], 0);
        assert_eq!(rec.username, rec.sub);
        let mut users = Users::default();
        users.by_name.insert(rec.username.clone(), rec.clone());
        assert_eq!(
            users.resolve("DEMO@example.com", true).as_deref(),
            Some(rec.sub.as_str())
        );
        assert_eq!(users.resolve("demo", true), None);
    }
}
