//! The `/book` use case: the call itself, start to end. Its answer is
//! explained by `explain::book`; `components::book_console` only shows.

pub mod call;
