//! The `copy-curl` button: copies a command that repeats a request; the
//! command is also in its `data-curl` attribute, and shown on request.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::clipboard::copy_text;

#[component]
pub fn CopyCurl(command: String) -> impl IntoView {
    let copied = RwSignal::new(None::<Result<(), String>>);
    let text = StoredValue::new(command.clone());
    let copy = move |_| {
        spawn_local(async move {
            copied.try_set(Some(copy_text(&text.get_value()).await));
        });
    };
    view! {
        <div class="actions curl">
            <button type="button" data-testid="copy-curl" data-curl=command.clone() on:click=copy>"Copy as curl"</button>
            <span role="status" class="hint">
                {move || copied.get().map(|r| match r {
                    Ok(()) => "Copied. Set the $PLACEHOLDERS first.".to_owned(),
                    Err(e) => format!("Could not copy: {e}"),
                })}
            </span>
        </div>
        <details class="curl">
            <summary>"Show the command"</summary>
            <pre>{command}</pre>
        </details>
    }
}
