//! `/profile`: the signed-in user's tokens. Protected: without a session it
//! starts sign-in and comes back here.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_config;
use crate::auth::{use_auth, AuthState, Session};
use crate::components::claims::ClaimsTable;
use crate::components::notice::SessionNotice;
use crate::components::report::VerificationReport;
use crate::components::session_summary::SessionSummary;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let auth = use_auth();
    let config = use_config();
    view! {
        <section class="card" data-testid="profile">
            <h1>"Profile"</h1>
            <SessionNotice />
            {move || match auth.state.get() {
                AuthState::SignedIn(session) => view! { <Tokens session /> }.into_any(),
                AuthState::Checking => view! { <p role="status">"Checking your stored session…"</p> }.into_any(),
                AuthState::SignedOut => {
                    // With a message to read (expired, failed), stay; else go sign in.
                    if auth.notice.get_untracked().is_none() {
                        auth.begin_sign_in(config.response_type, "/profile");
                    }
                    let flow = config.response_type;
                    view! {
                        <p>"This page shows your tokens once you are signed in."</p>
                        <button type="button" class="primary" data-testid="profile-sign-in"
                            on:click=move |_| auth.begin_sign_in(flow, "/profile")>
                            "Sign in"
                        </button>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Tokens(session: Arc<Session>) -> impl IntoView {
    view! {
        <SessionSummary session=session.clone() />
        <div class="grid-2">
            <section class="card" aria-labelledby="id-title">
                <h2 id="id-title">"ID token"</h2>
                <VerificationReport report=session.id_report.clone() testid="verify-id" />
                <ClaimsTable token=session.id.clone() testid="claims-id" caption="ID token claims" />
            </section>
            <section class="card" aria-labelledby="access-title">
                <h2 id="access-title">"Access token"</h2>
                <VerificationReport report=session.access_report.clone() testid="verify-access" />
                <ClaimsTable token=session.access.clone() testid="claims-access" caption="Access token claims" />
            </section>
        </div>
    }
}
