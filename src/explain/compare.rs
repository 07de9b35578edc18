//! ID token vs access token: which claims each one carries, and which one
//! the `/book` endpoint needs under each kind of authorizer, and why.

use cognito_jwt::TokenUse;
use serde_json::{Map, Value};

/// One claim name and whether each token has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    pub name: String,
    pub in_id: bool,
    pub in_access: bool,
}

/// Every claim name of either token: the shared ones first, then the ID
/// token's own, then the access token's own; by name within each group.
pub fn presence(id: &Map<String, Value>, access: &Map<String, Value>) -> Vec<Presence> {
    let mut rows: Vec<Presence> = id
        .keys()
        .chain(access.keys().filter(|k| !id.contains_key(*k)))
        .map(|name| Presence {
            name: name.clone(),
            in_id: id.contains_key(name),
            in_access: access.contains_key(name),
        })
        .collect();
    rows.sort_by_key(|p| {
        let group = match (p.in_id, p.in_access) {
            (true, true) => 0,
            (true, false) => 1,
            _ => 2,
        };
        (group, p.name.clone())
    });
    rows
}

/// Which token `GET /book` needs under one kind of authorizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    pub authorizer: &'static str,
    /// The token to choose in the `book-token` select.
    pub token: TokenUse,
    pub why: &'static str,
}

/// The three authorizers of the demo API (docs/protocol.md, "What API Gateway answers the browser").
pub const BOOK_NEEDS: [Need; 3] = [
    Need {
        authorizer: "Cognito user pool authorizer, no OAuth scopes on the method",
        token: TokenUse::Id,
        why: "Without method scopes API Gateway treats the token as an ID token and checks its aud against the app client: an access token has no aud, so it gets a 401.",
    },
    Need {
        authorizer: "Cognito user pool authorizer with OAuth scopes (e.g. books/read)",
        token: TokenUse::Access,
        why: "With method scopes only an access token sharing at least one scope passes; an ID token has no scope claim, so it gets a 401.",
    },
    Need {
        authorizer: "Lambda TOKEN authorizer (this demo's: scope email allows GET /book)",
        token: TokenUse::Access,
        why: "The Lambda verifies the access token itself and turns its scopes into an IAM policy: a valid token without the scope gets an explicit deny, a 403; a bad or missing token a 401.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_claims_come_first_then_each_tokens_own() {
        let id = json!({"sub": "u", "aud": "c", "exp": 1, "cognito:username": "demo"});
        let access = json!({"sub": "u", "client_id": "c", "exp": 1, "scope": "openid"});
        let rows = presence(id.as_object().unwrap(), access.as_object().unwrap());
        let summary: Vec<_> = rows
            .iter()
            .map(|p| (p.name.as_str(), p.in_id, p.in_access))
            .collect();
        assert_eq!(
            summary,
            [
                ("exp", true, true),
                ("sub", true, true),
                ("aud", true, false),
                ("cognito:username", true, false),
                ("client_id", false, true),
                ("scope", false, true),
            ]
        );
    }

    #[test]
    fn book_needs_the_id_token_only_without_scopes() {
        let tokens: Vec<_> = BOOK_NEEDS.iter().map(|n| n.token).collect();
        assert_eq!(tokens, [TokenUse::Id, TokenUse::Access, TokenUse::Access]);
        assert!(BOOK_NEEDS.iter().all(|n| !n.why.is_empty()));
    }
}
