//! Reading tokens for people: claims rendered by kind, times relative to
//! now, the ID/access comparison and the userInfo check. Pure functions of
//! (value, now) with native tests; the components only lay them out.

pub mod claims;
pub mod compare;
pub mod time;
pub mod userinfo;
