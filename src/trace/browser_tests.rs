//! wasm-bindgen tests in headless Chromium: the trace's store on the real
//! sessionStorage, and what a sign-out lets in.

use wasm_bindgen_test::*;

use super::{begin, decode, finish, params, record, start_new, step, steps, unanswered, TRACE_KEY};
use crate::web::storage::session_text;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn steps_are_stored_masked_and_a_sign_out_keeps_only_its_own() {
    start_new(false);
    record(
        "authorize",
        "sent",
        "GET",
        "https://h/oauth2/authorize",
        params('q', "state=state-secret-1234&client_id=c"),
    );
    let id = begin(
        "token",
        "POST",
        "https://h/oauth2/token",
        params('f', "code=code-secret-5678"),
    );
    assert_eq!(step(id).unwrap().status, "pending");
    finish(id, "200", Vec::new());
    let stored = session_text(TRACE_KEY).expect("the trace is in sessionStorage");
    assert!(!stored.contains("state-secret") && !stored.contains("code-secret"));
    let kinds: Vec<String> = decode(&stored).into_iter().map(|s| s.kind).collect();
    assert_eq!(kinds, ["authorize", "token"]);
    assert_eq!(step(id).unwrap().status, "200");

    start_new(true);
    assert!(steps().is_empty(), "sign-out clears every earlier step");
    finish(id, "200", Vec::new());
    let late = begin("refresh", "POST", "https://h/oauth2/token", Vec::new());
    assert_eq!(late, 0, "an earlier flow's request is not recorded");
    record(
        "revoke",
        "200",
        "POST",
        "https://h/oauth2/revoke",
        Vec::new(),
    );
    record("logout", "sent", "GET", "https://h/logout", Vec::new());
    let kinds: Vec<String> = steps().into_iter().map(|s| s.kind).collect();
    assert_eq!(kinds, ["revoke", "logout"]);
    start_new(false);
}

#[wasm_bindgen_test]
fn a_request_left_without_its_answer_says_so() {
    start_new(false);
    let revoke = begin("revoke", "POST", "https://h/oauth2/revoke", Vec::new());
    record("verify", "ok", "", "", Vec::new());
    unanswered("no answer within 4 s");
    let revoke = step(revoke).unwrap();
    assert_eq!(revoke.status, "network-error");
    let notes: Vec<&str> = revoke.rows('n').map(|r| r.value.as_str()).collect();
    assert_eq!(notes, ["no answer within 4 s"]);
    // A step that had its answer keeps it.
    let kept: Vec<String> = steps().into_iter().map(|s| s.status).collect();
    assert_eq!(kept, ["network-error", "ok"]);
    start_new(false);
}
