//! The `/book` console's logic: the call itself, start to end (`call`), and
//! what its answer means, the headers a page may read cross-origin and the
//! call history (`explain`). Native tests for the pure parts;
//! `components::book_console` only shows what they return.

pub mod call;
pub mod explain;
