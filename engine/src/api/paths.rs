//! Results per path through a branching sequence: how many enrollments took
//! each way, how many are still on it, and the replies and meetings on it.

use std::collections::{BTreeMap, HashSet};

use super::{Engine, Span};
use crate::domain::{EnrollmentId, SequenceVersionId};
use crate::error::Result;
use crate::store;

/// One way through one version, as far as its enrollments have gone.
#[derive(Debug, Clone, PartialEq)]
pub struct PathResults {
    pub version: i64,
    /// The steps taken, 1-based, in order.
    pub steps: Vec<usize>,
    /// Enrollments (started in the period) that took exactly this way so far.
    pub enrolled: u64,
    /// Of those, still running: the path may go on.
    pub running: u64,
    pub replies: u64,
    pub meetings: u64,
}

impl Engine {
    /// The paths taken through each version of `slug` that branches, by
    /// enrollments started in `span`; most taken first. Empty when no
    /// version branches.
    pub(super) fn path_results(&self, slug: &str, span: Span) -> Result<Vec<PathResults>> {
        let mut ids: Vec<SequenceVersionId> = Vec::new();
        let mut numbers: BTreeMap<SequenceVersionId, i64> = BTreeMap::new();
        for v in store::sequences::versions(&self.conn, slug)? {
            if self.sequence_version(v.id)?.branches() {
                ids.push(v.id);
                numbers.insert(v.id, v.version);
            }
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let outcomes = self.outcomes(&ids)?;
        let meetings: HashSet<EnrollmentId> = store::results::call_meetings_all(&self.conn)?.into_iter().collect();
        let mut by: BTreeMap<(i64, Vec<usize>), PathResults> = BTreeMap::new();
        for (e, v, running, steps) in store::results::walked(&self.conn, &ids, span)? {
            let version = numbers[&v];
            let steps: Vec<usize> = steps.into_iter().map(|s| s + 1).collect();
            let r = by.entry((version, steps.clone())).or_insert_with(|| PathResults {
                version,
                steps,
                enrolled: 0,
                running: 0,
                replies: 0,
                meetings: 0,
            });
            r.enrolled += 1;
            r.running += u64::from(running);
            let o = outcomes.get(&e);
            r.replies += u64::from(o.is_some_and(|o| o.reply.is_some()));
            r.meetings += u64::from(o.is_some_and(|o| o.meeting.is_some()) || meetings.contains(&e));
        }
        let mut out: Vec<PathResults> = by.into_values().collect();
        out.sort_by(|a, b| b.enrolled.cmp(&a.enrolled).then(b.version.cmp(&a.version)).then(a.steps.cmp(&b.steps)));
        Ok(out)
    }
}
