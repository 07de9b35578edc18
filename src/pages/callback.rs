//! `/callback`: where the hosted UI sends the browser back. The address is
//! cleaned before anything else happens, then sign-in is completed and the
//! user is taken on, or shown what failed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::auth::use_auth;
use crate::web::page::{location_href, replace_address};

#[component]
pub fn CallbackPage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let (failure, set_failure) = signal(None::<String>);

    let href = location_href();
    // Codes, tokens and state leave the address bar (and history) first.
    replace_address("/callback");
    let (query, fragment) = split_href(&href);
    spawn_local(async move {
        match auth.complete_sign_in(&query, &fragment).await {
            Ok(return_to) => navigate(
                &return_to,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            ),
            Err(error) => set_failure.set(Some(error.to_string())),
        }
    });

    view! {
        <section class="card narrow" aria-live="polite">
            {move || match failure.get() {
                None => view! {
                    <h1>"Completing sign-in…"</h1>
                    <p>"Checking the hosted UI's answer and verifying your tokens."</p>
                }
                .into_any(),
                Some(error) => view! {
                    <h1>"Sign-in failed"</h1>
                    <p class="notice bad" data-testid="auth-error" role="alert">{error}</p>
                    <p>
                        "No session was created"
                        {move || auth.session().map(|_| ", and your existing session is untouched")}
                        ". "
                        <A href="/">"Back to the home page"</A>
                        " to try again."
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The query (without `?`) and fragment (without `#`) of an address.
fn split_href(href: &str) -> (String, String) {
    let (before_fragment, fragment) = href.split_once('#').unwrap_or((href, ""));
    let query = before_fragment
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("");
    (query.to_owned(), fragment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::split_href;

    #[test]
    fn splits_query_and_fragment() {
        assert_eq!(
            split_href("http://a/callback?code=1&state=2"),
            ("code=1&state=2".into(), "".into())
        );
        assert_eq!(
            split_href("http://a/callback#id_token=x"),
            ("".into(), "id_token=x".into())
        );
        assert_eq!(
            split_href("http://a/callback?e=1#f=2"),
            ("e=1".into(), "f=2".into())
        );
        assert_eq!(split_href("http://a/callback"), ("".into(), "".into()));
    }
}
