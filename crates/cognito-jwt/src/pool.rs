//! Where a Cognito user pool's tokens and keys come from: the issuer URL,
//! the key set URL, and the shape of a user pool id (docs/protocol.md).
//!
//! The app's config.json, the Lambda authorizer's environment and devstack
//! all derive these from a region and a pool id, and must derive them alike.

/// Where an issuer publishes its key set, relative to the issuer URL.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The `iss` Cognito puts in the tokens of user pool `pool_id` in `region`.
pub fn issuer(region: &str, pool_id: &str) -> String {
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The key set URL of `issuer` (with or without a trailing slash).
pub fn jwks_uri(issuer: &str) -> String {
    format!("{}{JWKS_PATH}", issuer.trim_end_matches('/'))
}

/// Why a string is not a user pool id (of the expected region).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PoolIdError {
    #[error("expected a user pool id like eu-west-1_AbCdEf123, got {0:?}")]
    Malformed(String),
    #[error("expected a user pool id of region {expected:?}, got one of region {found:?}")]
    OtherRegion { expected: String, found: String },
}

/// A user pool id is `{region}_{alphanumerics}`. When `region` is known, the
/// id must belong to it: a mismatch is nearly always a copy-paste slip, and
/// would make every token fail the issuer check.
pub fn check_user_pool_id(pool_id: &str, region: Option<&str>) -> Result<(), PoolIdError> {
    let malformed = || PoolIdError::Malformed(pool_id.to_owned());
    let (pool_region, suffix) = pool_id.split_once('_').ok_or_else(malformed)?;
    if pool_region.is_empty()
        || suffix.is_empty()
        || !suffix.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(malformed());
    }
    match region {
        Some(region) if region != pool_region => Err(PoolIdError::OtherRegion {
            expected: region.to_owned(),
            found: pool_region.to_owned(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_and_key_set_of_a_pool() {
        let iss = issuer("eu-west-1", "eu-west-1_AbC123");
        assert_eq!(
            iss,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
        assert_eq!(
            jwks_uri(&iss),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"
        );
        assert_eq!(
            jwks_uri("https://issuer.example/"),
            "https://issuer.example/.well-known/jwks.json"
        );
    }

    #[test]
    fn pool_ids() {
        assert_eq!(
            check_user_pool_id("eu-west-1_AbC123", Some("eu-west-1")),
            Ok(())
        );
        assert_eq!(check_user_pool_id("eu-west-1_AbC123", None), Ok(()));
        for bad in [
            "",
            "eu-west-1",
            "eu-west-1_",
            "_AbC",
            "eu-west-1_Ab-C",
            "eu-west-1_Ab_C",
        ] {
            assert_eq!(
                check_user_pool_id(bad, None),
                Err(PoolIdError::Malformed(bad.into())),
                "{bad}"
            );
        }
        let other = check_user_pool_id("us-east-1_X", Some("eu-west-1")).unwrap_err();
        assert_eq!(
            other,
            PoolIdError::OtherRegion {
                expected: "eu-west-1".into(),
                found: "us-east-1".into()
            }
        );
        assert!(other.to_string().contains("us-east-1"), "{other}");
    }
}
