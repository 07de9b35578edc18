//! Reading tokens and answers for people: claims rendered by kind, times
//! relative to now, the ID/access comparison, the userInfo check and why
//! `/book` answered as it did, each with a [`tone::Tone`]. Pure functions
//! of (value, now) with native tests; the components only lay them out.
//! What each claim means is data (`public/explain.json`, see [`texts`]),
//! fetched when a claims table first shows.

pub mod book;
pub mod claims;
pub mod compare;
pub mod texts;
pub mod time;
pub mod tone;
pub mod userinfo;
