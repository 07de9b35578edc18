//! What each claim means is data, `public/explain.json`, rather than text
//! compiled into the wasm every visitor downloads before the first view:
//! `{"claims": {NAME: "what it means", "custom:": "…"}}`, for the claims
//! [`super::claims::KNOWN`] and `custom:` attributes (which share one
//! text). `src/web/explain.js`, inlined into index.html, fetches it once,
//! when the first row of a claims table (`<tr data-claim=NAME>`) appears,
//! and adds the text to each known claim's row. Until it arrives the
//! tables show every claim and value without it; if it cannot be had,
//! each table's caption says so (`claims-about-missing`).

#[cfg(test)]
mod tests {
    use crate::explain::claims::{known, KNOWN};

    fn shipped() -> serde_json::Map<String, serde_json::Value> {
        let file: serde_json::Value =
            serde_json::from_str(include_str!("../../public/explain.json"))
                .expect("public/explain.json is JSON");
        file["claims"].as_object().expect("a claims object").clone()
    }

    #[test]
    fn the_shipped_file_describes_exactly_the_claims_the_app_knows() {
        let claims = shipped();
        for name in KNOWN.iter().chain(&["custom:"]) {
            let about = claims
                .get(*name)
                .and_then(|t| t.as_str())
                .unwrap_or_default();
            assert!(!about.is_empty(), "{name} has a description");
        }
        assert!(claims["sub"].as_str().unwrap().contains("unique id"));
        assert!(claims["custom:"]
            .as_str()
            .unwrap()
            .contains("custom attribute"));
        // Nothing described that the table shows as unknown JSON.
        for name in claims.keys() {
            assert!(known(name), "{name} is described but not known");
        }
        assert_eq!(claims.len(), KNOWN.len() + 1);
    }
}
