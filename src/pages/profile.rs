//! `/profile`: the signed-in user's tokens. Protected: without a session it
//! starts sign-in and comes back here.

use std::sync::Arc;

use leptos::prelude::*;

use crate::auth::{use_auth, AuthState, Session};
use crate::config::use_config;
use cognito_jwt::{Report, TokenUse, UnverifiedToken};
use leptos::task::spawn_local;

use crate::components::after_paint::AfterPaint;
use crate::components::book_console::BookConsole;
use crate::components::claims::{ClaimsTable, RawToken, TokenHeader};
use crate::components::clock::ticking_now;
use crate::components::compare::CompareTokens;
use crate::components::notice::SessionNotice;
use crate::components::report::VerificationReport;
use crate::components::session_summary::SessionSummary;
use crate::components::userinfo::UserInfoPanel;

crate::chunks::split_view!(
    profile,
    preload = preload_profile,
    pub fn profile_page() {
        view! { <ProfilePage /> }.into_any()
    }
);

#[component]
fn ProfilePage() -> impl IntoView {
    let auth = use_auth();
    let config = use_config();
    let flow = config.response_type;
    let signed_in = Memo::new(move |_| matches!(auth.state.get(), AuthState::SignedIn(_)));
    // Signed out with no message to read (expired, failed): go sign in. An
    // effect, so drawing the page never navigates.
    Effect::new(move |_| {
        if matches!(auth.state.get(), AuthState::SignedOut) && auth.notice.get_untracked().is_none()
        {
            auth.begin_sign_in(flow, "/profile");
        }
    });
    view! {
        <section class="page" data-testid="profile">
            <h1>"Profile"</h1>
            <SessionNotice />
            {move || match auth.state.get() {
                AuthState::SignedIn(session) => view! { <Tokens session /> }.into_any(),
                AuthState::Checking => view! { <p role="status">"Checking your stored session…"</p> }.into_any(),
                AuthState::SignedOut => {
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
        // A memo, so a refresh (a new session) keeps the console and its history.
        {move || signed_in.get().then(|| view! { <AfterPaint><BookConsole /></AfterPaint> })}
    }
}

#[component]
fn Tokens(session: Arc<Session>) -> impl IntoView {
    let auth = use_auth();
    let leeway = use_config().clock_skew_seconds;
    let now = ticking_now();
    // An effect runs once the view is in the page.
    Effect::new(|_| crate::web::perf::mark(crate::web::perf::TOKENS_SHOWN));
    // The reports sign-in (or the refresh, or the reload) made; shown at
    // once. "Verify again" runs every check anew on request.
    let id_report = RwSignal::new(Some(session.id_report.clone()));
    let access_report = RwSignal::new(Some(session.access_report.clone()));
    let verify = {
        let session = session.clone();
        move || {
            id_report.set(None);
            access_report.set(None);
            let session = session.clone();
            spawn_local(async move {
                let (id, access) = auth.reverify(&session).await;
                id_report.try_set(Some(id));
                access_report.try_set(Some(access));
            });
        }
    };
    let token_card = move |which: TokenUse,
                           title: &'static str,
                           token: UnverifiedToken,
                           raw: String,
                           report: RwSignal<Option<Report>>| {
        let verify = verify.clone();
        let (verify_id, claims_id, caption) = match which {
            TokenUse::Id => ("verify-id", "claims-id", "ID token claims"),
            TokenUse::Access => ("verify-access", "claims-access", "Access token claims"),
        };
        let heading = format!("{}-title", which.as_str());
        let labelled_by = heading.clone();
        view! {
            <section class="card token" aria-labelledby=labelled_by data-token=which.as_str()>
                <h2 id=heading>{title}</h2>
                <TokenHeader token=token.clone() now />

                <ClaimsTable token=token.clone() testid=claims_id caption now />
                <VerificationReport report token leeway now testid=verify_id />
                <div class="actions">
                    <button type="button" on:click=move |_| verify() disabled=move || report.with(Option::is_none)>"Verify again"</button>
                </div>
                <RawToken raw which />
            </section>
        }
    };
    view! {
        <SessionSummary session=session.clone() now />
        <div class="grid-2 tokens">
            {token_card(TokenUse::Id, "ID token", session.id.clone(), session.tokens.id_token.expose().to_owned(), id_report)}
            {token_card(TokenUse::Access, "Access token", session.access.clone(), session.tokens.access_token.expose().to_owned(), access_report)}
        </div>
        <AfterPaint>
            <CompareTokens id=session.id.clone() access=session.access.clone() />
            <UserInfoPanel session=session.clone() />
        </AfterPaint>
    }
}
