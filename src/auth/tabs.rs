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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::secret::Secret;
    use crate::config::Flow;

    fn set(access: &str, refresh: &str) -> TokenSet {
        TokenSet {
            id_token: Secret::new(format!("id-{access}")),
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            flow: Flow::Code,
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
}
