//! Durations and relative times in words ("in 42 min", "3 min ago") and the
//! expiry countdown, and how a local date and time is written. Everything
//! here is a pure function of its arguments; the browser's clock and time
//! zone are read in `web::clock`.

/// A local date and time as `2026-12-02 18:25:07 UTC+01:00`: the same in
/// every locale, and sortable. `minutes_ahead` is the zone's offset from UTC
/// at that moment.
///
/// Not `toLocaleString`: the first date a page formats that way makes the
/// browser load its locale data, 15 to 20 ms on /callback in headless
/// Chromium (measured), the largest single pause before /profile showed.
pub fn date_time_text(date: [u32; 3], time: [u32; 3], minutes_ahead: i32) -> String {
    let [year, month, day] = date;
    let [hour, minute, second] = time;
    let zone = if minutes_ahead == 0 {
        "UTC".to_owned()
    } else {
        let sign = if minutes_ahead > 0 { '+' } else { '-' };
        let ahead = minutes_ahead.unsigned_abs();
        format!("UTC{sign}{:02}:{:02}", ahead / 60, ahead % 60)
    };
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} {zone}")
}

/// A duration for people, at most two units: "45 s", "42 min",
/// "1 h 5 min", "3 days 2 h".
pub fn span(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    if s < MIN {
        format!("{s} s")
    } else if s < HOUR {
        format!("{} min", s / MIN)
    } else if s < DAY {
        let (h, m) = (s / HOUR, (s % HOUR) / MIN);
        if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        }
    } else {
        let (d, h) = (s / DAY, (s % DAY) / HOUR);
        let days = if d == 1 { "day" } else { "days" };
        if h == 0 {
            format!("{d} {days}")
        } else {
            format!("{d} {days} {h} h")
        }
    }
}

/// "in 42 min", "3 min ago", or "just now" within a second.
pub fn relative(at: i64, now: i64) -> String {
    let delta = at - now;
    if delta == 0 {
        "just now".to_owned()
    } else if delta > 0 {
        format!("in {}", span(delta))
    } else {
        format!("{} ago", span(delta))
    }
}

/// The words of a time claim: "expires in 42 min", "expired 3 min ago",
/// "issued 3 min ago", "signed in 1 h ago", "valid since 3 min ago".
pub fn claim_relative(name: &str, at: i64, now: i64) -> String {
    let future = at > now;
    let when = relative(at, now);
    match name {
        "exp" if future => format!("expires {when}"),
        "exp" => format!("expired {when}"),
        "iat" if future => format!("issued {when} (in the future: check the clocks)"),
        "iat" => format!("issued {when}"),
        "auth_time" => format!("signed in {when}"),
        "nbf" if future => format!("becomes valid {when}"),
        "nbf" => format!("valid since {when}"),
        _ => when,
    }
}

/// The live countdown to `exp`: "59:58", "1:02:03", then "expired".
pub fn countdown(exp: i64, now: i64) -> String {
    let left = exp - now;
    if left <= 0 {
        return "expired".to_owned();
    }
    let (h, m, s) = (left / 3600, (left % 3600) / 60, left % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// How far through its life a token is, 0..=100 (for a progress bar).
pub fn life_used_percent(iat: i64, exp: i64, now: i64) -> u8 {
    let life = exp - iat;
    if life <= 0 || now >= exp {
        return 100;
    }
    if now <= iat {
        return 0;
    }
    (((now - iat) * 100) / life) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_dates_are_written_the_same_everywhere_with_their_zone() {
        assert_eq!(
            date_time_text([2026, 12, 2], [18, 5, 7], 60),
            "2026-12-02 18:05:07 UTC+01:00"
        );
        assert_eq!(
            date_time_text([2026, 7, 1], [9, 0, 0], -330),
            "2026-07-01 09:00:00 UTC-05:30"
        );
        assert_eq!(
            date_time_text([1970, 1, 1], [0, 0, 0], 0),
            "1970-01-01 00:00:00 UTC"
        );
    }

    #[test]
    fn spans_use_at_most_two_units() {
        assert_eq!(span(0), "0 s");
        assert_eq!(span(45), "45 s");
        assert_eq!(span(-45), "45 s");
        assert_eq!(span(60), "1 min");
        assert_eq!(span(42 * 60 + 59), "42 min");
        assert_eq!(span(3600), "1 h");
        assert_eq!(span(3900), "1 h 5 min");
        assert_eq!(span(86_400), "1 day");
        assert_eq!(span(3 * 86_400 + 2 * 3600 + 5), "3 days 2 h");
    }

    #[test]
    fn relative_times_read_forward_and_back() {
        assert_eq!(relative(1000, 1000), "just now");
        assert_eq!(relative(1000 + 42 * 60, 1000), "in 42 min");
        assert_eq!(relative(1000 - 180, 1000), "3 min ago");
    }

    #[test]
    fn time_claims_have_their_own_words() {
        let now = 10_000;
        assert_eq!(claim_relative("exp", now + 2520, now), "expires in 42 min");
        assert_eq!(claim_relative("exp", now - 180, now), "expired 3 min ago");
        assert_eq!(claim_relative("iat", now - 180, now), "issued 3 min ago");
        assert!(claim_relative("iat", now + 180, now).contains("in the future"));
        assert_eq!(
            claim_relative("auth_time", now - 3600, now),
            "signed in 1 h ago"
        );
        assert_eq!(
            claim_relative("nbf", now - 60, now),
            "valid since 1 min ago"
        );
        assert_eq!(
            claim_relative("nbf", now + 60, now),
            "becomes valid in 1 min"
        );
        assert_eq!(claim_relative("other", now + 5, now), "in 5 s");
    }

    #[test]
    fn countdown_ticks_down_to_expired() {
        assert_eq!(countdown(100, 100), "expired");
        assert_eq!(countdown(100, 200), "expired");
        assert_eq!(countdown(100, 99), "00:01");
        assert_eq!(countdown(3600, 2), "59:58");
        assert_eq!(countdown(3723, 0), "1:02:03");
    }

    #[test]
    fn life_used_is_clamped() {
        assert_eq!(life_used_percent(0, 100, -5), 0);
        assert_eq!(life_used_percent(0, 100, 25), 25);
        assert_eq!(life_used_percent(0, 100, 100), 100);
        assert_eq!(life_used_percent(0, 0, 0), 100);
    }
}
