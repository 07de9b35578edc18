//! Refreshing the session: on a timer before the access token expires, on
//! demand, and once when a reload finds it expired. A refreshed set passes
//! the sign-in checks (bar the nonce) and must name the same user; with
//! `tokenStorage: "local"` one tab at a time refreshes and the others take
//! its result.

use std::cell::Cell;
use std::time::Duration;

use cognito_jwt::UnverifiedToken;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::error::AuthError;
use super::lifecycle::Ticket;
use super::notice::{signed_out_elsewhere, Notice, NoticeKind};
use super::schedule::refresh_delay_seconds;
use super::session::{Auth, AuthState, RefreshOutcome, Session, SESSION_KEY};
use super::tabs::{compare, Stored};
use super::token_client::refresh_grant;
use super::tokens::{same_user, TokenSet};
use crate::web::clock::now;
use crate::web::storage::{self, Area};
use crate::web::timers;

/// With `tokenStorage: "local"`, the tab holding this lock is the one that
/// refreshes; the others take its result.
const REFRESH_LOCK: &str = "cognito-spa.refresh";

// The page has one `Auth`, so its one refresh timer lives in a plain cell.
thread_local! {
    static REFRESH_TIMER: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

/// Why a refresh brought no new tokens.
pub(super) enum RefreshError {
    /// The session cannot be refreshed, and why.
    Failed(AuthError),
    /// The session moved on meanwhile (sign-out began, another tab
    /// refreshed or signed out): the result is dropped, nothing is written.
    Dropped,
}

impl Auth {
    pub(super) fn schedule_refresh(&self, session: &Session) {
        self.cancel_refresh();
        if session.tokens.refresh_token.is_none() {
            return;
        }
        let (Some(iat), Some(exp)) = (session.access.iat(), session.access.exp()) else {
            return;
        };
        let delay = refresh_delay_seconds(now(), iat, exp) as u64;
        let this = *self;
        let handle = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    let _ = this.refresh().await;
                })
            },
            Duration::from_secs(delay),
        );
        REFRESH_TIMER.with(|timer| timer.set(handle.ok()));
    }

    pub(super) fn cancel_refresh(&self) {
        if let Some(handle) = REFRESH_TIMER.with(Cell::take) {
            handle.clear();
        }
    }

    /// A `refresh_token` grant for the current session; one at a time.
    pub async fn refresh(&self) -> Result<RefreshOutcome, AuthError> {
        let AuthState::SignedIn(session) = self.state.get_untracked() else {
            return Err(AuthError::NotSignedIn);
        };
        if self.refreshing.get_untracked() {
            return Err(AuthError::RefreshRunning);
        }
        self.refreshing.set(true);
        let result = self.refresh_tokens(&session.tokens, self.ticket()).await;
        self.refreshing.set(false);
        let outcome = match result {
            Ok(outcome) => Ok(outcome),
            Err(RefreshError::Failed(error)) => Err(error),
            Err(RefreshError::Dropped) => match self.picked_up(&session.tokens) {
                Some(outcome) => Ok(outcome),
                None => return Err(AuthError::SessionEnded),
            },
        };
        self.last_refresh.set(Some(outcome.clone()));
        outcome
    }

    /// When another tab's refresh became this tab's session meanwhile: what
    /// it brought, compared with the set this refresh started from.
    fn picked_up(&self, started_from: &TokenSet) -> Option<RefreshOutcome> {
        let current = self.session().filter(|_| !self.signing_out())?;
        (current.tokens != *started_from).then(|| RefreshOutcome {
            access_expires_at: current.access.exp(),
            rotated: current.tokens.refresh_token != started_from.refresh_token,
        })
    }

    /// On failure the user is signed out with the reason: a session that
    /// cannot be refreshed is about to stop working anyway. With shared
    /// storage one tab refreshes at a time.
    pub(super) async fn refresh_tokens(
        &self,
        tokens: &TokenSet,
        ticket: Ticket,
    ) -> Result<RefreshOutcome, RefreshError> {
        let shared = self.area() == Some(Area::Local);
        let lock = if shared {
            Some(timers::acquire(REFRESH_LOCK).await)
        } else {
            None
        };
        let result = self.try_refresh(tokens, ticket, shared).await;
        drop(lock);
        if let Err(RefreshError::Failed(error)) = &result {
            if self.may_apply(ticket) {
                self.end_session(Some(Notice::new(
                    NoticeKind::Bad,
                    format!("The session could not be refreshed ({error}); you are signed out. Sign in again."),
                )));
            }
        }
        result
    }

    /// What the shared storage holds now, against `tokens`.
    pub(super) fn stored(&self, tokens: &TokenSet) -> Stored {
        compare(tokens, storage::load(Area::Local, SESSION_KEY))
    }

    /// `shared`: the tokens live in localStorage, which other tabs change;
    /// a set another tab stored there after refreshing is taken instead of
    /// spending the refresh token again.
    async fn try_refresh(
        &self,
        tokens: &TokenSet,
        ticket: Ticket,
        shared: bool,
    ) -> Result<RefreshOutcome, RefreshError> {
        use RefreshError::{Dropped, Failed};
        let refresh_token = tokens
            .refresh_token
            .as_ref()
            .ok_or(Failed(AuthError::NoRefreshToken))?;
        if !self.may_apply(ticket) {
            return Err(Dropped);
        }
        let others = || shared.then(|| self.stored(tokens));
        // This tab may have waited for the lock while another refreshed.
        let refreshed = match others() {
            Some(Stored::Replaced(set)) => set,
            Some(Stored::Gone) => {
                self.end_session(Some(signed_out_elsewhere()));
                return Err(Dropped);
            }
            _ => {
                let answer = refresh_grant(&self.config(), refresh_token).await;
                match (answer, others()) {
                    (Ok(response), _) => tokens.refreshed(response).map_err(Failed)?,
                    // A tab without the lock may have rotated the token first.
                    (Err(_), Some(Stored::Replaced(set))) => set,
                    (Err(error), _) => return Err(Failed(error)),
                }
            }
        };
        let rotated = refreshed.refresh_token != tokens.refresh_token;
        // The sign-in checks (bar the nonce), and the same user as before.
        let checked = self.check(refreshed, None).await;
        checked.gate().map_err(Failed)?;
        let session = checked.into_session().map_err(Failed)?;
        let before = UnverifiedToken::parse(tokens.id_token.expose()).ok();
        same_user(
            before.as_ref().and_then(UnverifiedToken::sub),
            session.id.sub(),
        )
        .map_err(Failed)?;
        if shared {
            // Signed out (or in) elsewhere while the answer came?
            let now: Option<TokenSet> = storage::load(Area::Local, SESSION_KEY);
            if now.as_ref() != Some(tokens) && now.as_ref() != Some(&session.tokens) {
                return Err(Dropped);
            }
        }
        let outcome = RefreshOutcome {
            access_expires_at: session.access.exp(),
            rotated,
        };
        if !self.start_session(session, Some(ticket)) {
            return Err(Dropped);
        }
        Ok(outcome)
    }
}
