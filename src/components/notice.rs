//! The session message (signed out, refreshed, failed...), dismissible.

use leptos::prelude::*;

use crate::auth::{use_auth, NoticeKind};

#[component]
pub fn SessionNotice() -> impl IntoView {
    let auth = use_auth();
    move || {
        auth.notice.get().map(|notice| {
            let class = match notice.kind {
                NoticeKind::Ok => "notice ok",
                NoticeKind::Warn => "notice warn",
                NoticeKind::Bad => "notice bad",
            };
            view! {
                <div class=class data-testid="session-notice" role="status">
                    <span>{notice.text}</span>
                    " "
                    <button type="button" class="link" on:click=move |_| auth.notice.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}
