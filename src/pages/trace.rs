//! `/trace`: the protocol trace of this tab, each step rendered by one
//! generic function into markup (`crate::trace` records them), with what
//! each parameter, header and check means from `trace-help.json` (fetched
//! when the page first opens, so that text is not in the wasm), and the
//! SDK way to the same tokens.
//!
//! The page is drawn as one escaped HTML string whose buttons are served
//! by one delegated click handler: a view tree with its reactive pieces
//! cost the wasm several kilobytes more.

use std::cell::RefCell;
use std::fmt::Write;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::auth::use_auth;
use crate::config::{use_config, Config};
use crate::trace::curl::command;
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

crate::chunks::split_view!(
    trace,
    pub fn trace_page() {
        view! { <TracePage /> }.into_any()
    }
);

#[component]
fn TracePage() -> impl IntoView {
    let auth = use_auth();
    let config = use_config();
    let help = RwSignal::new(None::<Result<(), String>>);
    load_help(help);
    let copied = RwSignal::new(None::<Result<(), String>>);
    // The reveal open now: `step id.row index.TOKEN_KIND`.
    let revealed = RwSignal::new(None::<String>);
    // The whole page is one string of markup: each reactive piece of a
    // view costs the wasm its own code, one string costs it once.
    let page = move || {
        let state = help.get();
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
        HELP.with(|help| {
            let help = help.borrow();
            let help = help.as_ref();
            let (data_help, notice) = match &state {
                None => ("loading", String::new()),
                Some(Ok(())) => ("loaded", String::new()),
                Some(Err(why)) => ("missing", format!(
                    "<p class=\"notice warn\" data-testid=\"trace-help-missing\">The explanations ({HELP_URL}) could not be loaded ({}): the steps are shown without them.</p>",
                    esc(why)
                )),
            };
            let mut out = format!(
                "<div data-testid=\"trace-page\" data-help=\"{data_help}\"><h1>Protocol trace</h1><p class=\"lead\">{}</p>{notice}<p role=\"status\" class=\"hint\">{}</p><ol class=\"trace\" data-testid=\"trace\">",
                esc(&lookup(help, &["page", "about"]).unwrap_or_default()),
                match &copied.get() {
                    Some(Ok(())) => "Copied. Set the $PLACEHOLDERS first.".to_owned(),
                    Some(Err(e)) => esc(&format!("Could not copy: {e}")),
                    None => String::new(),
                }
            );
            if steps.is_empty() {
                out.push_str("<li class=\"muted\">Nothing yet in this tab: sign in, and every request of it shows here.</li>");
            }
            for step in &steps {
                let shown = open
                    .as_deref()
                    .zip(token.as_deref())
                    .filter(|(key, _)| key.starts_with(&format!("{}.", step.id)))
                    .map(|(key, token)| (key.rsplit_once('.').map_or(key, |(row, _)| row), token));
                out += &step_html(step, help, shown);
            }
            out.push_str("</ol>");
            out += &sdk_html(help, &config);
            out.push_str("</div>");
            out
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
    view! { <section class="page" inner_html=page on:click=click></section> }
}

/// Whether the hosted UI is on this machine (devstack), which serves the
/// user-pool API on the same origin.
fn loopback(url: &str) -> bool {
    let host = url.split('/').nth(2).unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// The same tokens without a browser: the help file's SDK commands, filled
/// with this pool's values (`{clientId}`, `{region}`, `{domain}`, and the
/// `sdk.loopback` pieces, which name devstack's endpoint, only when the
/// hosted UI is on loopback).
fn sdk_html(help: Option<&Value>, config: &Config) -> String {
    let Some(sdk) = help.and_then(|h| h.get("sdk")) else {
        return String::new();
    };
    let text = |key: &str| esc(sdk.get(key).and_then(Value::as_str).unwrap_or_default());
    let mut out = format!(
        "<section class=\"card\"><h2>{}</h2><p class=\"hint\">{}</p>",
        text("title"),
        text("about")
    );
    let region = config.region.clone().unwrap_or_else(|| {
        // Else the user-pool id's prefix, as in `eu-west-1_AbCdEf123`.
        let id = config.user_pool_id.as_deref().unwrap_or("REGION_x");
        id.split('_').next().unwrap_or_default().to_owned()
    });
    let commands = sdk.get("commands").and_then(Value::as_array);
    for command in commands.into_iter().flatten() {
        let field = |key: &str| command.get(key).and_then(Value::as_str).unwrap_or_default();
        let mut filled = field("text").to_owned();
        if let Some(pieces) = sdk.get("loopback").and_then(Value::as_object) {
            let local = loopback(&config.domain);
            for (placeholder, piece) in pieces {
                let piece = if local {
                    piece.as_str().unwrap_or_default()
                } else {
                    ""
                };
                filled = filled.replace(placeholder.as_str(), piece);
            }
        }
        let filled = filled
            .replace("{domain}", &config.domain)
            .replace("{clientId}", &config.client_id)
            .replace("{region}", &region);
        let _ = write!(
            out,
            "<p class=\"label\">{}</p><pre data-testid=\"{}\">{}</pre>",
            esc(field("title")),
            esc(field("id")),
            esc(&filled)
        );
    }
    out.push_str("</section>");
    out
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

    #[test]
    fn the_sdk_commands_get_this_pool_s_values_and_devstack_s_endpoint() {
        let help: Value =
            serde_json::from_str(include_str!("../../public/trace-help.json")).unwrap();
        let config = |domain: &str| {
            Config::from_json(
                &format!(r#"{{"clientId":"client1","domain":"{domain}","region":"eu-west-1","userPoolId":"eu-west-1_Abc"}}"#),
                "http://localhost:8080",
            )
            .unwrap()
        };
        let local = sdk_html(Some(&help), &config("http://127.0.0.1:4010"));
        assert!(local.contains("aws cognito-idp initiate-auth --region &#39;eu-west-1&#39; --endpoint-url &#39;http://127.0.0.1:4010&#39;"), "{local}");
        assert!(
            local.contains("--auth-flow USER_PASSWORD_AUTH --client-id &#39;client1&#39;"),
            "{local}"
        );
        assert!(
            local.contains(
                "region_name=&quot;eu-west-1&quot;, endpoint_url=&quot;http://127.0.0.1:4010&quot;"
            ),
            "{local}"
        );
        assert!(local.contains("ClientId=&quot;client1&quot;"), "{local}");
        let aws = sdk_html(
            Some(&help),
            &config("https://p.auth.eu-west-1.amazoncognito.com"),
        );
        assert!(!aws.contains("endpoint"), "{aws}");
        for placeholder in ["{region}", "{clientId}", "{domain}", "{endpoint"] {
            assert!(!aws.contains(placeholder), "{placeholder} is filled: {aws}");
        }
        assert_eq!(sdk_html(None, &config("http://127.0.0.1:4010")), "");
    }
}
