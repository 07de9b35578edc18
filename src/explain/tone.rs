//! How good the news is: the one scale every explanation and notice uses,
//! and the CSS class that colours it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Warn,
    Bad,
}

impl Tone {
    /// The class the stylesheet colours (`notice ok`, `badge bad`...).
    pub fn class(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tone_has_its_own_class() {
        let classes = [Tone::Ok, Tone::Warn, Tone::Bad].map(Tone::class);
        assert_eq!(classes, ["ok", "warn", "bad"]);
    }
}
