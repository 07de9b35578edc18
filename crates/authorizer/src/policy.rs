//! The scope → permission table and the method being called.

use serde::Deserialize;

/// One row of the table: a token holding `scope` is allowed the routes in
/// `allow` (`"VERB /path"`; `*` for any verb, a trailing `/*` for any
/// suffix). The seed's table is `[{"scope":"email","allow":["GET /book"]}]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    pub scope: String,
    pub allow: Vec<String>,
}

/// The seed's table: scope `email` may `GET /book`.
pub fn default_policy() -> Vec<PolicyRule> {
    vec![PolicyRule {
        scope: "email".into(),
        allow: vec!["GET /book".into()],
    }]
}

/// The method being invoked, e.g. `GET` `/book`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodCall<'a> {
    pub verb: &'a str,
    pub path: &'a str,
}

/// Does `route` (`"VERB /path"`) cover `method`?
pub fn route_matches(route: &str, method: MethodCall<'_>) -> bool {
    let Some((verb, path)) = route.split_once(' ') else {
        return false;
    };
    let verb_ok = verb == "*" || verb.eq_ignore_ascii_case(method.verb);
    let path_ok = match path.strip_suffix("/*") {
        Some(prefix) => method.path == prefix || method.path.starts_with(&format!("{prefix}/")),
        None => path == method.path,
    };
    verb_ok && path_ok
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
    /// `None` for anything that is not an execute-api method ARN.
    pub fn parse(arn: &str) -> Option<MethodArn> {
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

    /// The ARN a route of the table stands for in this stage. API Gateway
    /// caches a policy per token and reuses it for every method, so an Allow
    /// lists every route the scopes unlock, not just the one called.
    pub fn route_arn(&self, route: &str) -> Option<String> {
        let (verb, path) = route.split_once(' ')?;
        let path = path.strip_prefix('/')?;
        Some(format!(
            "{}/{}/{}",
            self.stage_arn,
            verb.to_ascii_uppercase(),
            path
        ))
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
            arn.route_arn("get /lambda/book").as_deref(),
            Some("arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/lambda/book")
        );
        assert_eq!(arn.route_arn("GET book"), None);
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
