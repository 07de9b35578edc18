//! The router and the context every page reads.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::Auth;
use crate::components::nav::NavBar;
use crate::config::Config;
use crate::pages::{
    callback::CallbackPage, home::HomePage, not_found::NotFound, profile::ProfilePage,
};

/// The validated configuration, shared read-only with every component.
pub type SharedConfig = Arc<Config>;

#[component]
pub fn App(config: Config) -> impl IntoView {
    let config: SharedConfig = Arc::new(config);
    provide_context(config.clone());
    Auth::provide(config);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <NavBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/profile") view=ProfilePage />
                    <Route path=path!("/callback") view=CallbackPage />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"cognito-spa: Amazon Cognito hosted UI sign-in, in Rust and WebAssembly."</p>
            </footer>
        </Router>
    }
}

/// The configuration of the running app.
pub fn use_config() -> SharedConfig {
    expect_context::<SharedConfig>()
}
