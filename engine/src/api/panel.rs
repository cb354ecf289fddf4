//! A prospect's enrollments as their panel shows them: the sequence by
//! name, the step they are at by its label, and what comes next.

use chrono::{DateTime, Utc};

use super::Engine;
use crate::domain::{Channel, ProspectId};
use crate::error::{Error, Result};
use crate::store::{self, enrollments::Enrollment};

#[derive(Debug, Clone)]
pub struct EnrollmentView {
    pub enrollment: Enrollment,
    pub sequence_slug: String,
    pub sequence_name: String,
    pub version: i64,
    pub steps: usize,
    /// The label of the step the enrollment is at, if the sequence names it.
    pub step_label: Option<String>,
    /// The next touch still to be worked: its channel and when it is due.
    pub next: Option<(Channel, DateTime<Utc>)>,
    /// A LinkedIn connection request is waiting for its answer: the rep can
    /// mark it accepted (`Engine::connection_accepted`).
    pub awaiting_acceptance: bool,
}

impl Engine {
    pub fn enrollment_views(&self, prospect: ProspectId) -> Result<Vec<EnrollmentView>> {
        let mut out = Vec::new();
        let awaiting = self.awaiting_enrollment(prospect)?;
        for e in store::enrollments::for_prospect(&self.conn, prospect)? {
            let stored =
                store::sequences::get(&self.conn, e.sequence_id)?.ok_or_else(|| Error::not_found("sequence version", e.sequence_id))?;
            let seq = self.sequence_version(e.sequence_id)?;
            let next = store::enrollments::open_touch(&self.conn, e.id)?.map(|t| (t.channel, t.due_at));
            let step_label = seq.steps.get(e.step).and_then(|s| s.label.clone());
            out.push(EnrollmentView {
                sequence_slug: stored.slug,
                sequence_name: stored.name,
                version: stored.version,
                steps: seq.steps.len(),
                step_label,
                next,
                awaiting_acceptance: awaiting == Some(e.id),
                enrollment: e,
            });
        }
        Ok(out)
    }
}
