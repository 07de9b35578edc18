//! The app's auth state and what changes it: starting sign-in, completing
//! it on `/callback`, restoring a stored session on reload, and following
//! other tabs. The OAuth endpoints are called through `token_client`;
//! refreshing lives in `refresh`, signing out in `sign_out`, the person's
//! messages in `notice`.
//!
//! One rule runs through it: a session exists only after both tokens passed
//! every check, and a failed sign-in never touches the session there was.

use std::cell::Cell;
use std::sync::Arc;

use cognito_jwt::{CheckKind, Report, TokenUse, UnverifiedToken};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::callback::parse_callback;
use super::error::AuthError;
use super::expect::expectations;
use super::gate::session_gate;
use super::lifecycle::{Lifecycle, Ticket};
use super::notice::{signed_out_elsewhere, Notice, NoticeKind};
use super::pairing::{pair, Paired};
use super::pending::{safe_return_to, EarlyRequests, PendingSignIn, PENDING_KEY};
use super::pkce::{
    challenge_s256, random_token_from_bytes, verifier_from_bytes, STATE_BYTES, VERIFIER_BYTES,
};
use super::secret::Secret;
use super::tabs::Stored;
use super::token_client::{exchange_code, PreparedExchange};
use super::tokens::TokenSet;
use super::urls::{authorize_url, AuthorizeRequest, Entry};
use super::verify::{parse_and_verify_pair, KeyCache, Verified};
use crate::config::{ConfigStore, Flow, SharedConfig, TokenStorage};
use crate::trace::{self, Row};
use crate::web::clock::now;
use crate::web::early;
use crate::web::page::navigate_away;
use crate::web::perf;
use crate::web::random::random_bytes;
use crate::web::storage::{self, Area};

/// Where the token set lives (per `tokenStorage`).
pub const SESSION_KEY: &str = "cognito-spa.session";

/// A verified session: the tokens, parsed, with their reports.
#[derive(Clone, Debug)]
pub struct Session {
    pub tokens: TokenSet,
    pub id: UnverifiedToken,
    pub access: UnverifiedToken,
    pub id_report: Report,
    pub access_report: Report,
}

impl Session {
    pub fn username(&self) -> String {
        self.id
            .username()
            .or_else(|| self.access.username())
            .unwrap_or("(no username)")
            .to_owned()
    }

    pub fn flow(&self) -> Flow {
        self.tokens.flow
    }
}

#[derive(Clone, Debug)]
pub enum AuthState {
    /// A stored session is being verified.
    Checking,
    SignedOut,
    SignedIn(Arc<Session>),
}

/// What a refresh brought.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshOutcome {
    pub access_expires_at: Option<i64>,
    /// Whether the pool sent a new refresh token (rotation on).
    pub rotated: bool,
}

/// The auth handle every component shares (`use_auth()`); `Copy`.
#[derive(Clone, Copy)]
pub struct Auth {
    pub state: RwSignal<AuthState>,
    pub notice: RwSignal<Option<Notice>>,
    pub refreshing: RwSignal<bool>,
    /// What the last on-demand or scheduled refresh brought.
    pub last_refresh: RwSignal<Option<Result<RefreshOutcome, AuthError>>>,
    /// The app's one configuration store (see `config::provide_config`).
    config: ConfigStore,
}

// The page has one `Auth` (the app provides it once), so its lifecycle and
// key cache live in plain cells: each type kept in Leptos's arena instead
// costs the wasm its own copy of the arena code.
thread_local! {
    static LIFECYCLE: Cell<Lifecycle> = const { Cell::new(Lifecycle::new()) };
    /// The key set cache every verification of this page shares.
    static KEYS: KeyCache = KeyCache::default();
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Both tokens, each parsed once, and their reports, before they become a
/// session.
pub(super) struct Checked {
    tokens: TokenSet,
    id: Verified,
    access: Verified,
}

impl Checked {
    /// `Ok` only if both reports are valid (see `gate`).
    pub(super) fn gate(&self) -> Result<(), AuthError> {
        session_gate(&self.id.report, &self.access.report)
    }

    /// Whether expiry is the only thing wrong (so a refresh may save it).
    fn only_expired(&self) -> bool {
        cognito_jwt::only_expired([&self.id.report, &self.access.report])
    }

    /// The session, keeping the tokens as parsed for their verification.
    /// A token that did not parse has an invalid report, so this only fails
    /// for a set the gate refused.
    pub(super) fn into_session(self) -> Result<Session, AuthError> {
        let unparsed = |token| AuthError::NotAJwt { token };
        Ok(Session {
            id: self.id.token.ok_or_else(|| unparsed("ID token"))?,
            access: self.access.token.ok_or_else(|| unparsed("access token"))?,
            tokens: self.tokens,
            id_report: self.id.report,
            access_report: self.access.report,
        })
    }
}

impl Auth {
    /// Creates the auth state, provides it as context, and restores a stored
    /// session.
    pub fn provide(config: ConfigStore) -> Auth {
        let auth = Auth {
            state: RwSignal::new(AuthState::SignedOut),
            notice: RwSignal::new(Notice::take_kept()),
            refreshing: RwSignal::new(false),
            last_refresh: RwSignal::new(None),
            config,
        };
        provide_context(auth);
        auth.restore();
        auth.follow_other_tabs();
        auth
    }

    pub(super) fn config(&self) -> SharedConfig {
        self.config.get_value()
    }

    /// The storage area of the token set; `None` for `memory`.
    pub(super) fn area(&self) -> Option<Area> {
        match self.config().token_storage {
            TokenStorage::Session => Some(Area::Session),
            TokenStorage::Local => Some(Area::Local),
            TokenStorage::Memory => None,
        }
    }

    pub fn session(&self) -> Option<Arc<Session>> {
        match self.state.get() {
            AuthState::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    fn lifecycle(&self) -> Lifecycle {
        LIFECYCLE.with(Cell::get)
    }

    pub(super) fn update_lifecycle(&self, change: fn(&mut Lifecycle)) {
        LIFECYCLE.with(|cell| {
            let mut lifecycle = cell.get();
            change(&mut lifecycle);
            cell.set(lifecycle);
        });
    }

    pub(super) fn ticket(&self) -> Ticket {
        self.lifecycle().ticket()
    }

    pub(super) fn may_apply(&self, ticket: Ticket) -> bool {
        self.lifecycle().may_apply(ticket)
    }

    pub(super) fn signing_out(&self) -> bool {
        self.lifecycle().signing_out()
    }

    fn set_notice(&self, kind: NoticeKind, text: impl Into<String>) {
        self.notice.set(Some(Notice::new(kind, text)));
    }

    // ----- sign-in -----

    /// Leaves for the hosted UI with fresh `state`, `nonce` and (code flow)
    /// PKCE verifier, remembered for this one round trip.
    pub fn begin_sign_in(&self, flow: Flow, return_to: &str) {
        self.begin(Entry::SignIn, flow, return_to)
    }

    /// Sign-in through the hosted UI's sign-up form: the same round trip.
    pub fn begin_sign_up(&self, flow: Flow, return_to: &str) {
        self.begin(Entry::SignUp, flow, return_to)
    }

    fn begin(&self, entry: Entry, flow: Flow, return_to: &str) {
        match self.authorize_address(entry, flow, return_to) {
            Ok(url) => navigate_away(&url),
            Err(error) => {
                self.set_notice(NoticeKind::Bad, format!("Sign-in could not start: {error}"))
            }
        }
    }

    fn authorize_address(
        &self,
        entry: Entry,
        flow: Flow,
        return_to: &str,
    ) -> Result<String, AuthError> {
        let config = self.config();
        let random = |count| random_bytes(count).map_err(AuthError::Browser);
        let state = random_token_from_bytes(&random(STATE_BYTES)?);
        let nonce = random_token_from_bytes(&random(STATE_BYTES)?);
        let verifier = match flow {
            Flow::Code => Some(verifier_from_bytes(&random(VERIFIER_BYTES)?)),
            Flow::Implicit => None,
        };
        let challenge = verifier.as_deref().map(challenge_s256);
        let url = authorize_url(
            &config,
            &AuthorizeRequest {
                entry,
                flow,
                state: &state,
                nonce: &nonce,
                code_challenge: challenge.as_deref(),
            },
        );
        let early = EarlyRequests {
            keys: config.jwks_uri.clone(),
            token: verifier
                .as_deref()
                .map(|verifier| PreparedExchange::new(&config, verifier)),
        };
        let pending = PendingSignIn {
            flow,
            state: Secret::new(state),
            nonce: Secret::new(nonce),
            verifier: verifier.map(Secret::new),
            return_to: safe_return_to(return_to),
            early: Some(early),
        };
        storage::store(Area::Session, PENDING_KEY, &pending).map_err(AuthError::Browser)?;
        // A sign-in starts a new trace, with this navigation.
        trace::start_new(false);
        trace::navigation("authorize", &url);
        Ok(url)
    }

    /// Completes sign-in from the callback address (query and fragment).
    /// Returns the page to show, or why not (the `auth-error` text). The pending
    /// secrets are consumed whatever happens, so a response works once.
    pub async fn complete_sign_in(&self, query: &str, fragment: &str) -> Result<String, AuthError> {
        let completed = self.complete(query, fragment).await;
        // Whatever index.html sent early and this did not read (the answer
        // was refused) leaves the page with its tokens.
        early::discard(early::TOKEN);
        early::discard(early::KEYS);
        completed
    }

    async fn complete(&self, query: &str, fragment: &str) -> Result<String, AuthError> {
        let pending: Option<PendingSignIn> = storage::take(Area::Session, PENDING_KEY);
        let paired = parse_callback(query, fragment)
            .map_err(AuthError::Callback)
            .and_then(|params| pair(params, pending));
        record_callback(&self.config().redirect_uri, query, fragment, &paired);
        let (tokens, pending) = match paired? {
            Paired::Code {
                code,
                verifier,
                pending,
            } => {
                // Verification needs the key set right after the exchange:
                // fetch both at once, one round trip less before /profile.
                let keys = KEYS.with(KeyCache::clone);
                let config = self.config();
                let prepared = pending.early.as_ref().and_then(|e| e.token.as_ref());
                let (tokens, ()) = futures::join!(
                    exchange_code(&config, &code, &verifier, prepared),
                    keys.prefetch(&config.jwks_uri)
                );
                (tokens?, pending)
            }
            Paired::Tokens {
                id_token,
                access_token,
                pending,
            } => {
                let tokens = TokenSet {
                    id_token,
                    access_token,
                    refresh_token: None,
                    flow: Flow::Implicit,
                };
                (tokens, pending)
            }
        };
        let checked = self.check(tokens, Some(pending.nonce.expose())).await;
        checked.gate()?;
        // A new sign-in replaces whatever session there was, so it takes
        // no ticket; only a sign-out that began meanwhile stops it.
        if !self.start_session(checked.into_session()?, None) {
            return Err(AuthError::SignOutBegan);
        }
        self.notice.set(None);
        Ok(pending.return_to)
    }

    /// Verifies both tokens. `nonce` is checked at sign-in only: refreshed
    /// ID tokens carry none, and the stored one was checked when it came.
    pub(super) async fn check(&self, tokens: TokenSet, nonce: Option<&str>) -> Checked {
        let config = self.config();
        let keys = KEYS.with(KeyCache::clone);
        let now = now();
        let implicit = tokens.flow == Flow::Implicit;
        let at_hash_of = implicit.then(|| tokens.access_token.expose());
        let id_expect = expectations(&config, TokenUse::Id, nonce, at_hash_of);
        let access_expect = expectations(&config, TokenUse::Access, None, None);
        // One fetch of the key set (if it is not cached yet), then both
        // tokens at once: they share the key, imported once, and a refetch.
        keys.prefetch(&config.jwks_uri).await;
        perf::verify_started();
        let (id, access) = parse_and_verify_pair(
            (tokens.id_token.expose(), &id_expect),
            (tokens.access_token.expose(), &access_expect),
            now,
            &keys,
            &config.jwks_uri,
        )
        .await;
        perf::verify_finished();
        Checked { tokens, id, access }
    }

    /// Verifies the session's tokens again with the clock as it is now (the
    /// profile page shows this live). The nonce was checked at sign-in and
    /// refreshed ID tokens carry none, so its sign-in result is kept.
    pub async fn reverify(&self, session: &Session) -> (Report, Report) {
        let checked = self.check(session.tokens.clone(), None).await;
        let keep_nonce = |mut report: Report, before: &Report| {
            if let Some(earlier) = before
                .get(CheckKind::Nonce)
                .filter(|c| !c.outcome.is_skipped())
            {
                for check in report
                    .checks
                    .iter_mut()
                    .filter(|c| c.kind == CheckKind::Nonce)
                {
                    *check = earlier.clone();
                }
            }
            report
        };
        (
            keep_nonce(checked.id.report, &session.id_report),
            keep_nonce(checked.access.report, &session.access_report),
        )
    }

    /// Makes `session` the current one, unless the step that produced it
    /// started with a `ticket` that is stale by now or sign-out has begun;
    /// returns whether it did.
    pub(super) fn start_session(&self, session: Session, ticket: Option<Ticket>) -> bool {
        let allowed = match ticket {
            Some(ticket) => self.may_apply(ticket),
            None => !self.signing_out(),
        };
        if !allowed {
            return false;
        }
        self.update_lifecycle(Lifecycle::advance);
        if let Some(area) = self.area() {
            if let Err(error) = storage::store(area, SESSION_KEY, &session.tokens) {
                self.set_notice(
                    NoticeKind::Warn,
                    format!("The session will not survive a reload: {error}"),
                );
            }
        }
        self.schedule_refresh(&session);
        self.state.set(AuthState::SignedIn(Arc::new(session)));
        true
    }

    /// Drops every stored token and shows `notice`. During sign-out the
    /// page's state stays as it is: a page that reacted to "signed out"
    /// (/profile starts sign-in) would race the navigation to /logout.
    pub(super) fn end_session(&self, notice: Option<Notice>) {
        if self.signing_out() {
            return;
        }
        self.update_lifecycle(Lifecycle::advance);
        self.cancel_refresh();
        self.last_refresh.set(None);
        if let Some(area) = self.area() {
            storage::remove(area, SESSION_KEY);
        }
        self.state.set(AuthState::SignedOut);
        self.notice.set(notice);
    }

    // ----- reload and other tabs -----

    /// Re-validates a stored session: valid → signed in; expired → one
    /// refresh attempt; anything else → signed out with the reason.
    fn restore(&self) {
        if self.signing_out() {
            // Whatever another tab stores now must not sign this one back in.
            return;
        }
        let Some(area) = self.area() else {
            self.state.set(AuthState::SignedOut);
            return;
        };
        let tokens: TokenSet = match storage::read(area, SESSION_KEY) {
            Ok(Some(tokens)) => tokens,
            Ok(None) => {
                self.state.set(AuthState::SignedOut);
                return;
            }
            Err(reason) => {
                // Never a default: what cannot be read is removed.
                storage::remove(area, SESSION_KEY);
                self.end_session(Some(Notice::new(
                    NoticeKind::Bad,
                    format!("The stored session could not be read and was removed ({reason}). Sign in again."),
                )));
                return;
            }
        };
        self.state.set(AuthState::Checking);
        let this = *self;
        let ticket = self.ticket();
        spawn_local(async move { this.revalidate(tokens, ticket).await });
    }

    async fn revalidate(&self, tokens: TokenSet, ticket: Ticket) {
        let checked = self.check(tokens.clone(), None).await;
        let shared = self.area() == Some(Area::Local);
        if !self.may_apply(ticket) || (shared && self.stored(&tokens) != Stored::Unchanged) {
            // The session moved on, or another tab changed the stored set
            // meanwhile (its storage event brings the newer state).
            return;
        }
        if checked.gate().is_ok() {
            match checked.into_session() {
                Ok(session) => {
                    self.start_session(session, Some(ticket));
                }
                Err(error) => {
                    self.end_session(Some(Notice::new(NoticeKind::Bad, error.to_string())))
                }
            }
            return;
        }
        if checked.only_expired() {
            if tokens.refresh_token.is_some() {
                self.refreshing.set(true);
                let refreshed = self.refresh_tokens(&tokens, ticket).await;
                self.refreshing.set(false);
                if refreshed.is_ok() {
                    self.set_notice(
                        NoticeKind::Ok,
                        "Your tokens had expired; the session was refreshed.",
                    );
                }
            } else {
                self.end_session(Some(Notice::new(
                    NoticeKind::Warn,
                    "Your session expired, and an implicit sign-in has no refresh token. Sign in again.",
                )));
            }
            return;
        }
        let reason = checked
            .gate()
            .err()
            .map_or_else(|| "unknown".to_owned(), |e| e.to_string());
        self.end_session(Some(Notice::new(
            NoticeKind::Bad,
            format!(
                "The stored session failed verification and was removed ({reason}). Sign in again."
            ),
        )));
    }

    /// With `tokenStorage: "local"` every tab shares the session: a sign-out
    /// or refresh in one shows in the others.
    fn follow_other_tabs(&self) {
        if self.area() != Some(Area::Local) {
            return;
        }
        let this = *self;
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().is_some_and(|key| key != SESSION_KEY) {
                return;
            }
            if event.new_value().is_none() {
                if !matches!(this.state.get_untracked(), AuthState::SignedOut) {
                    // The key is gone already, so end_session's removal
                    // is a no-op and fires no further event. A restore
                    // still running is stopped too (its ticket goes stale).
                    this.end_session(Some(signed_out_elsewhere()));
                }
            } else {
                this.restore();
            }
        });
        // The listener lives as long as the page.
        std::mem::forget(handle);
    }

    /// Drops the tokens in this browser only; the hosted UI session stays.
    pub fn forget(&self) {
        self.end_session(Some(Notice::new(
            NoticeKind::Warn,
            "Tokens forgotten in this browser. The hosted UI still remembers you for up to an hour, so the next sign-in skips the login form. Use Sign out to end that session too.",
        )));
    }
}

/// The callback's trace step: `ok` when the answer paired with this tab's
/// sign-in. An answer that did not pair shows its parameters' names only:
/// anyone can link to `/callback`, and its values are not this page's
/// words (see `pairing`).
fn record_callback(
    redirect_uri: &str,
    query: &str,
    fragment: &str,
    paired: &Result<Paired, AuthError>,
) {
    let mut rows = trace::params('q', query);
    rows.extend(trace::params('g', fragment));
    if let Err(error) = paired {
        if matches!(
            error,
            AuthError::Callback(_) | AuthError::State(_) | AuthError::ForeignIdpError
        ) {
            for row in &mut rows {
                row.value = "(not shown: no sign-in of this tab)".to_owned();
                row.replay.clear();
            }
        }
        rows.push(Row::new('n', "", &error.to_string()));
    }
    let status = if paired.is_ok() { "ok" } else { "failed" };
    trace::record("callback", status, "GET", redirect_uri, rows);
}
