//! `/`: what the app is, sign-in with a choice of flow, and the session.

use leptos::prelude::*;

use crate::auth::urls::signup_link;
use crate::auth::{use_auth, AuthState};
use crate::components::book_console::BookConsole;
use crate::components::notice::SessionNotice;
use crate::components::session_summary::SessionSummary;
use crate::config::use_config;
use crate::config::Flow;

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="hero">
            <h1>"Sign in with Amazon Cognito, and see what happens"</h1>
            <p class="lead">
                "This app signs you in through the Cognito hosted UI, with the authorization code flow and PKCE or the implicit flow, then shows, verifies and explains every claim of your ID and access tokens. "
                "It also calls a protected API Gateway endpoint with your token and tells you why the answer is a 200, a 401 or a 403."
            </p>
        </section>
        <SessionNotice />
        {move || match auth.state.get() {
            AuthState::SignedIn(session) => view! { <SessionSummary session /> }.into_any(),
            AuthState::Checking => view! {
                <section class="card"><p role="status">"Checking your stored session…"</p></section>
            }.into_any(),
            AuthState::SignedOut => view! { <SignInCard /> }.into_any(),
        }}
        <BookConsole />
    }
}

#[component]
fn SignInCard() -> impl IntoView {
    let config = use_config();
    let auth = use_auth();
    let (flow, set_flow) = signal(config.response_type);
    let config_for_link = config.clone();
    view! {
        <section class="card" aria-labelledby="signin-title">
            <h2 id="signin-title">"Sign in"</h2>
            <div class="field">
                <label for="flow">"Flow"</label>
                <select
                    id="flow"
                    data-testid="flow"
                    on:change=move |ev| {
                        if let Some(chosen) = Flow::from_select_value(&event_target_value(&ev)) {
                            set_flow.set(chosen);
                        }
                    }
                >
                    {[Flow::Code, Flow::Implicit]
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option value=option.select_value() selected=move || flow.get() == option>
                                    {option.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint">{move || flow_hint(flow.get())}</p>
            </div>
            <button
                class="primary"
                data-testid="login"
                type="button"
                on:click=move |_| auth.begin_sign_in(flow.get_untracked(), "/profile")
            >
                "Sign in with the hosted UI"
            </button>
            <p class="hint">
                "No account yet? "
                <a
                    data-testid="signup"
                    href=move || signup_link(&config_for_link, flow.get())
                    on:click=move |ev| {
                        // The click adds this round trip's state, nonce and
                        // challenge, as the login button does.
                        ev.prevent_default();
                        auth.begin_sign_up(flow.get_untracked(), "/profile");
                    }
                >
                    "Sign up on the hosted UI"
                </a>
                " (with the flow chosen above)."
            </p>
            <p class="hint">"You will leave this app for the hosted UI at " <code>{config.domain.clone()}</code> ", then come back to " <code>{config.redirect_uri.clone()}</code> "."</p>
        </section>
    }
}

fn flow_hint(flow: Flow) -> &'static str {
    match flow {
        Flow::Code => "Recommended. The hosted UI returns a one-time code; the app trades it for tokens with a PKCE verifier only this tab knows.",
        Flow::Implicit => "Legacy. The hosted UI puts the tokens straight into the address bar fragment. No refresh token, and the tokens pass through the browser's address bar.",
    }
}
