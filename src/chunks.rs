//! Pages the first visit does not need, compiled into wasm chunks of their
//! own that the browser fetches when the page first opens.
//!
//! The release build (`cargo xtask dist`, `--cfg split_wasm`) splits the
//! wasm at each [`split_view!`]: wasm_split_cli_support moves the code only
//! that view reaches into a chunk, and the view's wrapper loads the chunk
//! before it runs. Every other build (trunk serve, the wasm-bindgen tests)
//! calls the view directly.

use leptos::prelude::*;
use std::future::Future;

/// A chunk that could not be fetched or instantiated. The details went to the
/// console from the chunk loader; the page says what it means.
pub struct ChunkError;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// `split_view!(chunk, pub fn name() { body })`: an async `name()` that
/// yields the view (`body`, an `AnyView`) once its chunk is loaded.
/// `split_view!(chunk, preload = load_it, …)` also makes `load_it()`, which
/// fetches the chunk without showing anything.
macro_rules! split_view {
    ($chunk:ident, preload = $preload:ident, $vis:vis fn $name:ident() $body:block) => {
        #[cfg(split_wasm)]
        #[::leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload($preload)
        )]
        $vis fn $name() -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok($body)
        }
        #[cfg(not(split_wasm))]
        $vis async fn $name() -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok($body)
        }
        #[cfg(not(split_wasm))]
        $vis async fn $preload() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }
    };
    ($chunk:ident, $vis:vis fn $name:ident() $body:block) => {
        #[cfg(split_wasm)]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name() -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok($body)
        }
        #[cfg(not(split_wasm))]
        $vis async fn $name() -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok($body)
        }
    };
}
pub(crate) use split_view;

/// Shows `view` once its chunk has loaded, and says so if it cannot load.
pub fn lazy_page(
    view: impl Future<Output = Result<AnyView, ChunkError>> + 'static,
) -> impl IntoView {
    let view = send_wrapper::SendWrapper::new(view);
    view! {
        <Suspense fallback=|| view! { <p role="status" class="hint">"Loading this page…"</p> }>
            {Suspend::new(async move {
                match view.await {
                    Ok(page) => page,
                    Err(ChunkError) => view! {
                        <p class="notice bad" role="alert" data-testid="chunk-error">
                            "This page's code could not be loaded (the network failed, or the app was redeployed meanwhile). Reload the page to try again."
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
