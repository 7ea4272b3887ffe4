//! The life of a submission, written down once: [`next`] is the only place a status changes.
//!
//! ```text
//! received ──start──▶ validating ──checked(errors)──▶ invalid
//!                         │
//!                         └──checked(valid)──▶ needs_review ──request_changes──▶ changes_requested
//!                                                  │ ├──reject──▶ rejected
//!                                                  │ └──approve──▶ approved ──publish──▶ published
//! ```
//!
//! A job that validates may run again after a crash, so `start` is also accepted in
//! `validating`. Consent is not a state: it is recorded beside the submission, and publishing
//! asks for it before calling [`next`]. A producer answers `changes_requested` or `invalid` with
//! a new submission; the old one keeps its state as history. Releases have their own flag,
//! `withdrawn`.
//!
//! ```
//! use satudata_core::lifecycle::{next, Event, SubmissionState};
//! let s = next(SubmissionState::Received, Event::Start).unwrap();
//! let s = next(s, Event::Checked { valid: true }).unwrap();
//! assert_eq!(s, SubmissionState::NeedsReview);
//! assert!(next(s, Event::Publish).is_err());
//! ```

use std::fmt;
use std::str::FromStr;

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Stored, waiting for its validation job.
    Received,
    /// Being read and checked.
    Validating,
    /// Its report has errors: nothing to review.
    Invalid,
    /// Valid, waiting for the walidata daerah.
    NeedsReview,
    /// Sent back to the producer with comments.
    ChangesRequested,
    /// Refused by the walidata daerah.
    Rejected,
    /// Approved with a status kerahasiaan, waiting to be published.
    Approved,
    /// Published as a release.
    Published,
}

impl SubmissionState {
    /// Every state, in the order of the lifecycle.
    pub const ALL: [SubmissionState; 8] = [
        SubmissionState::Received,
        SubmissionState::Validating,
        SubmissionState::Invalid,
        SubmissionState::NeedsReview,
        SubmissionState::ChangesRequested,
        SubmissionState::Rejected,
        SubmissionState::Approved,
        SubmissionState::Published,
    ];

    /// The word stored in the catalog and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Received => "received",
            SubmissionState::Validating => "validating",
            SubmissionState::Invalid => "invalid",
            SubmissionState::NeedsReview => "needs_review",
            SubmissionState::ChangesRequested => "changes_requested",
            SubmissionState::Rejected => "rejected",
            SubmissionState::Approved => "approved",
            SubmissionState::Published => "published",
        }
    }

    /// Whether nothing more can happen to this submission.
    pub fn is_final(self) -> bool {
        Event::ALL.iter().all(|e| next(self, *e).is_err())
    }
}

impl fmt::Display for SubmissionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubmissionState {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        SubmissionState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| crate::Error::InvalidValue {
                what: "submission state",
                value: s.to_owned(),
            })
    }
}

/// What happens to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A worker starts reading and checking it.
    Start,
    /// Checking ended; `valid` when the report has no errors.
    Checked {
        /// Whether the report has no errors.
        valid: bool,
    },
    /// The verifier sends it back.
    RequestChanges,
    /// The verifier refuses it.
    Reject,
    /// The verifier (or the dataset's recorded automatic approval) approves it.
    Approve,
    /// It is published as a release.
    Publish,
}

impl Event {
    /// Every event.
    pub const ALL: [Event; 7] = [
        Event::Start,
        Event::Checked { valid: false },
        Event::Checked { valid: true },
        Event::RequestChanges,
        Event::Reject,
        Event::Approve,
        Event::Publish,
    ];

    /// The event's name in messages and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Start => "start",
            Event::Checked { valid: false } => "checked_invalid",
            Event::Checked { valid: true } => "checked_valid",
            Event::RequestChanges => "request_changes",
            Event::Reject => "reject",
            Event::Approve => "approve",
            Event::Publish => "publish",
        }
    }
}

/// A transition the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a submission that is {from} cannot {}", event.as_str())]
pub struct Refused {
    /// The state it is in.
    pub from: SubmissionState,
    /// What was asked.
    pub event: Event,
}

impl crate::Localize for Refused {
    fn key(&self) -> &'static str {
        "error.lifecycle.refused"
    }

    fn args(&self, lang: crate::Lang) -> Vec<(&'static str, String)> {
        vec![
            ("state", crate::messages::render(lang, &state_key(self.from), &[])),
            (
                "event",
                crate::messages::render(lang, &format!("lifecycle.event.{}", self.event.as_str()), &[]),
            ),
        ]
    }
}

/// The catalog key of a state's label (`lifecycle.state.needs_review`).
pub fn state_key(state: SubmissionState) -> String {
    format!("lifecycle.state.{}", state.as_str())
}

/// The state after `event`, or why it cannot happen.
pub fn next(from: SubmissionState, event: Event) -> Result<SubmissionState, Refused> {
    use Event as E;
    use SubmissionState as S;
    match (from, event) {
        (S::Received | S::Validating, E::Start) => Ok(S::Validating),
        (S::Validating, E::Checked { valid: false }) => Ok(S::Invalid),
        (S::Validating, E::Checked { valid: true }) => Ok(S::NeedsReview),
        (S::NeedsReview, E::RequestChanges) => Ok(S::ChangesRequested),
        (S::NeedsReview, E::Reject) => Ok(S::Rejected),
        (S::NeedsReview, E::Approve) => Ok(S::Approved),
        (S::Approved, E::Publish) => Ok(S::Published),
        _ => Err(Refused { from, event }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Localize};

    /// Every allowed transition; every other (state, event) pair must be refused.
    const ALLOWED: [(SubmissionState, Event, SubmissionState); 8] = {
        use Event as E;
        use SubmissionState as S;
        [
            (S::Received, E::Start, S::Validating),
            (S::Validating, E::Start, S::Validating),
            (S::Validating, E::Checked { valid: false }, S::Invalid),
            (S::Validating, E::Checked { valid: true }, S::NeedsReview),
            (S::NeedsReview, E::RequestChanges, S::ChangesRequested),
            (S::NeedsReview, E::Reject, S::Rejected),
            (S::NeedsReview, E::Approve, S::Approved),
            (S::Approved, E::Publish, S::Published),
        ]
    };

    #[test]
    fn every_transition_not_allowed_is_refused() {
        let mut refused = 0;
        for from in SubmissionState::ALL {
            for event in Event::ALL {
                let allowed = ALLOWED.iter().find(|(f, e, _)| *f == from && *e == event);
                match (next(from, event), allowed) {
                    (Ok(to), Some((_, _, want))) => assert_eq!(to, *want),
                    (Err(r), None) => {
                        assert_eq!(r, Refused { from, event });
                        refused += 1;
                    }
                    (got, want) => panic!("{from} + {event:?}: got {got:?}, table says {want:?}"),
                }
            }
        }
        assert_eq!(refused, 8 * 7 - ALLOWED.len());
    }

    #[test]
    fn final_states_are_the_ends_of_the_lifecycle() {
        let ends: Vec<_> = SubmissionState::ALL.into_iter().filter(|s| s.is_final()).collect();
        use SubmissionState as S;
        assert_eq!(ends, [S::Invalid, S::ChangesRequested, S::Rejected, S::Published]);
    }

    #[test]
    fn states_read_back_and_refusals_speak_both_languages() {
        for s in SubmissionState::ALL {
            assert_eq!(s.as_str().parse::<SubmissionState>().unwrap(), s);
        }
        let r = next(SubmissionState::Rejected, Event::Publish).unwrap_err();
        assert_eq!(r.localize(Lang::Id), "Pengajuan yang ditolak tidak dapat diterbitkan");
        assert_eq!(
            r.localize(Lang::En),
            "A submission that is rejected cannot be published"
        );
    }
}
