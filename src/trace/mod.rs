//! The protocol trace: every request the app sends and every answer it
//! gets, recorded where the requests are made (`web::http`, the authorize
//! and logout navigations, the callback, the verification) and masked
//! before it is kept (`mask`). It lives in memory and in sessionStorage, so
//! it survives the hosted UI's redirects and a reload. `/trace` shows it;
//! `curl` turns a step back into a command.
//!
//! One generic model: a step is a kind, a status, a method and URL, and
//! rows, each tagged with the table it belongs to (see [`Row::tag`]).

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
pub mod curl;
pub mod mask;

use std::cell::{Cell, RefCell};

use leptos::prelude::{ArcRwSignal, Track, Update};

use crate::web::storage;

/// The sessionStorage key of the trace (masked steps only).
pub const TRACE_KEY: &str = "cognito-spa.trace";

/// One line of a step. `tag` names its table: `q` query parameter, `g`
/// fragment parameter, `f` form parameter, `h` request header, `r`
/// response header, `i`/`a` a check of the ID/access token, `b` the body,
/// `t` the time taken, `n` a note.
#[derive(Clone, PartialEq, Eq)]
pub struct Row {
    pub tag: char,
    pub name: String,
    /// Masked: as shown and as stored.
    pub value: String,
    /// What a replay puts instead of the value (`$CODE`, `Bearer
    /// $ID_TOKEN`), or empty when the value itself is replayed.
    pub replay: String,
}

impl Row {
    pub fn new(tag: char, name: &str, value: &str) -> Row {
        Row {
            tag,
            name: clean(name),
            value: clean(value),
            replay: String::new(),
        }
    }

    /// A query, fragment or form parameter, masked by its name.
    pub fn param(tag: char, name: &str, value: &str) -> Row {
        let (shown, replay) = mask::param(name, value);
        Row {
            replay: replay.map(|p| format!("${p}")).unwrap_or_default(),
            ..Row::new(tag, name, &shown)
        }
    }
}

/// One request and its answer, or one navigation, or one verification.
#[derive(Clone, PartialEq, Eq)]
pub struct Step {
    pub id: u32,
    /// The contract's `data-step`: `authorize`, `token`, `verify`, ...
    pub kind: String,
    /// The contract's `data-status`: an HTTP status, `sent`, `ok`,
    /// `failed`, `network-error`, or `pending` until the answer comes.
    pub status: String,
    /// `GET`, `POST`; empty for a verification.
    pub method: String,
    pub url: String,
    pub rows: Vec<Row>,
}

impl Step {
    pub fn rows(&self, tag: char) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |row| row.tag == tag)
    }
}

// Stored as plain text, separated by the ASCII unit, record and group
// separators: a derived serde format for these structs cost the wasm
// several kilobytes, this a few hundred bytes.
const FIELD: char = '\x1f';
const ROW: char = '\x1e';
const STEP: char = '\x1d';

/// Text from outside (bodies, headers) cannot break the stored form.
fn clean(text: &str) -> String {
    text.replace([FIELD, ROW, STEP], " ")
}

pub fn encode(steps: &[Step]) -> String {
    let mut out = String::new();
    for (n, step) in steps.iter().enumerate() {
        if n > 0 {
            out.push(STEP);
        }
        let id = step.id.to_string();
        let head = [
            id.as_str(),
            &step.kind,
            &step.status,
            &step.method,
            &step.url,
        ];
        out.push_str(&head.join("\x1f"));
        for row in &step.rows {
            out.push(ROW);
            out.push(row.tag);
            for field in [&row.name, &row.value, &row.replay] {
                out.push(FIELD);
                out.push_str(field);
            }
        }
    }
    out
}

/// The steps of [`encode`]'s text; what does not read is left out.
pub fn decode(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for step in text.split(STEP) {
        let mut parts = step.split(ROW);
        let head: Vec<&str> = parts.next().unwrap_or_default().split(FIELD).collect();
        let [id, kind, status, method, url] = head[..] else {
            continue;
        };
        let Ok(id) = id.parse() else { continue };
        let mut rows = Vec::new();
        for row in parts {
            let fields: Vec<&str> = row.split(FIELD).collect();
            if let [tag, name, value, replay] = fields[..] {
                rows.push(Row {
                    tag: tag.chars().next().unwrap_or(' '),
                    name: name.to_owned(),
                    value: value.to_owned(),
                    replay: replay.to_owned(),
                });
            }
        }
        let text = str::to_owned;
        steps.push(Step {
            id,
            kind: text(kind),
            status: text(status),
            method: text(method),
            url: text(url),
            rows,
        });
    }
    steps
}

/// A tab's trace grows with every reload of /profile (userInfo); past
/// this many steps the oldest go.
const MAX_STEPS: usize = 100;

thread_local! {
    /// The trace, read from sessionStorage once per page.
    static STEPS: RefCell<Option<Vec<Step>>> = const { RefCell::new(None) };
    /// During sign-out only its own steps are recorded: an answer to an
    /// earlier request (a refresh in flight) must not reappear.
    static SIGNING_OUT: Cell<bool> = const { Cell::new(false) };
    /// Flips on every change: a `bool` signal, whose code the wasm has
    /// already (a trigger of its own cost it about a kilobyte).
    static CHANGED: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

fn with_steps<R>(use_them: impl FnOnce(&mut Vec<Step>) -> R) -> R {
    STEPS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let steps = cell.get_or_insert_with(|| {
            storage::session_text(TRACE_KEY)
                .map(|text| decode(&text))
                .unwrap_or_default()
        });
        use_them(steps)
    })
}

/// Changes the trace, then stores it and tells the views.
fn update<R>(change: impl FnOnce(&mut Vec<Step>) -> R) -> R {
    let result = with_steps(|steps| {
        let result = change(steps);
        let excess = steps.len().saturating_sub(MAX_STEPS);
        steps.drain(..excess);
        storage::set_session_text(TRACE_KEY, &encode(steps));
        result
    });
    CHANGED.with(|changed| changed.update(|flag| *flag = !*flag));
    result
}

/// The steps so far; in a reactive scope, it reruns on every change.
pub fn steps() -> Vec<Step> {
    CHANGED.with(Track::track);
    with_steps(|steps| steps.clone())
}

pub fn step(id: u32) -> Option<Step> {
    with_steps(|steps| steps.iter().find(|s| s.id == id).cloned())
}

/// A sign-in or a sign-out starts a new trace: every earlier step goes.
pub fn start_new(sign_out: bool) {
    SIGNING_OUT.with(|cell| cell.set(sign_out));
    update(Vec::clear);
}

/// Records the request part of a step (`pending` until [`finish`]);
/// returns its id, or 0 when it is not recorded.
pub fn begin(kind: &str, method: &str, url: &str, rows: Vec<Row>) -> u32 {
    if SIGNING_OUT.with(Cell::get) && !matches!(kind, "revoke" | "logout") {
        return 0;
    }
    update(|steps| {
        let id = steps.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        steps.push(Step {
            id,
            kind: kind.to_owned(),
            status: "pending".to_owned(),
            method: method.to_owned(),
            url: clean(url),
            rows,
        });
        id
    })
}

/// Adds the answer to step `id`; nothing if a new trace began meanwhile.
pub fn finish(id: u32, status: &str, rows: Vec<Row>) {
    if id == 0 {
        return;
    }
    update(|steps| {
        if let Some(step) = steps.iter_mut().find(|s| s.id == id) {
            step.status = status.to_owned();
            step.rows.extend(rows);
        }
    });
}

/// Closes every step still waiting for its answer, with `note` saying
/// why: the page is about to leave (sign-out's revoke ran out of time), so
/// no answer will come to it. `network-error` is the contract's word for a
/// request without an answer; `pending` would claim one may still come.
pub fn unanswered(note: &str) {
    update(|steps| {
        for step in steps.iter_mut().filter(|s| s.status == "pending") {
            step.status = "network-error".to_owned();
            step.rows.push(Row::new('n', "note", note));
        }
    });
}

/// A step complete at once: a navigation, a callback, a verification.
pub fn record(kind: &str, status: &str, method: &str, url: &str, rows: Vec<Row>) {
    let id = begin(kind, method, url, rows);
    finish(id, status, Vec::new());
}

/// A navigation's step: the address without its query, the query's
/// parameters masked one by one.
pub fn navigation(kind: &str, address: &str) {
    let (url, query) = address.split_once('?').unwrap_or((address, ""));
    record(kind, "sent", "GET", url, params('q', query));
}

/// The masked rows of a query or fragment.
pub fn params(tag: char, encoded: &str) -> Vec<Row> {
    form_urlencoded::parse(encoded.as_bytes())
        .map(|(name, value)| Row::param(tag, &name, &value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Step> {
        vec![
            Step {
                id: 1,
                kind: "token".into(),
                status: "200".into(),
                method: "POST".into(),
                url: "http://127.0.0.1:4010/oauth2/token".into(),
                rows: vec![
                    Row::param('f', "code", "abcdefgh"),
                    Row::new('b', "", "{\n  \"a\": 1\n}"),
                ],
            },
            Step {
                id: 2,
                kind: "verify".into(),
                status: "ok".into(),
                method: String::new(),
                url: String::new(),
                rows: Vec::new(),
            },
        ]
    }

    #[test]
    fn the_stored_text_reads_back() {
        let steps = sample();
        assert!(decode(&encode(&steps)) == steps);
        assert!(decode("").is_empty());
        assert!(decode("junk").is_empty());
    }

    #[test]
    fn text_from_outside_cannot_forge_a_row_or_step() {
        let row = Row::new('b', "", "a\x1eb\x1dc\x1fd");
        assert_eq!(row.value, "a b c d");
    }

    #[test]
    fn parameters_are_masked_and_keep_their_replay_placeholder() {
        let rows = params('q', "state=abcdefgh&scope=openid+email&code=12345678");
        assert_eq!(rows[0].value, "abcd…");
        assert_eq!(rows[0].replay, "");
        assert_eq!(rows[1].value, "openid email");
        assert_eq!(rows[2].value, "1234…");
        assert_eq!(rows[2].replay, "$CODE");
    }
}
