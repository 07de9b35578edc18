//! ID token vs access token, side by side, and which one `/book` needs.

use cognito_jwt::{TokenUse, UnverifiedToken};
use leptos::prelude::*;

use crate::explain::compare::{presence, BOOK_NEEDS};

#[component]
pub fn CompareTokens(id: UnverifiedToken, access: UnverifiedToken) -> impl IntoView {
    let mark = |has: bool| {
        if has {
            view! { <span class="badge ok" aria-label="present">"✓"</span> }.into_any()
        } else {
            view! { <span class="muted" aria-label="absent">"—"</span> }.into_any()
        }
    };
    let rows = presence(id.claims(), access.claims())
        .into_iter()
        .map(|p| {
            let attr = p.name.clone();
            view! {
                <tr data-compare=attr>
                    <th scope="row"><code>{p.name}</code></th>
                    <td>{mark(p.in_id)}</td>
                    <td>{mark(p.in_access)}</td>
                </tr>
            }
        })
        .collect_view();
    let needs = BOOK_NEEDS
        .iter()
        .map(|need| {
            let token = match need.token {
                TokenUse::Id => "ID token",
                TokenUse::Access => "access token",
            };
            view! {
                <tr data-authorizer=need.authorizer>
                    <th scope="row">{need.authorizer}</th>
                    <td><strong>{token}</strong></td>
                    <td>{need.why}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title">"ID token vs access token"</h2>
            <p class="hint">
                "The ID token says who you are, for this app (" <code>"aud"</code> " is the app client). "
                "The access token says what the bearer may do at an API (" <code>"scope"</code> ", " <code>"client_id"</code> ", no " <code>"aud"</code> ")."
            </p>
            <div class="grid-2">
                <div class="table-wrap">
                    <table class="compare">
                        <caption>"Which claims each token has"</caption>
                        <thead><tr><th scope="col">"Claim"</th><th scope="col">"ID"</th><th scope="col">"Access"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="table-wrap">
                    <table>
                        <caption>"Which token GET /book needs"</caption>
                        <thead><tr><th scope="col">"Authorizer"</th><th scope="col">"Send"</th><th scope="col">"Why"</th></tr></thead>
                        <tbody>{needs}</tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}
