//! Messages about the session for the person (`session-notice`), and the
//! one a page leaves for the next page of the tab (sign-out leaves the app,
//! so its outcome waits in sessionStorage across the trip to `/logout`).

use crate::web::storage::{self, Area};

/// A message to show after a full page load (sign-out leaves the app).
const NOTICE_KEY: &str = "cognito-spa.notice";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Ok,
    Warn,
    Bad,
}

/// A message for the user about the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

impl Notice {
    pub(super) fn new(kind: NoticeKind, text: impl Into<String>) -> Self {
        Notice {
            kind,
            text: text.into(),
        }
    }

    /// `kind:text`, the form kept in sessionStorage across the trip to
    /// `/logout`: plain text, as JSON code for it weighed about 1 KB of wasm.
    fn to_text(&self) -> String {
        let kind = match self.kind {
            NoticeKind::Ok => "ok",
            NoticeKind::Warn => "warn",
            NoticeKind::Bad => "bad",
        };
        format!("{kind}:{}", self.text)
    }

    fn from_text(stored: &str) -> Option<Notice> {
        let (kind, text) = stored.split_once(':')?;
        let kind = match kind {
            "ok" => NoticeKind::Ok,
            "warn" => NoticeKind::Warn,
            "bad" => NoticeKind::Bad,
            _ => return None,
        };
        Some(Notice::new(kind, text))
    }

    /// The notice a previous page of this tab left, taken once.
    pub(super) fn take_kept() -> Option<Notice> {
        let stored = storage::session_text(NOTICE_KEY)?;
        storage::remove(Area::Session, NOTICE_KEY);
        Notice::from_text(&stored)
    }

    /// Keeps the notice for the next page of this tab.
    pub(super) fn keep(&self) {
        storage::set_session_text(NOTICE_KEY, &self.to_text());
    }
}

/// What a tab says when another tab's sign-out ended its session.
pub(super) fn signed_out_elsewhere() -> Notice {
    Notice::new(NoticeKind::Warn, "You were signed out in another tab.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_notice_reads_back() {
        for kind in [NoticeKind::Ok, NoticeKind::Warn, NoticeKind::Bad] {
            let notice = Notice::new(kind, "Signed out: revoke failed (HTTP 500: a:b)");
            assert_eq!(Notice::from_text(&notice.to_text()), Some(notice));
        }
        assert_eq!(Notice::from_text("nonsense"), None);
        assert_eq!(Notice::from_text("loud:text"), None);
    }
}
