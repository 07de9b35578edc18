//! When to refresh: ahead of the access token's expiry, so a call never
//! goes out with a token about to lapse.

/// Refresh this long before `exp` at most (Cognito's tokens live 5 minutes
/// to a day; two minutes is the usual margin).
pub const MAX_MARGIN_SECONDS: i64 = 120;

/// Seconds from `now` until the refresh should run: `exp` minus a margin of
/// a quarter of the token's lifetime, capped at two minutes; never negative.
pub fn refresh_delay_seconds(now: i64, issued_at: i64, expires_at: i64) -> i64 {
    let lifetime = (expires_at - issued_at).max(0);
    let margin = (lifetime / 4).min(MAX_MARGIN_SECONDS);
    (expires_at - margin - now).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_token_refreshes_two_minutes_early() {
        assert_eq!(refresh_delay_seconds(1000, 1000, 4600), 3600 - 120);
    }

    #[test]
    fn a_short_token_refreshes_at_three_quarters_of_its_life() {
        assert_eq!(refresh_delay_seconds(0, 0, 60), 45);
    }

    #[test]
    fn an_expired_or_nearly_expired_token_refreshes_now() {
        assert_eq!(refresh_delay_seconds(5000, 1000, 4600), 0);
        assert_eq!(refresh_delay_seconds(4590, 1000, 4600), 0);
    }

    #[test]
    fn nonsense_times_do_not_go_negative() {
        assert_eq!(refresh_delay_seconds(0, 100, 50), 50);
        assert_eq!(refresh_delay_seconds(100, 100, 50), 0);
    }
}
