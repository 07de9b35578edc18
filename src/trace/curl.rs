//! A trace step as a `curl` command that repeats it, with a placeholder
//! for every secret and a line saying where to get each.

use super::mask::{ACCESS_TOKEN, CODE, CODE_VERIFIER, ID_TOKEN, REFRESH_TOKEN};
use super::Step;

/// Where to get each placeholder's value.
const WHERE: [(&str, &str); 5] = [
    (ID_TOKEN, "the ID token: /profile, ID token, Show raw token"),
    (ACCESS_TOKEN, "the access token: /profile, Access token, Show raw token"),
    (
        REFRESH_TOKEN,
        "the refresh_token member of the stored session (key cognito-spa.session, in the storage tokenStorage names); the app never shows it",
    ),
    (
        CODE,
        "the code the hosted UI sent to /callback; it works once, within minutes, and the app redeems it at once, so take it from a sign-in the app does not finish",
    ),
    (
        CODE_VERIFIER,
        "the verifier of that sign-in: `verifier` in sessionStorage cognito-spa.pending, before /callback",
    ),
];

/// A shell word that stays as written.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The command, for a step the app sent with `fetch`; `None` for the
/// navigations and the verification, which a command cannot repeat.
pub fn command(step: &Step) -> Option<String> {
    if step.method.is_empty() || matches!(step.kind.as_str(), "authorize" | "callback" | "logout") {
        return None;
    }
    let mut curl = format!("curl -i {}", quoted(&step.url));
    // A value with a placeholder is double-quoted so the shell fills it in;
    // the placeholder text is the app's own, never anything received.
    let word = |text: String, replay: bool| {
        if replay {
            format!("\"{text}\"")
        } else {
            quoted(&text)
        }
    };
    for row in step.rows('h') {
        let replay = !row.replay.is_empty();
        let value = if replay { &row.replay } else { &row.value };
        curl += &format!(
            " \\\n  -H {}",
            word(format!("{}: {value}", row.name), replay)
        );
    }
    for row in step.rows('f') {
        let replay = !row.replay.is_empty();
        let value = if replay { &row.replay } else { &row.value };
        curl += &format!(
            " \\\n  --data-urlencode {}",
            word(format!("{}={value}", row.name), replay)
        );
    }
    let mut lines: Vec<String> = WHERE
        .iter()
        .filter(|(name, _)| curl.contains(&format!("${name}\"")))
        .map(|(name, from)| format!("# ${name}: {from}"))
        .collect();
    lines.push(curl);
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::super::Row;
    use super::*;

    fn step(kind: &str, method: &str, url: &str, rows: Vec<Row>) -> Step {
        Step {
            id: 1,
            kind: kind.into(),
            status: "200".into(),
            method: method.into(),
            url: url.into(),
            rows,
        }
    }

    #[test]
    fn a_refresh_replays_with_a_placeholder_and_says_where_to_get_it() {
        let refresh = step(
            "refresh",
            "POST",
            "http://127.0.0.1:4010/oauth2/token",
            vec![
                Row::new('h', "Content-Type", "application/x-www-form-urlencoded"),
                Row::param('f', "client_id", "client1"),
                Row::param('f', "grant_type", "refresh_token"),
                Row::param('f', "refresh_token", "the-secret"),
                Row::new('r', "content-type", "application/json"),
            ],
        );
        assert_eq!(
            command(&refresh).unwrap(),
            format!(
                "# $REFRESH_TOKEN: {}\ncurl -i 'http://127.0.0.1:4010/oauth2/token' \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  --data-urlencode 'client_id=client1' \\\n  --data-urlencode 'grant_type=refresh_token' \\\n  --data-urlencode \"refresh_token=$REFRESH_TOKEN\"",
                WHERE[2].1
            )
        );
    }

    #[test]
    fn a_bearer_call_puts_the_token_kind_in_the_header() {
        let mut header = Row::new('h', "Authorization", "Bearer eyJ.eyJ.[signature hidden]");
        header.replay = "Bearer $ACCESS_TOKEN".into();
        let call = step("userinfo", "GET", "http://h/oauth2/userInfo", vec![header]);
        let text = command(&call).unwrap();
        assert!(
            text.starts_with("# $ACCESS_TOKEN: the access token"),
            "{text}"
        );
        assert!(
            text.ends_with("curl -i 'http://h/oauth2/userInfo' \\\n  -H \"Authorization: Bearer $ACCESS_TOKEN\""),
            "{text}"
        );
        assert!(!text.contains("signature hidden"));
    }

    #[test]
    fn a_code_exchange_needs_the_code_and_its_verifier() {
        let exchange = step(
            "token",
            "POST",
            "http://h/oauth2/token",
            vec![
                Row::param('f', "code", "abcdefgh"),
                Row::param('f', "code_verifier", "verifier-secret"),
            ],
        );
        let text = command(&exchange).unwrap();
        assert!(
            text.contains("\"code=$CODE\"") && text.contains("\"code_verifier=$CODE_VERIFIER\""),
            "{text}"
        );
        assert!(
            text.contains("# $CODE: ") && text.contains("# $CODE_VERIFIER: "),
            "{text}"
        );
        assert!(!text.contains("abcd"), "{text}");
    }

    #[test]
    fn navigations_and_verification_have_no_command() {
        for kind in ["authorize", "callback", "logout"] {
            assert!(command(&step(kind, "GET", "http://h/x", Vec::new())).is_none());
        }
        assert!(command(&step("verify", "", "", Vec::new())).is_none());
    }

    #[test]
    fn single_quotes_in_values_stay_literal() {
        let post = step("revoke", "POST", "http://h/it's", Vec::new());
        assert_eq!(command(&post).unwrap(), r"curl -i 'http://h/it'\''s'");
    }
}
