//! The top navigation bar, with the session's user and sign-out.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{use_auth, AuthState};

#[component]
pub fn NavBar() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="site-header">
            <nav class="nav" aria-label="Main">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " cognito-spa"
                </A>
                <ul class="nav-links">
                    <li><A href="/" exact=true>"Home"</A></li>
                    <li><A href="/profile">"Profile"</A></li>
                    <li><A href="/trace">"Trace"</A></li>
                </ul>
                <div class="nav-session">
                    {move || match auth.state.get() {
                        AuthState::SignedIn(session) => view! {
                            <span class="user" data-testid="user" title="cognito:username">
                                "Signed in as " <strong>{session.username()}</strong>
                            </span>
                            <button type="button" data-testid="logout" on:click=move |_| auth.sign_out()>
                                "Sign out"
                            </button>
                        }
                        .into_any(),
                        AuthState::Checking => view! { <span class="muted">"Checking session…"</span> }.into_any(),
                        AuthState::SignedOut => view! { <span class="muted">"Signed out"</span> }.into_any(),
                    }}
                </div>
            </nav>
        </header>
    }
}
