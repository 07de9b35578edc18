//! The `/book` console's logic: what a call's answer means (`explain`), the
//! headers a page may read cross-origin, and the call history. Pure, with
//! native tests; `components::book_console` is the browser glue.

pub mod explain;
