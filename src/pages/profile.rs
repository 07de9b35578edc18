//! `/profile`: the signed-in user's tokens.

use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <section class="card" data-testid="profile">
            <h1>"Profile"</h1>
            <p>"Sign in to see the claims of your ID and access tokens."</p>
        </section>
    }
}
