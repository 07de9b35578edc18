pub mod claims;
pub mod nav;
pub mod notice;
pub mod report;
pub mod session_summary;
