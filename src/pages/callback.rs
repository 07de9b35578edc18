//! `/callback`: where the hosted UI sends the browser back.

use leptos::prelude::*;

#[component]
pub fn CallbackPage() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Completing sign-in…"</h1>
        </section>
    }
}
