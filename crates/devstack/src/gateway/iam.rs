//! How API Gateway reads a Lambda authorizer's policy for one method ARN,
//! for the call that invoked it and for every later call it is cached for:
//! an explicit `Deny` that covers the ARN wins, then an `Allow` that covers
//! it; no statement covering it is a refusal of its own.

use authorizer::policy::arn_matches;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// 403 "… with an explicit deny".
    ExplicitDeny,
    /// 403 "User is not authorized to access this resource".
    NoMatch,
}

/// `None` when the output is not a usable policy (API Gateway: 500
/// `AuthorizerConfigurationException`).
pub fn evaluate(output: &Value, method_arn: &str) -> Option<Verdict> {
    let statements = match &output["policyDocument"]["Statement"] {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        one @ Value::Object(_) => vec![one],
        _ => return None,
    };
    let mut allowed = false;
    for statement in statements {
        let covers = strings(&statement["Action"])?
            .iter()
            .any(|a| arn_matches(a, "execute-api:Invoke"))
            && strings(&statement["Resource"])?
                .iter()
                .any(|r| arn_matches(r, method_arn));
        match statement["Effect"].as_str()? {
            "Deny" if covers => return Some(Verdict::ExplicitDeny),
            "Allow" => allowed |= covers,
            "Deny" => {}
            _ => return None,
        }
    }
    Some(if allowed {
        Verdict::Allow
    } else {
        Verdict::NoMatch
    })
}

/// A string or a list of strings, as IAM allows for Action and Resource.
fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:execute-api:us-east-1:1:api/prod/GET/book";

    fn policy(statements: Value) -> Value {
        json!({"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": statements}})
    }

    fn stmt(effect: &str, resource: Value) -> Value {
        json!({"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource})
    }

    #[test]
    fn deny_wins_then_allow_then_no_match() {
        let allow = stmt(
            "Allow",
            json!(["arn:aws:execute-api:us-east-1:1:api/prod/GET/*"]),
        );
        let deny = stmt("Deny", json!(ARN));
        assert_eq!(
            evaluate(&policy(json!([allow.clone()])), ARN),
            Some(Verdict::Allow)
        );
        assert_eq!(
            evaluate(&policy(json!([allow.clone(), deny])), ARN),
            Some(Verdict::ExplicitDeny)
        );
        let other = stmt(
            "Allow",
            json!("arn:aws:execute-api:us-east-1:1:api/prod/POST/book"),
        );
        assert_eq!(
            evaluate(&policy(json!([other])), ARN),
            Some(Verdict::NoMatch)
        );
        assert_eq!(evaluate(&policy(json!([])), ARN), Some(Verdict::NoMatch));
        assert_eq!(
            evaluate(&policy(allow), ARN),
            Some(Verdict::Allow),
            "one statement"
        );
        let wrong_action = json!({"Action": "s3:GetObject", "Effect": "Allow", "Resource": ARN});
        assert_eq!(
            evaluate(&policy(json!([wrong_action])), ARN),
            Some(Verdict::NoMatch)
        );
    }

    #[test]
    fn malformed_output_is_none() {
        for bad in [
            json!(null),
            json!({"policyDocument": null}),
            policy(json!("Allow")),
            policy(json!([{"Action": "execute-api:Invoke", "Effect": "Maybe", "Resource": ARN}])),
            policy(json!([{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": 5}])),
            policy(json!([{"Effect": "Allow", "Resource": ARN}])),
        ] {
            assert_eq!(evaluate(&bad, ARN), None, "{bad}");
        }
    }
}
