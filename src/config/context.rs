//! The validated configuration as every component reads it: stored once per
//! app, in Leptos's arena, and handed out by `use_config`.

use std::sync::Arc;

use leptos::prelude::*;

use super::Config;

/// The validated configuration, shared read-only.
pub type SharedConfig = Arc<Config>;

/// Where the app keeps its one configuration; `Copy`, so the auth handle
/// holds the same store the components read from.
pub type ConfigStore = StoredValue<SharedConfig>;

/// Stores `config` for the app below the current owner and provides it.
pub fn provide_config(config: Config) -> ConfigStore {
    let store: ConfigStore = StoredValue::new(Arc::new(config));
    provide_context(store);
    store
}

/// The configuration of the running app.
pub fn use_config() -> SharedConfig {
    expect_context::<ConfigStore>().get_value()
}
