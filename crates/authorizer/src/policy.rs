//! The scope → permission table and the method being called.

use serde::Deserialize;

/// One row of the table: a token holding `scope` is allowed the routes in
/// `allow` (`"VERB /path"`; `*` for any verb, a trailing `/*` for any
/// suffix; see [`Route`]). The default table is
/// `[{"scope":"books/read","allow":["GET /book"]}]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    pub scope: String,
    pub allow: Vec<String>,
}

/// The default table: the resource server's `books/read` may `GET /book`.
/// Not `email`: every user of the pool has that scope, so it authorizes
/// nobody in particular.
pub fn default_policy() -> Vec<PolicyRule> {
    vec![PolicyRule {
        scope: "books/read".into(),
        allow: vec!["GET /book".into()],
    }]
}

/// A route of the table that is not a [`Route`], by its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[{rule}].allow[{route}]: {reason}")]
pub struct RouteError {
    pub rule: usize,
    pub route: usize,
    pub reason: &'static str,
}

/// Every route of the table is a [`Route`]; the error names the first that
/// is not.
pub fn validate_policy(policy: &[PolicyRule]) -> Result<(), RouteError> {
    for (i, rule) in policy.iter().enumerate() {
        for (j, route) in rule.allow.iter().enumerate() {
            Route::parse(route).map_err(|reason| RouteError {
                rule: i,
                route: j,
                reason,
            })?;
        }
    }
    Ok(())
}

/// The method being invoked, e.g. `GET` `/book`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodCall<'a> {
    pub verb: &'a str,
    pub path: &'a str,
}

/// The verbs an API Gateway method ARN can carry, for a route's `*` verb:
/// in a policy, `*` would also match across `/` (`*/book` covers
/// `GET/a/book`), so each verb is listed instead.
const VERBS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// A route of the table, `VERB /path`, in the only forms whose live match
/// and IAM reading (in a cached policy) agree:
/// * the verb is `*` (any) or letters;
/// * the path starts with `/`, and ends in `/*` (itself and everything
///   below) or holds no `*` at all; `?` nowhere. A `*` or `?` anywhere else
///   is literal in the live match but a wildcard in the cached policy, so
///   the verdict would depend on which call came first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Upper case; `None` for any verb.
    verb: Option<String>,
    /// Without the trailing `/*` when `subtree`.
    path: String,
    subtree: bool,
}

impl Route {
    pub fn parse(route: &str) -> Result<Route, &'static str> {
        let (verb, path) = route
            .split_once(' ')
            .ok_or("expected `VERB /path`, with one space")?;
        let verb = match verb {
            "*" => None,
            v if !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(v.to_ascii_uppercase())
            }
            _ => return Err("expected the verb to be `*` or letters"),
        };
        if !path.starts_with('/') {
            return Err("expected the path to start with `/`");
        }
        if path
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err("expected no spaces or control characters in the path");
        }
        let (path, subtree) = match path.strip_suffix("/*") {
            Some(prefix) => (prefix, true),
            None => (path, false),
        };
        if path.contains(['*', '?']) {
            return Err(
                "a `*` or `?` inside a route is literal here but a wildcard in the cached policy",
            );
        }
        Ok(Route {
            verb,
            path: path.to_string(),
            subtree,
        })
    }

    pub fn matches(&self, method: MethodCall<'_>) -> bool {
        let verb_ok = self
            .verb
            .as_deref()
            .is_none_or(|v| v.eq_ignore_ascii_case(method.verb));
        let path_ok = if self.subtree {
            method.path == self.path
                || method
                    .path
                    .strip_prefix(self.path.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        } else {
            method.path == self.path
        };
        verb_ok && path_ok
    }

    /// The IAM resources that cover exactly the calls [`Route::matches`]
    /// lets through, under `stage_arn`.
    fn arns(&self, stage_arn: &str) -> Vec<String> {
        let verbs: Vec<&str> = match &self.verb {
            Some(v) => vec![v.as_str()],
            None => VERBS.to_vec(),
        };
        let mut arns = Vec::new();
        for verb in verbs {
            if self.subtree {
                // `/*` alone covers every path, the root `/` included.
                if !self.path.is_empty() {
                    arns.push(format!("{stage_arn}/{verb}{}", self.path));
                }
                arns.push(format!("{stage_arn}/{verb}{}/*", self.path));
            } else {
                arns.push(format!("{stage_arn}/{verb}{}", self.path));
            }
        }
        arns
    }
}

/// Does `route` (`"VERB /path"`) cover `method`? A malformed route covers
/// nothing.
pub fn route_matches(route: &str, method: MethodCall<'_>) -> bool {
    Route::parse(route).is_ok_and(|r| r.matches(method))
}

/// The routes of `policy` that `scopes` unlock, in table order, no repeats.
pub fn allowed_routes<'p>(policy: &'p [PolicyRule], scopes: &[&str]) -> Vec<&'p str> {
    let mut routes: Vec<&str> = Vec::new();
    for rule in policy.iter().filter(|r| scopes.contains(&r.scope.as_str())) {
        for route in &rule.allow {
            if !routes.contains(&route.as_str()) {
                routes.push(route);
            }
        }
    }
    routes
}

/// Does an IAM `Resource` pattern cover `arn`? As IAM reads it: `*` is any
/// run of characters (`/` included, or none), `?` any one character,
/// everything else itself. API Gateway reads a cached policy this way for
/// every later call with the same token.
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    let (p, a) = (pattern.as_bytes(), arn.as_bytes());
    // Iterative glob with one backtrack point: linear in practice and no
    // recursion, so a hostile pattern cannot blow the stack.
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ai));
                pi += 1;
            }
            Some(&c) if c == b'?' || c == a[ai] => {
                pi += 1;
                ai += 1;
            }
            _ => match star {
                Some((sp, sa)) => {
                    pi = sp + 1;
                    ai = sa + 1;
                    star = Some((sp, sa + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`,
/// split into the prefix that names the stage and the call itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodArn {
    /// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}`
    pub stage_arn: String,
    pub verb: String,
    /// With a leading `/`, e.g. `/book`.
    pub path: String,
}

impl MethodArn {
    /// `None` for anything that is not an execute-api method ARN, and for
    /// one holding `*` or `?` (a request path may): named in a policy it
    /// would be a wildcard, and a cached Deny of it would block other calls.
    pub fn parse(arn: &str) -> Option<MethodArn> {
        if arn.contains(['*', '?']) {
            return None;
        }
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [scheme, partition, service, region, account, resource] = parts.as_slice() else {
            return None;
        };
        if *scheme != "arn"
            || partition.is_empty()
            || *service != "execute-api"
            || region.is_empty()
            || account.is_empty()
        {
            return None;
        }
        let mut segments = resource.splitn(4, '/');
        let api_id = segments.next().filter(|s| !s.is_empty())?;
        let stage = segments.next().filter(|s| !s.is_empty())?;
        let verb = segments.next().filter(|s| !s.is_empty())?;
        let path = segments.next().unwrap_or("");
        Some(MethodArn {
            stage_arn: format!(
                "{scheme}:{partition}:{service}:{region}:{account}:{api_id}/{stage}"
            ),
            verb: verb.to_string(),
            path: format!("/{path}"),
        })
    }

    pub fn call(&self) -> MethodCall<'_> {
        MethodCall {
            verb: &self.verb,
            path: &self.path,
        }
    }

    /// The resources a route of the table stands for in this stage (none
    /// for a malformed route). API Gateway caches a policy per token and
    /// reuses it for every method, so a policy lists every route the scopes
    /// unlock, not just the one called, in a form IAM matching reads the
    /// way [`route_matches`] does.
    pub fn route_arns(&self, route: &str) -> Vec<String> {
        Route::parse(route).map_or_else(|_| Vec::new(), |r| r.arns(&self.stage_arn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET_BOOK: MethodCall<'static> = MethodCall {
        verb: "GET",
        path: "/book",
    };

    #[test]
    fn routes() {
        assert!(route_matches("GET /book", GET_BOOK));
        assert!(route_matches("get /book", GET_BOOK));
        assert!(route_matches("* /book", GET_BOOK));
        assert!(route_matches("GET /*", GET_BOOK));
        assert!(!route_matches("GET /bo/*", GET_BOOK));
        assert!(!route_matches("POST /book", GET_BOOK));
        assert!(!route_matches("GET /books", GET_BOOK));
        assert!(!route_matches("garbage", GET_BOOK));
    }

    #[test]
    fn arn_patterns_read_as_iam_reads_them() {
        let arn = "arn:aws:execute-api:eu-west-1:1:api/prod/GET/lambda/book";
        assert!(arn_matches(arn, arn));
        assert!(arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/*",
            arn
        ));
        assert!(arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/*/book",
            arn
        ));
        assert!(arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/GET/lambda/b??k",
            arn
        ));
        assert!(arn_matches("*", arn));
        assert!(!arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/GET/lambda",
            arn
        ));
        assert!(!arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/POST/*",
            arn
        ));
        assert!(!arn_matches(
            "arn:aws:execute-api:eu-west-1:1:api/prod/GET/lambda/book?",
            arn
        ));
        assert!(!arn_matches("", arn));
        assert!(arn_matches("", ""));
        // Many stars against a long near-miss: must stay fast.
        let long = "a".repeat(2000);
        assert!(!arn_matches(&format!("{}b", "*a".repeat(200)), &long));
    }

    /// API Gateway applies a cached Allow to every later call with the same
    /// token by IAM matching, so the resources listed for a route must cover
    /// exactly the calls the live decision lets through, or the verdict
    /// depends on which call came first.
    #[test]
    fn a_cached_policy_gives_the_live_verdict_for_every_call() {
        let stage = "arn:aws:execute-api:eu-west-1:1:api/prod";
        let arn = MethodArn::parse(&format!("{stage}/GET/book")).unwrap();
        let routes = [
            "GET /book",
            "get /book",
            "* /book",
            "GET /*",
            "GET /book/*",
            "POST /shelf/*",
        ];
        let calls = [
            ("GET", "/book"),
            ("POST", "/book"),
            ("DELETE", "/book"),
            ("GET", "/book/1"),
            ("GET", "/book/1/2"),
            ("GET", "/a/book"),
            ("GET", "/books"),
            ("POST", "/shelf"),
            ("POST", "/shelf/9"),
            ("GET", "/"),
        ];
        for route in routes {
            let patterns = arn.route_arns(route);
            assert!(!patterns.is_empty(), "{route}");
            for (verb, path) in calls {
                let call_arn = format!("{stage}/{verb}{path}");
                let live = route_matches(route, MethodCall { verb, path });
                let cached = patterns.iter().any(|p| arn_matches(p, &call_arn));
                assert_eq!(live, cached, "{route} for {verb} {path}: {patterns:?}");
            }
        }
    }

    #[test]
    fn allowed_routes_follow_the_scopes() {
        let policy = vec![
            PolicyRule {
                scope: "email".into(),
                allow: vec!["GET /book".into()],
            },
            PolicyRule {
                scope: "books/read".into(),
                allow: vec!["GET /book".into(), "GET /shelf".into()],
            },
        ];
        assert_eq!(
            allowed_routes(&policy, &["openid", "books/read", "email"]),
            ["GET /book", "GET /shelf"]
        );
        assert!(allowed_routes(&policy, &["openid"]).is_empty());
    }

    #[test]
    fn method_arns() {
        let arn = MethodArn::parse(
            "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/lambda/book",
        )
        .unwrap();
        assert_eq!(
            arn.stage_arn,
            "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod"
        );
        assert_eq!(
            arn.call(),
            MethodCall {
                verb: "GET",
                path: "/lambda/book"
            }
        );
        assert_eq!(
            arn.route_arns("get /lambda/book"),
            ["arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/lambda/book"]
        );
        assert!(arn.route_arns("GET book").is_empty());
        for bad in [
            "",
            "garbage",
            "arn:aws:s3:::bucket",
            "arn:aws:execute-api:eu-west-1:123:abc",
            "arn:aws:execute-api:eu-west-1:123:abc/prod",
            "arn:aws:execute-api::123:abc/prod/GET/book",
        ] {
            assert_eq!(MethodArn::parse(bad), None, "{bad}");
        }
    }
}
