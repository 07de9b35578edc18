//! The router, below the config and auth contexts every page reads.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::Auth;
use crate::chunks::lazy_page;
use crate::components::nav::NavBar;
use crate::config::{provide_config, Config};
use crate::pages::{
    callback::CallbackPage, home::HomePage, not_found::NotFound, profile::profile_page,
    trace::trace_page,
};

#[component]
pub fn App(config: Config) -> impl IntoView {
    Auth::provide(provide_config(config));
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <NavBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/profile") view=|| lazy_page(profile_page()) />
                    <Route path=path!("/callback") view=CallbackPage />
                    <Route path=path!("/trace") view=|| lazy_page(trace_page()) />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"cognito-spa: Amazon Cognito hosted UI sign-in, in Rust and WebAssembly."</p>
            </footer>
        </Router>
    }
}
