//! Undo: the rep's last actions on the queue, taken back within a few
//! seconds. An undoable action reads the rows it may change (its prospects'
//! enrollments, touches and sends, their A/B turns) before and after it
//! runs; undo puts them back as they were, if nothing has changed them
//! since, and logs a reversal of every row the action logged. The log stays
//! append-only (an undo is an event) and figures count a reversal as minus
//! one, so results read as if the action had not happened.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

use super::Engine;
use crate::domain::TouchId;
use crate::error::{Error, Result};
use crate::events::Change;
use crate::store::{self, rows::Rows, rows::Scope, sends::SendState};

/// How long an action can be undone.
pub const UNDO_WINDOW_S: i64 = 20;
/// How many actions are kept for undoing.
const KEPT: usize = 20;

/// One action that can be taken back.
#[derive(Debug, Clone)]
struct Done {
    what: String,
    at: DateTime<Utc>,
    scope: Scope,
    before: Rows,
    after: Rows,
    /// The log rows it wrote: after `logged.0`, up to `logged.1`.
    logged: (i64, i64),
    touches: Vec<TouchId>,
}

/// The actions that can still be undone, latest last.
#[derive(Debug, Default)]
pub(super) struct UndoLog(VecDeque<Done>);

/// What an undo took back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// As the rep would say it: "Approved the email to Ana Diaz".
    pub what: String,
    /// Rows added to the log (one reversal per row the action logged).
    pub reversed: usize,
    /// The touches it was done to.
    pub touches: Vec<TouchId>,
}

impl Engine {
    /// Runs `action` on `touches` so that it can be undone for
    /// [`UNDO_WINDOW_S`] seconds; `what` names it from its result, as the rep
    /// would say it. A refused action is not kept.
    pub fn undoable<T>(
        &mut self,
        touches: &[TouchId],
        now: DateTime<Utc>,
        action: impl FnOnce(&mut Engine) -> Result<T>,
        what: impl FnOnce(&T) -> String,
    ) -> Result<T> {
        let scope = self.scope(touches)?;
        let before = scope.read(&self.conn)?;
        let first = store::activity::last_id(&self.conn)?;
        let out = action(self)?;
        let after = scope.read(&self.conn)?;
        let last = store::activity::last_id(&self.conn)?;
        let log = &mut self.undo.0;
        log.retain(|d| now - d.at <= Duration::seconds(UNDO_WINDOW_S));
        if log.len() == KEPT {
            log.pop_front();
        }
        log.push_back(Done { what: what(&out), at: now, scope, before, after, logged: (first, last), touches: touches.to_vec() });
        Ok(out)
    }

    /// What `z` would undo now, if anything.
    pub fn can_undo(&self, now: DateTime<Utc>) -> Option<&str> {
        self.undo.0.back().filter(|d| now - d.at <= Duration::seconds(UNDO_WINDOW_S)).map(|d| d.what.as_str())
    }

    /// Takes back the latest undoable action: its rows as they were before it,
    /// its log rows reversed. Refused when there is none within the window, or
    /// when something has changed those rows since (an approved email that
    /// has gone stays sent); a refused undo is dropped.
    pub fn undo(&mut self, now: DateTime<Utc>) -> Result<Undone> {
        let Some(done) = self.undo.0.pop_back() else {
            return Err(Error::Invalid("nothing to undo".into()));
        };
        if now - done.at > Duration::seconds(UNDO_WINDOW_S) {
            self.undo.0.clear();
            return Err(Error::Invalid(format!(
                "nothing to undo: an action can be undone for {UNDO_WINDOW_S} seconds (the last was \"{}\")",
                done.what
            )));
        }
        for &t in &done.touches {
            if let Some(s) = store::sends::get(&self.conn, t)? {
                if matches!(s.state, SendState::Sending | SendState::Sent) {
                    return Err(Error::Conflict(format!("\"{}\" cannot be undone: the email has gone", done.what)));
                }
            }
        }
        let tx = self.conn.savepoint()?;
        done.before.restore(&tx, &done.scope, &done.after).map_err(|e| match e {
            Error::Conflict(_) => Error::Conflict(format!("\"{}\" cannot be undone: it has changed since", done.what)),
            other => other,
        })?;
        let reversed = store::activity::reverse(&tx, now, done.logged.0, done.logged.1)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Outbox, Change::Sequences, Change::Prospects]);
        Ok(Undone { what: done.what, reversed, touches: done.touches })
    }

    /// The prospects of these touches and their sequence versions.
    fn scope(&self, touches: &[TouchId]) -> Result<Scope> {
        let mut scope = Scope::default();
        for &id in touches {
            let t = store::enrollments::get_touch(&self.conn, id)?.ok_or_else(|| Error::not_found("touch", id))?;
            if !scope.prospects.contains(&t.prospect_id) {
                scope.prospects.push(t.prospect_id);
                for e in store::enrollments::for_prospect(&self.conn, t.prospect_id)? {
                    if !scope.versions.contains(&e.sequence_id) {
                        scope.versions.push(e.sequence_id);
                    }
                }
            }
        }
        Ok(scope)
    }
}
