//! Who is signed in, how, until when; and the session's actions.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::session::RefreshOutcome;
use crate::auth::{use_auth, Session};
use crate::components::clock::ticking_now;
use crate::config::Flow;
use crate::explain::time::{claim_relative, relative};
use crate::web::clock::local_date;

#[component]
pub fn SessionSummary(
    session: Arc<Session>,
    /// The page's live clock, when it has one already (one timer per page).
    #[prop(optional)]
    now: Option<ReadSignal<i64>>,
) -> impl IntoView {
    let auth = use_auth();
    let can_refresh = session.tokens.refresh_token.is_some();
    let now = now.unwrap_or_else(ticking_now);
    let exp = session.access.exp();
    let expires = exp.map(local_date).unwrap_or_else(|| "?".into());
    let expiry_words = move || {
        exp.map(|exp| claim_relative("exp", exp, now.get()))
            .unwrap_or_default()
    };
    let refresh = move |_| {
        spawn_local(async move {
            // The outcome shows through `auth.last_refresh`.
            let _ = auth.refresh().await;
        })
    };
    view! {
        <section class="card" data-testid="session-summary" aria-labelledby="session-title">
            <h2 id="session-title">"Your session"</h2>
            <p>
                "Signed in as " <strong>{session.username()}</strong> " with the "
                <strong data-testid="session-flow">{session.flow().label()}</strong> " flow. "
                "The access token " <span data-testid="access-exp">{expiry_words}</span> ", at " <span class="mono">{expires}</span> "."
            </p>
            {(session.flow() == Flow::Implicit).then(|| view! {
                <p class="hint">"The implicit flow gives no refresh token: when the tokens expire, you sign in again."</p>
            })}
            <div class="actions">
                {can_refresh.then(|| view! {
                    <button type="button" data-testid="refresh" on:click=refresh disabled=move || auth.refreshing.get()>
                        "Refresh now"
                    </button>
                })}
                <button type="button" data-testid="forget" on:click=move |_| auth.forget()>"Forget tokens"</button>
                <button type="button" class="primary" on:click=move |_| auth.sign_out()>"Sign out"</button>
            </div>
            <p class="hint">
                "Sign out clears the stored tokens, revokes the refresh token (waiting at most 4 seconds) and ends the hosted UI session. "
                "Forget tokens only clears them in this browser: the hosted UI's cookie still signs you straight back in for up to an hour."
            </p>
            {move || auth.last_refresh.get().map(|result| match result {
                Ok(outcome) => view! { <p class="notice ok" data-testid="refresh-result">{describe(&outcome, now.get_untracked())}</p> }.into_any(),
                Err(error) => view! { <p class="notice bad" data-testid="refresh-result">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

fn describe(outcome: &RefreshOutcome, now: i64) -> String {
    format!(
        "Refreshed: the new access token expires {}. {}",
        outcome
            .access_expires_at
            .map(|e| format!("at {} ({})", local_date(e), relative(e, now)))
            .unwrap_or_else(|| "at an unknown time (no exp)".into()),
        if outcome.rotated {
            "A new refresh token came too (rotation is on)."
        } else {
            "No new refresh token came (rotation is off); the old one is kept."
        }
    )
}
