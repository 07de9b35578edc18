//! The `/book` console: pick an API (config.json's `apis`, or `apiUrl`),
//! send `GET {api}/book` with the chosen token and see the status, latency,
//! readable headers, body and what it means for that API's authorizer. On a
//! 401 for an expired token it refreshes the session once and offers a retry.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::{use_auth, AuthState};
use crate::book::call::{call_book, pick_bearer, refresh_after_expiry, AfterExpiry, LastAnswer};
use crate::config::{use_config, Api};
use crate::explain::book::{
    authorizer_summary, pretty_body, push_history, HistoryEntry, Outcome, TokenChoice,
};
use crate::web::clipboard::copy_text;
use crate::web::clock::now;

#[component]
pub fn BookConsole() -> impl IntoView {
    let config = use_config();
    view! {
        <section class="card book" aria-labelledby="book-title" data-testid="book-console">
            <h2 id="book-title">"Call the API: " <code>"GET /book"</code></h2>
            {if config.apis.is_empty() {
                view! {
                    <p class="notice warn" data-testid="book-unconfigured">
                        "No API is configured: set " <code>"apiUrl"</code> " in " <code>"config.json"</code>
                        " to the stage URL of your API Gateway (e.g. " <code>"https://abc123.execute-api.eu-west-1.amazonaws.com/prod"</code>
                        "), or list several with their authorizers in " <code>"apis"</code>
                        ", and this console will call " <code>"GET /book"</code> " with your tokens."
                    </p>
                }.into_any()
            } else {
                view! { <Console apis=config.apis.clone() /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Console(apis: Vec<Api>) -> impl IntoView {
    let auth = use_auth();
    let several = apis.len() > 1;
    let api_options = several.then(|| {
        apis.iter()
            .map(|api| view! { <option value=api.name.clone()>{api.name.clone()}</option> })
            .collect_view()
    });
    let apis = StoredValue::new(apis);
    let selected = RwSignal::new(0usize);
    let api = move || apis.with_value(|all| all[selected.get()].clone());
    let choice = RwSignal::new(TokenChoice::Id);
    let running = RwSignal::new(false);
    let last = RwSignal::new(None::<LastAnswer>);
    let history = RwSignal::new(Vec::<HistoryEntry>::new());
    let after_expiry = RwSignal::new(None::<AfterExpiry>);
    let signed_in = move || matches!(auth.state.get(), AuthState::SignedIn(_));

    let call = move |refresh_allowed: bool| {
        let api = apis.with_value(|all| all[selected.get_untracked()].clone());
        let choice = choice.get_untracked();
        let bearer = pick_bearer(auth, choice);
        running.set(true);
        if refresh_allowed {
            after_expiry.set(None);
        }
        spawn_local(async move {
            let answer = call_book(&api, choice, bearer).await;
            history.update(|h| push_history(h, answer.history_entry()));
            let expired = answer.explanation.expired;
            last.set(Some(answer));
            running.set(false);
            if expired && refresh_allowed {
                after_expiry.set(Some(AfterExpiry::Refreshing));
                after_expiry.try_set(Some(refresh_after_expiry(auth).await));
            }
        });
    };

    let choices = TokenChoice::ALL
        .into_iter()
        .map(|option| {
            let label = match option {
                TokenChoice::Id => "ID token",
                TokenChoice::Access => "Access token",
                TokenChoice::None => "No token (expect a 401)",
            };
            view! { <option value=option.value() selected=move || choice.get() == option>{label}</option> }
        })
        .collect_view();

    view! {
        <p class="hint">
            "Sends " <code>"GET " {move || api().book_url()}</code> " with " <code>"Authorization: Bearer <token>"</code>
            " and explains the answer (see " <a href="/profile">"ID vs access"</a> "). "
            <span data-testid="book-authorizer">{move || { let api = api(); authorizer_summary(api.authorizer, &api.scopes) }}</span>
        </p>
        <div class="console-controls">
            {api_options.map(|options| view! {
                <div class="field">
                    <label for="book-api">"API"</label>
                    <select id="book-api" data-testid="book-api"
                        on:change=move |ev| {
                            let name = event_target_value(&ev);
                            if let Some(index) = apis.with_value(|all| all.iter().position(|a| a.name == name)) {
                                selected.set(index);
                            }
                        }>
                        {options}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="book-token">"Token to send"</label>
                <select id="book-token" data-testid="book-token"
                    on:change=move |ev| {
                        if let Some(chosen) = TokenChoice::from_value(&event_target_value(&ev)) {
                            choice.set(chosen);
                        }
                    }>
                    {choices}
                </select>
            </div>
            <button type="button" class="primary" data-testid="call-book"
                disabled=move || running.get()
                on:click=move |_| call(true)>
                {move || if running.get() { "Calling…" } else { "Call GET /book" }}
            </button>
        </div>
        {move || (!signed_in() && choice.get() != TokenChoice::None).then(|| view! {
            <p class="hint">"You are not signed in, so there is no token to send: the call goes out without one."</p>
        })}
        {move || last.get().map(|answer| view! { <Answer answer /> })}
        {move || after_expiry.get().map(|state| {
            match state {
                AfterExpiry::Refreshing => view! {
                    <p class="notice warn" data-testid="book-refresh" role="status">"The token had expired: refreshing the session…"</p>
                }.into_any(),
                AfterExpiry::Refreshed(exp) => {
                    let when = exp.map(|e| format!(" The new access token expires in {}.", crate::explain::time::span(e - now()))).unwrap_or_default();
                    view! {
                        <div class="notice ok" data-testid="book-refresh" role="status">
                            <span>"The session was refreshed once with the refresh token." {when} " "</span>
                            <button type="button" data-testid="book-retry" on:click=move |_| call(false)>"Retry the call"</button>
                        </div>
                    }.into_any()
                }
                AfterExpiry::Failed(error) => view! {
                    <p class="notice bad" data-testid="book-refresh" role="status">{format!("The token had expired and the refresh failed: {error}. Sign in again.")}</p>
                }.into_any(),
            }
        })}
        {move || {
            let entries = history.get();
            (!entries.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="history" data-testid="book-history">
                        <caption>"Last calls (newest first)"</caption>
                        <thead><tr>{several.then(|| view! { <th scope="col">"API"</th> })}<th scope="col">"Token"</th><th scope="col">"Status"</th><th scope="col">"Latency"</th><th scope="col">"Meaning"</th></tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| view! {
                                <tr>
                                    {several.then(|| view! { <td>{e.api}</td> })}
                                    <td>{e.choice.label()}</td>
                                    <td class="mono">{e.outcome.label()}</td>
                                    <td class="mono">{format!("{} ms", e.latency_ms)}</td>
                                    <td>{e.title}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })
        }}
    }
}

#[component]
fn Answer(answer: LastAnswer) -> impl IntoView {
    let LastAnswer {
        api: _,
        facts,
        latency_ms,
        headers,
        explanation,
        curl,
    } = answer;
    let status_class = match facts.outcome {
        Outcome::Status(200..=299) => "status ok",
        _ => "status bad",
    };
    let body = pretty_body(&facts.body);
    view! {
        <div class="answer" aria-live="polite">
            <p class="answer-line">
                <span class=status_class data-testid="book-status">{facts.outcome.label()}</span>
                <span class="mono muted" data-testid="book-latency">{format!("{latency_ms} ms")}</span>
                <span class="muted">"sent: " {facts.choice.label()}</span>
            </p>
            <div class=format!("notice {}", explanation.tone.class()) data-testid="book-explanation">
                <strong>{explanation.title}</strong>
                {explanation.details.into_iter().map(|d| view! { <p>{d}</p> }).collect_view()}
            </div>
            {(!headers.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="headers" data-testid="book-headers">
                        <caption>"Response headers"</caption>
                        <tbody>
                            {headers.into_iter().map(|h| view! {
                                <tr data-header=h.name>
                                    <th scope="row"><code>{h.name}</code></th>
                                    <td>{match h.value {
                                        Some(v) => view! { <span class="mono">{v}</span> }.into_any(),
                                        None => view! { <span class="muted">{h.note}</span> }.into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <p class="label">"Body"</p>
            <pre data-testid="book-body">{body}</pre>
            // The command is in `data-curl`; /trace shows it in full.
            {curl.map(|command| {
                let text = command.clone();
                let copied = RwSignal::new(None::<Result<(), String>>);
                view! {
                    <div class="actions">
                        <button type="button" data-testid="copy-curl" data-curl=command
                            on:click=move |_| {
                                let text = text.clone();
                                spawn_local(async move {
                                    copied.try_set(Some(copy_text(&text).await));
                                });
                            }>"Copy as curl"</button>
                        <span role="status" class="hint">
                            {move || copied.get().map(|result| match result {
                                Ok(()) => "Copied. Set the $PLACEHOLDERS first.".to_owned(),
                                Err(e) => format!("Could not copy: {e}"),
                            })}
                        </span>
                    </div>
                }
            })}
        </div>
    }
}
