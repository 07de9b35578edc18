//! Shown instead of the app when config.json is missing or invalid: the app
//! never runs on a guessed configuration.

use leptos::prelude::*;

use crate::config::ConfigError;

#[component]
pub fn ConfigErrorPage(error: ConfigError) -> impl IntoView {
    let key = error.key.clone();
    view! {
        <main id="main" class="config-error-page">
            <section class="card narrow error" data-testid="config-error" role="alert">
                <h1>"Configuration error"</h1>
                {key.map(|key| view! {
                    <p>"The key " <code data-testid="config-error-key">{key}</code> " in " <code>"config.json"</code> " is not valid."</p>
                })}
                <p class="problem" data-testid="config-error-problem">{error.to_string()}</p>
                <p>
                    "Fix " <code>"config.json"</code> " (next to index.html) and reload. "
                    "The keys and their rules are listed in the README, under Configuration."
                </p>
            </section>
        </main>
    }
}
