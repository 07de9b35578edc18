//! `GET {domain}/oauth2/userInfo` with the access token: the attributes,
//! shown only when the answer's `sub` is the ID token's.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::urls::userinfo_endpoint;
use crate::auth::Session;
use crate::config::use_config;
use crate::explain::userinfo::{network_failure, read_answer, UserInfo};
use crate::trace::mask::ACCESS_TOKEN;
use crate::web::http::get_with_bearer;

#[component]
pub fn UserInfoPanel(session: Arc<Session>) -> impl IntoView {
    let endpoint = userinfo_endpoint(&use_config());
    let result = RwSignal::new(None::<UserInfo>);
    let call = {
        let endpoint = endpoint.clone();
        let session = session.clone();
        move || {
            let endpoint = endpoint.clone();
            let token = session.tokens.access_token.expose().to_owned();
            let sub = session.id.sub().unwrap_or_default().to_owned();
            result.set(None);
            spawn_local(async move {
                let bearer = Some((token.as_str(), ACCESS_TOKEN));
                let answer = match get_with_bearer(&endpoint, bearer, "userinfo").await.1 {
                    Ok(answer) => read_answer(answer.status, &answer.body, &sub),
                    Err(()) => network_failure(&endpoint),
                };
                result.try_set(Some(answer));
            });
        }
    };
    call();
    let status = move || result.with(|r| r.as_ref().map_or("pending", UserInfo::status));
    view! {
        <section class="card" aria-labelledby="userinfo-title">
            <h2 id="userinfo-title">"userInfo"</h2>
            <p class="hint">
                "The app calls " <code>"GET " {endpoint.clone()}</code> " with the access token. "
                "The answer is shown only if its " <code>"sub"</code> " is the ID token's " <code>"sub"</code> "."
            </p>
            <div data-testid="userinfo" data-status=status aria-live="polite">
                {move || match result.get() {
                    None => view! { <p class="muted">"Calling userInfo…"</p> }.into_any(),
                    Some(UserInfo::Accepted(rows)) => view! {
                        <div class="table-wrap">
                            <table>
                                <caption>"Attributes from userInfo"</caption>
                                <tbody>
                                    {rows.into_iter().map(|(name, value)| { let attr = name.clone(); view! {
                                        <tr data-attr=attr><th scope="row"><code>{name}</code></th><td class="mono">{value}</td></tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Some(UserInfo::Rejected(text)) => view! {
                        <p class="notice bad" data-testid="userinfo-error"><strong>"Rejected. "</strong>{text}</p>
                    }.into_any(),
                    Some(UserInfo::Failed(text)) => view! {
                        <p class="notice warn" data-testid="userinfo-error"><strong>"userInfo failed. "</strong>{text}</p>
                    }.into_any(),
                }}
            </div>
            <div class="actions">
                <button type="button" data-testid="userinfo-call" on:click=move |_| call()
                    disabled=move || result.with(Option::is_none)>"Call userInfo again"</button>
            </div>
        </section>
    }
}
