//! Acting on many touches at once, all or nothing: each touch goes through
//! the same rules as when it is worked alone, inside one outer savepoint
//! that is rolled back whole if any of them is refused.

use chrono::{DateTime, Utc};

use super::{Engine, Outcome};
use crate::domain::TouchId;
use crate::error::{Error, Result};
use crate::store;

/// What to do to every selected touch.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkAction {
    /// Due again at this instant (or the first fitting time after it).
    Snooze(DateTime<Utc>),
    Skip(Option<String>),
    /// Pause or end each touch's enrollment.
    Pause,
    Remove,
    /// Approve emails as drafted. The caller passes only emails the rep has
    /// opened and read.
    Approve,
}

impl Engine {
    /// Applies `action` to every touch in `touches`; on the first refusal
    /// nothing is changed, and the error names the touch. Returns how many
    /// touches (or, for pause and remove, enrollments) changed.
    pub fn bulk(&mut self, touches: &[TouchId], action: &BulkAction, now: DateTime<Utc>) -> Result<usize> {
        self.conn.execute_batch("SAVEPOINT bulk")?;
        match self.bulk_inner(touches, action, now) {
            Ok(n) => {
                self.conn.execute_batch("RELEASE bulk")?;
                Ok(n)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK TO bulk; RELEASE bulk")?;
                // Enrollments cached while rolled-back work ran stay valid (versions are immutable).
                Err(e)
            }
        }
    }

    fn bulk_inner(&mut self, touches: &[TouchId], action: &BulkAction, now: DateTime<Utc>) -> Result<usize> {
        let mut done = 0;
        let mut enrollments = Vec::new();
        for &id in touches {
            let named = |e: Error| match e {
                Error::Conflict(m) | Error::Invalid(m) => Error::Conflict(format!("touch {id}: {m}; nothing was changed")),
                other => other,
            };
            match action {
                BulkAction::Snooze(until) => {
                    self.snooze(id, *until, now).map_err(named)?;
                }
                BulkAction::Skip(reason) => {
                    self.complete(id, Outcome::Skip { reason: reason.clone() }, now).map_err(named)?;
                }
                BulkAction::Approve => {
                    self.complete(id, Outcome::Approve { subject: None, body: None }, now).map_err(named)?;
                }
                BulkAction::Pause | BulkAction::Remove => {
                    let t = store::enrollments::get_touch(&self.conn, id)?.ok_or_else(|| Error::not_found("touch", id))?;
                    if enrollments.contains(&t.enrollment_id) {
                        continue;
                    }
                    enrollments.push(t.enrollment_id);
                    if *action == BulkAction::Pause {
                        self.pause(t.enrollment_id, now).map_err(named)?;
                    } else {
                        self.remove(t.enrollment_id, now).map_err(named)?;
                    }
                }
            }
            done += 1;
        }
        Ok(done)
    }
}
