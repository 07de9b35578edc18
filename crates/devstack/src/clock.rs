//! Injectable time source (seconds since the Unix epoch) so tests can expire
//! codes, sessions and tokens without sleeping, plus an offset that moves
//! the whole stack's time forward at run time (the `/_devstack` "expire
//! tokens" control): every check of `exp`, code and session lifetimes reads
//! [`Clock::now`], so a shifted clock expires them all at once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock {
    source: Arc<dyn Fn() -> i64 + Send + Sync>,
    /// Seconds added to `source`; shared by every clone.
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::from_fn(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
    }

    pub fn from_fn(f: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Self {
            source: Arc::new(f),
            offset: Arc::default(),
        }
    }

    pub fn now(&self) -> i64 {
        (self.source)().saturating_add(self.offset())
    }

    /// How far this clock runs ahead of its source.
    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }

    /// Moves the time forward by `seconds` (for every clone of this clock).
    pub fn advance(&self, seconds: i64) {
        let _ = self
            .offset
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(seconds))
            });
    }

    /// Back to the source's time.
    pub fn reset_offset(&self) {
        self.offset.store(0, Ordering::SeqCst);
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({}, offset {})", self.now(), self.offset())
    }
}

/// A clock that only moves when told to.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(start: i64) -> Self {
        Self(Arc::new(AtomicI64::new(start)))
    }
    /// Starts at the current system time.
    pub fn starting_now() -> Self {
        Self::new(Clock::system().now())
    }
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
    pub fn clock(&self) -> Clock {
        let inner = self.0.clone();
        Clock::from_fn(move || inner.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_moves_every_clone_and_resets() {
        let manual = ManualClock::new(1_000);
        let clock = manual.clock();
        let clone = clock.clone();
        clock.advance(3_601);
        assert_eq!(clone.now(), 4_601);
        manual.advance(1);
        assert_eq!(clone.now(), 4_602);
        assert_eq!(clone.offset(), 3_601);
        clone.reset_offset();
        assert_eq!(clock.now(), 1_001);
    }
}
