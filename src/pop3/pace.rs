//! Bounds on a slow server, kept by the [`super::wire::Wire`]: the progress rule (too few
//! bytes over a window of waiting is a stall) and the session deadline.

use std::time::{Duration, Instant};

use super::error::Pop3Error;
use super::options::ProgressRule;

/// Which limit the next read's timeout stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// The per-read idle timeout.
    Idle(Duration),
    /// The end of the current progress window.
    Window,
    /// The session deadline.
    Deadline,
}

/// Waiting time and bytes in the current progress window.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    waited: Duration,
    received: u64,
}

/// The session's end: an instant and the total time it stands for (for the message).
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: Instant,
    allowed: Duration,
}

/// Progress and deadline state of one connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pace {
    rule: Option<ProgressRule>,
    /// Armed by the first byte of a reply; disarmed when a command goes out.
    window: Option<Window>,
    deadline: Option<Deadline>,
}

impl Pace {
    /// Applies `rule` from now on.
    pub(crate) fn set_rule(&mut self, rule: ProgressRule) {
        self.rule = Some(rule);
    }

    /// The session must end `allowed` after `start`.
    pub(crate) fn set_deadline(&mut self, start: Instant, allowed: Duration) {
        let at = start.checked_add(allowed).unwrap_or(start);
        self.deadline = Some(Deadline { at, allowed });
    }

    /// Gives the session `extra` more time (a fetch announced more bytes).
    pub(crate) fn extend_deadline(&mut self, extra: Duration) {
        if let Some(deadline) = &mut self.deadline
            && let Some(at) = deadline.at.checked_add(extra)
        {
            deadline.at = at;
            deadline.allowed = deadline.allowed.saturating_add(extra);
        }
    }

    /// A command went out: the server may think before the first byte of its reply.
    pub(crate) fn command_sent(&mut self) {
        self.window = None;
    }

    /// The error for a session that ran past its deadline.
    fn deadline_passed(deadline: Deadline) -> Pop3Error {
        Pop3Error::DeadlinePassed {
            allowed: deadline.allowed,
        }
    }

    /// How long the next socket operation may wait at `now`, and which limit that is.
    /// `idle` is the per-operation timeout. Fails once the deadline has passed.
    pub(crate) fn budget(
        &self,
        now: Instant,
        idle: Option<Duration>,
    ) -> Result<Option<(Duration, Limit)>, Pop3Error> {
        let mut budget = idle.map(|idle| (idle, Limit::Idle(idle)));
        let mut tighten = |candidate: Duration, limit: Limit| {
            if budget.is_none_or(|(current, _)| candidate < current) {
                budget = Some((candidate, limit));
            }
        };
        if let (Some(rule), Some(window)) = (self.rule, self.window)
            && window.received < rule.min_bytes
        {
            tighten(rule.window.saturating_sub(window.waited), Limit::Window);
        }
        if let Some(deadline) = self.deadline {
            let left = deadline.at.saturating_duration_since(now);
            if left.is_zero() {
                return Err(Self::deadline_passed(deadline));
            }
            tighten(left, Limit::Deadline);
        }
        Ok(budget)
    }

    /// A read waited `waited` and brought `bytes`; fails when that makes a stall.
    pub(crate) fn record(&mut self, waited: Duration, bytes: usize) -> Result<(), Pop3Error> {
        let Some(rule) = self.rule else {
            return Ok(());
        };
        let window = match &mut self.window {
            Some(window) => {
                window.waited = window.waited.saturating_add(waited);
                window.received = window.received.saturating_add(bytes as u64);
                window
            }
            // The wait before a reply's first byte is the idle timeout's business.
            None if bytes == 0 => return Ok(()),
            None => self.window.insert(Window {
                waited: Duration::ZERO,
                received: bytes as u64,
            }),
        };
        if window.waited < rule.window {
            return Ok(());
        }
        if window.received < rule.min_bytes {
            return Err(Pop3Error::TooSlow {
                min_bytes: rule.min_bytes,
                window: rule.window,
            });
        }
        *window = Window::default();
        Ok(())
    }

    /// The error for a timeout of a wait bounded by `limit`.
    pub(crate) fn timed_out(&mut self, limit: Limit, waited: Duration) -> Pop3Error {
        match limit {
            Limit::Idle(timeout) => Pop3Error::ReadTimeout { timeout },
            Limit::Deadline => match self.deadline {
                Some(deadline) => Self::deadline_passed(deadline),
                None => Pop3Error::ReadTimeout { timeout: waited },
            },
            Limit::Window => match self.record(waited, 0) {
                Err(err) => err,
                // Unreachable: the window only bounds a wait when it is short of bytes.
                Ok(()) => Pop3Error::ReadTimeout { timeout: waited },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> ProgressRule {
        ProgressRule {
            window: Duration::from_mins(1),
            min_bytes: 1024,
        }
    }

    #[test]
    fn trickle_is_a_stall_once_the_window_is_full() {
        let mut pace = Pace::default();
        pace.set_rule(rule());
        // A silent wait before the first byte does not count.
        pace.record(Duration::from_secs(100), 0).unwrap();
        pace.record(Duration::from_secs(100), 1).unwrap();
        for _ in 0..58 {
            pace.record(Duration::from_secs(1), 1).unwrap();
        }
        let (left, limit) = pace.budget(Instant::now(), None).unwrap().unwrap();
        assert_eq!((left, limit), (Duration::from_secs(2), Limit::Window));
        pace.record(Duration::from_secs(1), 1).unwrap();
        let err = pace.record(Duration::from_secs(1), 1).unwrap_err();
        assert!(matches!(
            err,
            Pop3Error::TooSlow {
                min_bytes: 1024,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "cannot continue: the server is too slow (under 1 KiB in 60 s)"
        );
    }

    #[test]
    fn enough_bytes_start_a_new_window_and_a_command_disarms_it() {
        let mut pace = Pace::default();
        pace.set_rule(rule());
        pace.record(Duration::ZERO, 2000).unwrap();
        pace.record(Duration::from_secs(61), 0).unwrap();
        // New window, armed and empty: a 60 s wait is allowed again.
        let (left, _) = pace
            .budget(Instant::now(), Some(Duration::from_mins(2)))
            .unwrap()
            .unwrap();
        assert_eq!(left, Duration::from_mins(1));
        pace.command_sent();
        let (left, limit) = pace
            .budget(Instant::now(), Some(Duration::from_mins(2)))
            .unwrap()
            .unwrap();
        assert_eq!((left, limit), (Duration::from_mins(2), Limit::Idle(left)));
    }

    #[test]
    fn deadline_bounds_every_wait_and_can_grow() {
        let mut pace = Pace::default();
        let start = Instant::now();
        pace.set_deadline(start, Duration::from_secs(10));
        let (left, limit) = pace.budget(start, None).unwrap().unwrap();
        assert_eq!((left, limit), (Duration::from_secs(10), Limit::Deadline));
        let late = start + Duration::from_secs(10);
        let err = pace.budget(late, None).unwrap_err();
        assert!(
            err.to_string().contains("too slow"),
            "{err}: says why it stopped"
        );
        pace.extend_deadline(Duration::from_secs(5));
        let (left, _) = pace.budget(late, None).unwrap().unwrap();
        assert_eq!(left, Duration::from_secs(5));
        let err = pace.timed_out(Limit::Deadline, left);
        assert!(
            matches!(err, Pop3Error::DeadlinePassed { allowed } if allowed == Duration::from_secs(15))
        );
        pace.extend_deadline(Duration::MAX);
        assert!(
            pace.budget(late, None).is_ok(),
            "an overflowing extension is ignored"
        );
    }
}
