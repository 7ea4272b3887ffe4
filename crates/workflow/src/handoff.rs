//! What one job leaves for the next in the same process: the checked table of a submission that
//! publishes itself, and the bell that wakes an idle worker.
//!
//! A submission to a recurring feed (automatic approval and the PD's standing consent) is
//! validated and then published straight away. Both jobs read and check the stored file; the
//! validation keeps the typed table it built here instead, for the publish job that follows,
//! so the file is read once. The slot holds one table and lives for one job: any other job run
//! by this process empties it, and a publish run elsewhere (another worker process) simply reads
//! the file again. A publish that takes the table first makes sure the dataset's metadata and
//! standard are still the ones it was checked against.
//!
//! The bell: enqueueing a job rings it, and an idle worker of the same process wakes at once
//! instead of at its next poll. Workers of other processes still poll.

use std::sync::Mutex;

use tokio::sync::Notify;

use crate::tables::Checked;

/// The one-table slot between a validation and its publish, and the workers' bell.
#[derive(Default)]
pub(crate) struct Handoff {
    slot: Mutex<Option<(i64, Checked)>>,
    bell: Notify,
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.slot.lock().ok().and_then(|s| s.as_ref().map(|(id, _)| *id));
        f.debug_struct("Handoff").field("held", &held).finish()
    }
}

impl Handoff {
    /// Keeps submission `id`'s checked table for its publish, in place of any other.
    pub fn keep(&self, id: i64, checked: Checked) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((id, checked));
        }
    }

    /// Takes submission `id`'s checked table, if it is the one kept; the slot is empty after.
    pub fn take(&self, id: i64) -> Option<Checked> {
        let mut slot = self.slot.lock().ok()?;
        match slot.take() {
            Some((held, checked)) if held == id => Some(checked),
            _ => None,
        }
    }

    /// Empties the slot unless it holds submission `id`'s table.
    pub fn keep_only(&self, id: i64) {
        if let Ok(mut slot) = self.slot.lock()
            && slot.as_ref().is_some_and(|(held, _)| *held != id)
        {
            *slot = None;
        }
    }

    /// Empties the slot.
    pub fn clear(&self) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = None;
        }
    }

    /// Wakes one idle worker of this process (or the next to go idle).
    pub fn ring(&self) {
        self.bell.notify_one();
    }

    /// Waits for the bell.
    pub async fn rung(&self) {
        self.bell.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(name: &str) -> Checked {
        let metadata = satudata_core::DatasetMetadata::from_json(
            format!(r#"{{"name":"{name}","organization":"o","standard":"s"}}"#).as_bytes(),
        )
        .unwrap();
        Checked {
            metadata,
            standard: None,
            period: satudata_core::Period::parse("2024", None).unwrap(),
            report: satudata_core::ReportBuilder::new(10).finish(0).checked_now(),
            table: None,
        }
    }

    #[test]
    fn the_slot_gives_its_table_once_and_only_to_its_submission() {
        let handoff = Handoff::default();
        handoff.keep(7, checked("a"));
        assert!(handoff.take(8).is_none(), "another submission's publish gets nothing");
        assert!(handoff.take(7).is_none(), "and a wrong take empties the slot");
        handoff.keep(7, checked("a"));
        assert_eq!(handoff.take(7).unwrap().metadata.name, "a");
        assert!(handoff.take(7).is_none(), "once");
    }

    #[test]
    fn a_later_validation_replaces_the_table_and_other_jobs_empty_it() {
        let handoff = Handoff::default();
        handoff.keep(1, checked("a"));
        handoff.keep(2, checked("b"));
        assert!(handoff.take(1).is_none());
        handoff.keep(2, checked("b"));
        handoff.keep_only(2);
        assert_eq!(handoff.take(2).unwrap().metadata.name, "b");
        handoff.keep(3, checked("c"));
        handoff.keep_only(4);
        assert!(handoff.take(3).is_none());
        handoff.keep(3, checked("c"));
        handoff.clear();
        assert!(handoff.take(3).is_none());
    }

    #[tokio::test]
    async fn a_ring_before_the_wait_is_not_lost() {
        let handoff = Handoff::default();
        handoff.ring();
        tokio::time::timeout(std::time::Duration::from_secs(5), handoff.rung())
            .await
            .expect("the stored ring wakes the next waiter");
    }
}
