//! Whether the answer of an async step (a refresh, a restore) may still
//! change the session when it arrives. Each step takes a [`Ticket`] when it
//! starts; the session moving on (another refresh applied, the tokens
//! dropped) or a sign-out beginning makes older tickets stale, so a late
//! answer can never bring back tokens that sign-out cleared.

/// The session's generation, and whether sign-out has begun.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    generation: u64,
    signing_out: bool,
}

/// Taken by a step when it starts; shown to [`Lifecycle::may_apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

impl Lifecycle {
    pub const fn new() -> Lifecycle {
        Lifecycle {
            generation: 0,
            signing_out: false,
        }
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation)
    }

    /// Whether a step that started with `ticket` may change the session.
    pub fn may_apply(&self, ticket: Ticket) -> bool {
        !self.signing_out && ticket.0 == self.generation
    }

    /// The session changed (new tokens applied, or dropped).
    pub fn advance(&mut self) {
        self.generation += 1;
    }

    /// From now on nothing may change the session again in this page.
    pub fn begin_sign_out(&mut self) {
        self.signing_out = true;
        self.advance();
    }

    pub fn signing_out(&self) -> bool {
        self.signing_out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_applies_when_nothing_happened_meanwhile() {
        let life = Lifecycle::default();
        let ticket = life.ticket();
        assert!(life.may_apply(ticket));
    }

    #[test]
    fn a_refresh_drops_its_result_once_sign_out_has_begun() {
        let mut life = Lifecycle::default();
        let ticket = life.ticket();
        life.begin_sign_out();
        assert!(!life.may_apply(ticket));
        // A step that starts after sign-out began is dropped too.
        assert!(!life.may_apply(life.ticket()));
        assert!(life.signing_out());
    }

    #[test]
    fn a_result_older_than_the_session_is_dropped() {
        let mut life = Lifecycle::default();
        let old = life.ticket();
        life.advance();
        assert!(!life.may_apply(old));
        assert!(life.may_apply(life.ticket()));
    }
}
