//! With `tokenStorage: "local"` every tab shares one token set, and with
//! refresh-token rotation a refresh token works once: so one tab refreshes
//! at a time (see `lock`), and a tab that waited looks at what is stored
//! before it spends the refresh token itself.

use super::tokens::TokenSet;

/// What the shared storage holds now, against the set a refresh started from.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// Still the set this tab started from: this tab refreshes.
    Unchanged,
    /// Another tab refreshed (or signed in) meanwhile: take its result.
    Replaced(TokenSet),
    /// Another tab signed out meanwhile: nothing may be written back.
    Gone,
}

pub fn compare(started_from: &TokenSet, stored: Option<TokenSet>) -> Stored {
    match stored {
        None => Stored::Gone,
        Some(set) if &set == started_from => Stored::Unchanged,
        Some(set) => Stored::Replaced(set),
    }
}

/// Where the Web Locks API is missing: a lease in localStorage, held by one
/// tab until `until_ms` (epoch milliseconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Lease {
    pub owner: String,
    pub until_ms: u64,
}

impl Lease {
    /// `until_ms/owner`: plain text with an integer, so the lease needs no
    /// JSON or float formatting code (both weigh kilobytes in the wasm).
    pub fn to_text(&self) -> String {
        format!("{}/{}", self.until_ms, self.owner)
    }

    pub fn parse(text: &str) -> Option<Lease> {
        let (until, owner) = text.split_once('/')?;
        Some(Lease {
            owner: owner.to_owned(),
            until_ms: until.parse().ok()?,
        })
    }
}

/// Whether tab `me` may take the lease at `now_ms`.
pub fn lease_free(current: Option<&Lease>, me: &str, now_ms: u64) -> bool {
    current.is_none_or(|lease| lease.owner == me || lease.until_ms < now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::secret::Secret;

    fn set(access: &str, refresh: &str) -> TokenSet {
        TokenSet {
            id_token: Secret::new(format!("id-{access}")),
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            flow: "code".into(),
        }
    }

    #[test]
    fn the_same_set_is_unchanged() {
        assert_eq!(
            compare(&set("a1", "r1"), Some(set("a1", "r1"))),
            Stored::Unchanged
        );
    }

    #[test]
    fn another_tabs_refresh_is_picked_up() {
        assert_eq!(
            compare(&set("a1", "r1"), Some(set("a2", "r2"))),
            Stored::Replaced(set("a2", "r2"))
        );
    }

    #[test]
    fn another_tabs_sign_out_leaves_nothing_to_write_back() {
        assert_eq!(compare(&set("a1", "r1"), None), Stored::Gone);
    }

    #[test]
    fn a_lease_reads_back_what_was_written() {
        let lease = Lease {
            owner: "tab-a".into(),
            until_ms: 1_700_000_000_123,
        };
        assert_eq!(Lease::parse(&lease.to_text()), Some(lease));
        assert_eq!(Lease::parse("garbage"), None);
        assert_eq!(Lease::parse("soon/tab-a"), None);
    }

    #[test]
    fn a_lease_is_free_when_absent_expired_or_ours() {
        let held = Lease {
            owner: "tab-b".into(),
            until_ms: 10_000,
        };
        assert!(lease_free(None, "tab-a", 0));
        assert!(!lease_free(Some(&held), "tab-a", 9_999));
        assert!(lease_free(Some(&held), "tab-a", 10_001));
        assert!(lease_free(Some(&held), "tab-b", 9_999));
    }
}
