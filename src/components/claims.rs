//! One token for people: its header, a live expiry countdown, every claim
//! (`<tr data-claim=NAME>`) rendered by kind, and the raw token on request.

use cognito_jwt::{TokenUse, UnverifiedToken};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::explain::claims::{rows, yes_no, Shown};
use crate::explain::time::{claim_relative, countdown, life_used_percent};
use crate::web::clipboard::copy_text;
use crate::web::clock::local_date;

/// `alg`, `kid` and `typ`, with the live countdown to `exp`.
#[component]
pub fn TokenHeader(token: UnverifiedToken, now: ReadSignal<i64>) -> impl IntoView {
    let header = token.header().clone();
    let (iat, exp) = (token.iat(), token.exp());
    view! {
        <dl class="facts">
            <div><dt>"alg"</dt><dd class="mono" data-header="alg">{header.alg.clone()}</dd></div>
            <div><dt>"kid"</dt><dd class="mono" data-header="kid">{header.kid.clone().unwrap_or_else(|| "(none)".into())}</dd></div>
            {header.typ.clone().map(|typ| view! { <div><dt>"typ"</dt><dd class="mono">{typ}</dd></div> })}
        </dl>
        {exp.map(|exp| {
            let left = move || countdown(exp, now.get());
            let expired = move || now.get() >= exp;
            let used = move || iat.map(|iat| life_used_percent(iat, exp, now.get())).unwrap_or(0);
            view! {
                <div class="countdown" class:expired=expired>
                    <span>"Expires in "</span>
                    <strong class="mono" data-countdown="">{left}</strong>
                    <span class="muted">" (" {local_date(exp)} ")"</span>
                    <div class="life" aria-hidden="true"><span style:width=move || format!("{}%", used())></span></div>
                </div>
            }
        })}
    }
}

/// Every claim, one row each, shown by kind; what each known claim means
/// is added to its row from `explain.json` (`explain::texts`).
#[component]
pub fn ClaimsTable(
    token: UnverifiedToken,
    testid: &'static str,
    caption: &'static str,
    now: ReadSignal<i64>,
) -> impl IntoView {
    let rows = rows(token.claims(), now.get_untracked())
        .into_iter()
        .map(|row| {
            let name = row.name.clone();
            let kind = row.shown.kind();
            let value = match row.shown {
                Shown::Time { epoch, .. } => {
                    let name = name.clone();
                    view! {
                        <span class="time">
                            <span>{local_date(epoch)}</span>
                            <span class="rel">{move || claim_relative(&name, epoch, now.get())}</span>
                            <span class="epoch mono">{epoch}</span>
                        </span>
                    }
                    .into_any()
                }
                Shown::List(items) if items.is_empty() => {
                    view! { <span class="muted">"(empty)"</span> }.into_any()
                }
                Shown::List(items) => view! {
                    <ul class="chips">
                        {items.into_iter().map(|item| view! { <li class="mono">{item}</li> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Shown::Bool { value, from_string } => view! {
                    <span class=if value { "badge ok" } else { "badge bad" }>{yes_no(value, from_string)}</span>
                }
                .into_any(),
                Shown::Text(text) => view! { <span class="mono">{text}</span> }.into_any(),
                Shown::Json(json) => view! { <code class="json">{json}</code> }.into_any(),
            };
            let attr = name.clone();
            view! {
                <tr data-claim=attr data-kind=kind>
                    <th scope="row">
                        <code>{name}</code>
                    </th>
                    <td>{value}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table data-testid=testid class="claims">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The compact token, hidden until asked for, with a copy button.
#[component]
pub fn RawToken(raw: String, which: TokenUse) -> impl IntoView {
    let shown = RwSignal::new(false);
    let copied = RwSignal::new(None::<Result<(), String>>);
    let raw = StoredValue::new(raw);
    let copy = move |_| {
        let text = raw.get_value();
        spawn_local(async move {
            copied.try_set(Some(copy_text(&text).await));
        });
    };
    let parts = move || {
        let text = raw.get_value();
        let mut pieces = text.splitn(3, '.');
        let header = pieces.next().unwrap_or_default().to_owned();
        let payload = pieces.next().unwrap_or_default().to_owned();
        let signature = pieces.next().unwrap_or_default().to_owned();
        view! {
            <pre class="raw-token" data-testid=format!("raw-{}", which.as_str())><span class="jwt-h">{header}</span>"."<span class="jwt-p">{payload}</span>"."<span class="jwt-s">{signature}</span></pre>
        }
    };
    view! {
        <div class="raw">
            <div class="actions">
                <button type="button" aria-expanded=move || shown.get().to_string()
                    on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "Hide raw token" } else { "Show raw token" }}
                </button>
                <button type="button" on:click=copy>"Copy"</button>
                <span role="status" class="hint">
                    {move || copied.get().map(|r| match r {
                        Ok(()) => "Copied to the clipboard. It is a bearer credential: paste it only where you trust.".to_owned(),
                        Err(e) => format!("Could not copy: {e}"),
                    })}
                </span>
            </div>
            {move || shown.get().then(parts)}
            <p class="hint">"Header, payload and signature, base64url-encoded and joined by dots. Anyone holding it can call the API as you until it expires."</p>
        </div>
    }
}
