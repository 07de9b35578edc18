//! Content that waits until the page has painted what comes before it.

use std::time::Duration;

use leptos::prelude::*;

/// Shows `children` once the browser has painted the rest of the view: a
/// frame, then a task. /profile puts the panels below the tokens in one, so
/// the tokens and their verification show without waiting for them (their
/// DOM and layout took about a third of the page's first render).
#[component]
pub fn AfterPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    request_animation_frame(move || {
        // rAF runs before the frame's paint; the timeout runs after it.
        set_timeout(
            move || {
                painted.try_set(true);
            },
            Duration::ZERO,
        );
    });
    move || painted.get().then(|| children())
}
