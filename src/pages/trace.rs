//! `/trace`: the protocol trace of this tab, each step rendered by one
//! generic function into markup (`crate::trace` records them), with what
//! each parameter, header and check means from `trace-help.json` (fetched
//! when the page first opens, so that text is not in the wasm), and the
//! SDK way to the same tokens.
//!
//! The steps are drawn as one escaped HTML string and its buttons are
//! served by one delegated click handler: a view tree per step cost the
//! wasm about four times as much.

use std::cell::RefCell;
use std::fmt::Write;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::auth::use_auth;
use crate::config::{use_config, Config};
use crate::trace::curl::{aws_cli, boto3, command, Pool};
use crate::trace::mask::{ACCESS_TOKEN, ID_TOKEN};
use crate::trace::{self, Step};
use crate::web::clipboard::copy_text;
use crate::web::http::get_text;

/// The explanations, a file next to index.html.
const HELP_URL: &str = "/trace-help.json";

/// The tables of a step: the rows' tag, the caption, and the section of
/// the help file that explains their names.
const TABLES: [(char, &str, &str); 7] = [
    ('q', "Query parameters", "params"),
    ('g', "Fragment parameters", "params"),
    ('f', "Form parameters (the body)", "params"),
    ('h', "Request headers the app set", "headers"),
    ('r', "Response headers the page can read", "headers"),
    ('i', "ID token checks", "checks"),
    ('a', "Access token checks", "checks"),
];

thread_local! {
    /// The help file, fetched once per page load.
    static HELP: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// `None` while loading, `Ok` once the help file is in [`HELP`], or why
/// it is missing.
fn load_help(state: RwSignal<Option<Result<(), String>>>) {
    if HELP.with(|h| h.borrow().is_some()) {
        state.set(Some(Ok(())));
        return;
    }
    spawn_local(async move {
        let result = match get_text(HELP_URL, false, None).await {
            Ok((200, text)) => serde_json::from_str::<Value>(&text)
                .map(|help| HELP.with(|h| *h.borrow_mut() = Some(help)))
                .map_err(|e| e.to_string()),
            Ok((status, _)) => Err(format!("HTTP {status}")),
            Err(error) => Err(error),
        };
        state.try_set(Some(result));
    });
}

/// The text at `path` in the help file, if it says.
fn lookup(help: Option<&Value>, path: &[&str]) -> Option<String> {
    let mut at = help?;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str().map(str::to_owned)
}

/// Text for HTML: every character that could open markup or end an
/// attribute is escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One step as markup. `revealed` is the reveal button now open (`step
/// id.row index`) and the session's token it shows.
fn step_html(step: &Step, help: Option<&Value>, revealed: Option<(&str, &str)>) -> String {
    let kind = esc(&step.kind);
    let status = esc(&step.status);
    let title = lookup(help, &["steps", &step.kind, "title"]).unwrap_or_else(|| step.kind.clone());
    let badge = match step.status.as_str() {
        "ok" | "sent" => "ok",
        s if s.starts_with('2') => "ok",
        "pending" => "",
        _ => "bad",
    };
    let text = |tag: char| step.rows(tag).map(|r| esc(&r.value)).next();
    let mut out = format!(
        "<li class=\"card trace-step\" data-testid=\"trace-step\" data-step=\"{kind}\" data-status=\"{status}\"><h2><span>{}</span> <span class=\"badge {badge}\">{status}</span> <span class=\"mono muted\">{}</span></h2>",
        esc(&title),
        text('t').unwrap_or_default(),
    );
    if let Some(about) = lookup(help, &["steps", &step.kind, "about"]) {
        let _ = write!(out, "<p class=\"hint\">{}</p>", esc(&about));
    }
    if !step.method.is_empty() {
        let _ = write!(
            out,
            "<p class=\"mono request-line\">{} {}</p>",
            esc(&step.method),
            esc(&step.url)
        );
    }
    for (tag, caption, section) in TABLES {
        let mut rows = String::new();
        for (n, row) in step.rows.iter().enumerate().filter(|(_, r)| r.tag == tag) {
            let about =
                lookup(help, &[section, &row.name.to_ascii_lowercase()]).unwrap_or_default();
            let key = format!("{}.{n}", step.id);
            let reveal = [ID_TOKEN, ACCESS_TOKEN]
                .into_iter()
                .find(|name| row.replay.ends_with(&format!("${name}")))
                .map(|which| match revealed {
                    Some((open, token)) if open == key => format!(
                        " <button type=\"button\" class=\"reveal\" data-testid=\"trace-reveal\" data-reveal=\"{key}.{which}\">Hide</button><pre class=\"raw-token\">{}</pre>",
                        esc(token)
                    ),
                    _ => format!(" <button type=\"button\" class=\"reveal\" data-testid=\"trace-reveal\" data-reveal=\"{key}.{which}\">Reveal the session's token</button>"),
                })
                .unwrap_or_default();
            let name = esc(&row.name);
            let _ = write!(
                rows,
                "<tr data-name=\"{name}\"><th scope=\"row\"><code>{name}</code></th><td class=\"mono\">{}{reveal}</td><td class=\"about\">{}</td></tr>",
                esc(&row.value),
                esc(&about)
            );
        }
        if !rows.is_empty() {
            let _ = write!(out, "<div class=\"table-wrap\"><table class=\"trace-table\"><caption>{caption}</caption><tbody>{rows}</tbody></table></div>");
        }
    }
    if let Some(body) = text('b').filter(|b| !b.is_empty()) {
        let _ = write!(out, "<p class=\"label\">Body</p><pre>{body}</pre>");
    }
    if let Some(note) = text('n') {
        let _ = write!(out, "<p class=\"hint\">{note}</p>");
    }
    if let Some(curl) = command(step).map(|c| esc(&c)) {
        let _ = write!(out, "<div class=\"actions\"><button type=\"button\" data-testid=\"copy-curl\" data-curl=\"{curl}\">Copy as curl</button></div><details class=\"curl\"><summary>Show the command</summary><pre>{curl}</pre></details>");
    }
    out.push_str("</li>");
    out
}

#[component]
pub fn TracePage() -> impl IntoView {
    let auth = use_auth();
    let help = RwSignal::new(None::<Result<(), String>>);
    load_help(help);
    let copied = RwSignal::new(None::<Result<(), String>>);
    // The reveal open now: `step id.row index.TOKEN_KIND`.
    let revealed = RwSignal::new(None::<String>);
    let steps = move || {
        help.track();
        let open = revealed.get();
        // Read from the session on the click, shown, never kept.
        let token = open.as_deref().and_then(|key| {
            let session = auth.session()?;
            let tokens = &session.tokens;
            let raw = if key.ends_with(ID_TOKEN) {
                &tokens.id_token
            } else {
                &tokens.access_token
            };
            Some(raw.expose().to_owned())
        });
        let steps = trace::steps();
        if steps.is_empty() {
            return "<li class=\"muted\">Nothing yet in this tab: sign in, and every request of it shows here.</li>".to_owned();
        }
        HELP.with(|help| {
            let help = help.borrow();
            steps
                .iter()
                .map(|step| {
                    let shown = open
                        .as_deref()
                        .zip(token.as_deref())
                        .filter(|(key, _)| key.starts_with(&format!("{}.", step.id)));
                    let shown = shown.map(|(key, token)| {
                        (key.rsplit_once('.').map_or(key, |(row, _)| row), token)
                    });
                    step_html(step, help.as_ref(), shown)
                })
                .collect()
        })
    };
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Some(curl) = button.get_attribute("data-curl") {
            spawn_local(async move {
                copied.try_set(Some(copy_text(&curl).await));
            });
        } else if let Some(key) = button.get_attribute("data-reveal") {
            revealed.update(|open| {
                *open = (open.as_deref() != Some(key.as_str())).then_some(key);
            });
        }
    };
    let help_state = move || match help.get() {
        None => "loading",
        Some(Ok(())) => "loaded",
        Some(Err(_)) => "missing",
    };
    view! {
        <section class="page" data-testid="trace-page" data-help=help_state>
            <h1>"Protocol trace"</h1>
            <p class="lead">
                "Every request this tab sent and every answer it got for its last sign-in, and the refreshes, userInfo and /book calls, revocation and sign-out since, in order. "
                "Secrets are masked: codes, verifiers, state and nonce show 4 characters, tokens their header and payload, refresh tokens nothing."
            </p>
            {move || help.get().and_then(Result::err).map(|why| view! {
                <p class="notice warn" data-testid="trace-help-missing">
                    "The explanations (" {HELP_URL} ") could not be loaded (" {why} "): the steps are shown without them."
                </p>
            })}
            <p role="status" class="hint">
                {move || copied.get().map(|r| match r {
                    Ok(()) => "Copied. Set the $PLACEHOLDERS first.".to_owned(),
                    Err(e) => format!("Could not copy: {e}"),
                })}
            </p>
            <ol class="trace" data-testid="trace" inner_html=steps on:click=click></ol>
            <section class="card" inner_html=sdk_html(&use_config(), auth.session().map(|s| s.username()))></section>
        </section>
    }
}

/// The pool's region: `region`, else the user-pool id's prefix, else the
/// issuer's host (`cognito-idp.REGION.amazonaws.com`).
fn region(config: &Config) -> String {
    config
        .region
        .clone()
        .or_else(|| {
            Some(
                config
                    .user_pool_id
                    .as_deref()?
                    .split_once('_')?
                    .0
                    .to_owned(),
            )
        })
        .or_else(|| {
            let host = config.issuer.split('/').nth(2)?;
            Some(
                host.strip_prefix("cognito-idp.")?
                    .split('.')
                    .next()?
                    .to_owned(),
            )
        })
        .unwrap_or_else(|| "REGION".to_owned())
}

/// Whether the hosted UI is on this machine (devstack), which serves the
/// user-pool API on the same origin.
fn loopback(url: &str) -> bool {
    let host = url.split('/').nth(2).unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The same tokens without a browser: the user-pool API's InitiateAuth,
/// for this pool and app client.
fn sdk_html(config: &Config, username: Option<String>) -> String {
    let username = username.unwrap_or_else(|| "$USERNAME".to_owned());
    let region = region(config);
    let pool = Pool {
        client_id: &config.client_id,
        region: &region,
        endpoint: loopback(&config.domain).then_some(config.domain.as_str()),
        username: &username,
    };
    format!(
        "<h2>The SDK path</h2><p class=\"hint\">The same tokens without the hosted UI: the user-pool API's InitiateAuth with USER_PASSWORD_AUTH, for this pool and app client.</p><p class=\"label\">AWS CLI</p><pre data-testid=\"sdk-cli\">{}</pre><p class=\"label\">Python (boto3)</p><pre data-testid=\"sdk-boto3\">{}</pre>",
        esc(&aws_cli(&pool)),
        esc(&boto3(&pool))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Row;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            esc(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn a_step_is_drawn_from_its_rows_with_everything_received_escaped() {
        let step = Step {
            id: 3,
            kind: "book".into(),
            status: "200".into(),
            method: "GET".into(),
            url: "http://h/book".into(),
            rows: vec![
                Row {
                    tag: 'h',
                    name: "Authorization".into(),
                    value: "Bearer eyJ.eyJ.[signature hidden]".into(),
                    replay: "Bearer $ID_TOKEN".into(),
                },
                Row::new('b', "", "<script>alert(1)</script>"),
            ],
        };
        let help: Value = serde_json::from_str(
            r#"{"steps":{"book":{"title":"GET /book"}},"headers":{"authorization":"the bearer"}}"#,
        )
        .unwrap();
        let html = step_html(&step, Some(&help), None);
        assert!(html.starts_with("<li class=\"card trace-step\" data-testid=\"trace-step\" data-step=\"book\" data-status=\"200\">"), "{html}");
        assert!(html.contains("<span>GET /book</span>"), "{html}");
        assert!(
            html.contains("<td class=\"about\">the bearer</td>"),
            "{html}"
        );
        assert!(html.contains("data-reveal=\"3.0.ID_TOKEN\""), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("data-testid=\"copy-curl\" data-curl=\"# $ID_TOKEN"),
            "{html}"
        );
        let open = step_html(&step, None, Some(("3.0", "the.raw.token")));
        assert!(
            open.contains("<pre class=\"raw-token\">the.raw.token</pre>"),
            "{open}"
        );
        assert!(open.contains("<span>book</span>"), "without help, the kind");
    }
}
