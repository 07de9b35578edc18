//! The top navigation bar.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NavBar() -> impl IntoView {
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
                </ul>
            </nav>
        </header>
    }
}
