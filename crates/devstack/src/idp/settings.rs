//! The seed's `[user_pool]` section: what the user-pool JSON API needs to
//! know about the pool and its app client beyond the hosted-UI settings.
//! Every key has AWS's API default (not the console's), so an empty
//! section behaves like a pool created with `CreateUserPool` defaults.

use serde::Deserialize;

/// `ExplicitAuthFlows` values (the `ALLOW_*` set).
pub const AUTH_FLOWS: &[&str] = &[
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPoolSettings {
    /// `UsernameAttributes`: `[]` (a username is chosen) or `["email"]`
    /// (the email is the sign-in name; the stored username is a UUID = sub).
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// `AutoVerifiedAttributes`: `["email"]` sends a code on sign-up.
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    /// `AdminCreateUserConfig.AllowAdminCreateUserOnly` (SignUp refused).
    #[serde(default)]
    pub allow_admin_create_user_only: bool,
    #[serde(default)]
    pub password_policy: PasswordPolicy,
    /// The app client's `ExplicitAuthFlows`; unset means AWS's default
    /// (refresh, SRP and custom).
    #[serde(default = "default_flows")]
    pub explicit_auth_flows: Vec<String>,
    /// The app client's secret; when set, SECRET_HASH is required.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// `PreventUserExistenceErrors`: `LEGACY` (API default) or `ENABLED`.
    #[serde(default = "default_prevent")]
    pub prevent_user_existence_errors: String,
    /// `AuthSessionValidity` in minutes (3–15, default 3): how long a
    /// challenge (SRP, NEW_PASSWORD_REQUIRED) may be answered.
    #[serde(default = "default_session_minutes")]
    pub auth_session_validity_minutes: i64,
    /// `EnableTokenRevocation` (default true).
    #[serde(default = "default_true")]
    pub enable_token_revocation: bool,
    /// Groups that exist in the pool besides those the seed's users name.
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    #[serde(default = "default_min_length")]
    pub minimum_length: usize,
    #[serde(default = "default_true")]
    pub require_uppercase: bool,
    #[serde(default = "default_true")]
    pub require_lowercase: bool,
    #[serde(default = "default_true")]
    pub require_numbers: bool,
    #[serde(default = "default_true")]
    pub require_symbols: bool,
    #[serde(default = "default_temp_days")]
    pub temporary_password_validity_days: i64,
}

fn default_flows() -> Vec<String> {
    [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
    ]
    .map(String::from)
    .to_vec()
}
fn default_prevent() -> String {
    "LEGACY".into()
}
fn default_session_minutes() -> i64 {
    3
}
fn default_true() -> bool {
    true
}
fn default_min_length() -> usize {
    8
}
fn default_temp_days() -> i64 {
    7
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            minimum_length: default_min_length(),
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: default_temp_days(),
        }
    }
}

impl Default for UserPoolSettings {
    fn default() -> Self {
        Self {
            username_attributes: Vec::new(),
            auto_verified_attributes: Vec::new(),
            allow_admin_create_user_only: false,
            password_policy: PasswordPolicy::default(),
            explicit_auth_flows: default_flows(),
            client_secret: None,
            prevent_user_existence_errors: default_prevent(),
            auth_session_validity_minutes: default_session_minutes(),
            enable_token_revocation: true,
            groups: Vec::new(),
        }
    }
}

/// Symbols the password policy counts (space included).
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

impl PasswordPolicy {
    /// AWS's InvalidPasswordException text for the first rule `password`
    /// breaks, or `None` when it conforms.
    pub fn violation(&self, password: &str) -> Option<&'static str> {
        let chars = password.chars().count();
        if chars < self.minimum_length {
            return Some("Password did not conform with policy: Password not long enough");
        }
        if chars > 256 {
            return Some("Password did not conform with policy: Password is too long");
        }
        let has = |f: fn(char) -> bool| password.chars().any(f);
        if self.require_lowercase && !has(|c| c.is_ascii_lowercase()) {
            return Some(
                "Password did not conform with policy: Password must have lowercase characters",
            );
        }
        if self.require_uppercase && !has(|c| c.is_ascii_uppercase()) {
            return Some(
                "Password did not conform with policy: Password must have uppercase characters",
            );
        }
        if self.require_numbers && !has(|c| c.is_ascii_digit()) {
            return Some(
                "Password did not conform with policy: Password must have numeric characters",
            );
        }
        if self.require_symbols && !has(|c| SYMBOLS.contains(c)) {
            return Some(
                "Password did not conform with policy: Password must have symbol characters",
            );
        }
        None
    }
}

impl UserPoolSettings {
    pub fn flow_enabled(&self, flow: &str) -> bool {
        self.explicit_auth_flows.iter().any(|f| f == flow)
    }

    pub fn email_is_username(&self) -> bool {
        self.username_attributes.iter().any(|a| a == "email")
    }

    pub fn prevents_existence_errors(&self) -> bool {
        self.prevent_user_existence_errors == "ENABLED"
    }

    /// Checks the section; the error names the field.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let bad = |f: &str, m: String| Err((format!("user_pool.{f}"), m));
        for (i, a) in self.username_attributes.iter().enumerate() {
            if a != "email" {
                return bad(
                    &format!("username_attributes[{i}]"),
                    format!("`{a}`: only `email` is supported"),
                );
            }
        }
        for (i, a) in self.auto_verified_attributes.iter().enumerate() {
            if a != "email" {
                return bad(
                    &format!("auto_verified_attributes[{i}]"),
                    format!("`{a}`: only `email` is supported"),
                );
            }
        }
        for (i, f) in self.explicit_auth_flows.iter().enumerate() {
            if !AUTH_FLOWS.contains(&f.as_str()) {
                return bad(
                    &format!("explicit_auth_flows[{i}]"),
                    format!("`{f}` is not one of {}", AUTH_FLOWS.join(", ")),
                );
            }
        }
        if let Some(s) = &self.client_secret {
            if !(24..=64).contains(&s.len())
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
            {
                return bad(
                    "client_secret",
                    "must be 24–64 characters of [A-Za-z0-9_+]".into(),
                );
            }
        }
        if !["LEGACY", "ENABLED"].contains(&self.prevent_user_existence_errors.as_str()) {
            return bad(
                "prevent_user_existence_errors",
                "must be LEGACY or ENABLED".into(),
            );
        }
        if !(3..=15).contains(&self.auth_session_validity_minutes) {
            return bad("auth_session_validity_minutes", "must be 3..=15".into());
        }
        let p = &self.password_policy;
        if !(6..=99).contains(&p.minimum_length) {
            return bad("password_policy.minimum_length", "must be 6..=99".into());
        }
        if !(0..=365).contains(&p.temporary_password_validity_days) {
            return bad(
                "password_policy.temporary_password_validity_days",
                "must be 0..=365".into(),
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            if g.is_empty() || g.len() > 128 {
                return bad(&format!("groups[{i}]"), "must be 1–128 characters".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_messages() {
        let p = PasswordPolicy::default();
        assert_eq!(p.violation("Passw0rd!"), None);
        assert!(p.violation("Pw0!").unwrap().ends_with("not long enough"));
        assert!(p
            .violation("PASSW0RD!")
            .unwrap()
            .ends_with("lowercase characters"));
        assert!(p
            .violation("passw0rd!")
            .unwrap()
            .ends_with("uppercase characters"));
        assert!(p
            .violation("Password!")
            .unwrap()
            .ends_with("numeric characters"));
        assert!(p
            .violation("Passw0rdd")
            .unwrap()
            .ends_with("symbol characters"));
        assert_eq!(p.violation("Passw0rd d"), None, "space is a symbol");
    }
}
