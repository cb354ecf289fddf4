//! The façade: the one surface the CLI, the desktop shell and the tests call.
//! Every method that depends on time takes `now`; nothing here reads a clock.

mod acting;
mod advice;
mod branching;
mod bulk;
mod calendar;
mod deliverability;
mod enroll;
mod export;
mod inbound;
mod outcomes;
mod panel;
mod paths;
mod prospects;
mod queue;
mod referral;
mod replan;
mod report;
mod results;
mod sample;
mod sending;
mod sequences;
mod signals;
mod team;
mod touches;
mod undo;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::domain::{Prospect, SequenceVersionId};
use crate::error::{Error, Result};
use crate::events::{Change, Listener};
use crate::schedule::{Calendar, ProspectPlace};
use crate::sequence::{builtin_sequences, parse_sequence, Sequence};
use crate::settings::RepSettings;
use crate::store;
use crate::timezone;

pub use crate::activity::ActivityKind;
pub use crate::settings::ResultsSettings;
pub use crate::store::enrollments::{Enrollment, Touch};
pub use crate::store::file::{backup as backup_file, inspect, inspect_backup, FileInfo, VERSION};
pub use crate::store::prospects::Filter;
pub use crate::store::refusals::Refusal;
pub use crate::store::results::Span;
pub use crate::store::sends::{Send, SendState};
pub use crate::store::sequences::StepCount;
pub use crate::store::signals::{Proposal, Rule as SignalRule, Signal};
pub use crate::store::{create_private_dir, default_path, SCHEMA};
pub use advice::Advice;
pub use branching::BranchTaken;
pub use bulk::BulkAction;
pub use deliverability::{Alarm, Deliverability};
pub use enroll::{EnrollReport, EnrollSkip, Selection};
pub use export::{defuse, write_atomically};
pub use inbound::{Handled, InboundRecord, Incoming, SENTIMENTS, UNREADABLE};
pub use panel::EnrollmentView;
pub use paths::PathResults;
pub use prospects::{ImportOptions, ImportPreview, ImportReport, TimelineEntry};
pub use queue::{ChannelCount, Queue, QueueItem, QueueOptions};
pub use replan::{Move, Replan};
pub use report::SequenceResults;
pub use results::{
    AbTest, Figures, SequenceSummary, StepResults, TodayStats, TrendPoint, VariantResults, Verdict, VersionResults, NO_OPENS,
};
pub use sample::{SampleOptions, SampleReport};
pub use sending::{InFlight, NextSend, Outgoing};
pub use sequences::{SequenceDetail, SequenceInfo, StepPreview};
pub use signals::{Accepted, ProposalView, SignalOutcome, SignalReport, SourceResults, Taken, DEFAULT_COOLDOWN_DAYS};
pub use team::{TeamAck, TeamApplied, TeamChange, TeamOp, TeamSettings, TeamStatus, GRACE_DEFAULT_S};
pub use touches::{OutboxItem, Outcome, SnoozeFor, TouchDetail};
pub use undo::{Undone, UNDO_WINDOW_S};

pub struct Engine {
    conn: Connection,
    /// Parsed sequence versions, by id. Versions never change once stored.
    sequences: RefCell<HashMap<SequenceVersionId, Arc<Sequence>>>,
    listeners: Vec<Listener>,
    /// The latest actions, for undo (in memory: an undo is for moments after).
    undo: undo::UndoLog,
}

impl Engine {
    /// Opens the database at `path` (creating and migrating it as needed) and
    /// stores any new version of the built-in playbooks.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Engine> {
        Self::with_connection(store::open(path)?, now)
    }

    pub fn open_in_memory(now: DateTime<Utc>) -> Result<Engine> {
        Self::with_connection(store::open_in_memory()?, now)
    }

    fn with_connection(mut conn: Connection, now: DateTime<Utc>) -> Result<Engine> {
        sync_builtins(&mut conn, now)?;
        Ok(Engine { conn, sequences: RefCell::new(HashMap::new()), listeners: Vec::new(), undo: undo::UndoLog::default() })
    }

    /// Replaces everything in this workspace with the backup at `source`,
    /// brought to this schema. The file is checked first (a damaged file,
    /// another program's database or one from a newer Cadence is refused
    /// and nothing changes); then `before` runs (the workspace keeps the
    /// database as it is as a backup there); then the restore. Every view
    /// changed.
    pub fn restore(&mut self, source: &Path, now: DateTime<Utc>, before: impl FnOnce(&FileInfo) -> Result<()>) -> Result<FileInfo> {
        let info = store::file::inspect_backup(source)?;
        before(&info)?;
        store::file::restore(&mut self.conn, source)?;
        self.sequences.borrow_mut().clear();
        self.undo = undo::UndoLog::default();
        sync_builtins(&mut self.conn, now)?;
        self.changed(&[Change::Queue, Change::Prospects, Change::Sequences, Change::Outbox, Change::Settings]);
        Ok(info)
    }

    /// Registers a listener told about every committed write.
    pub fn on_change(&mut self, listener: Listener) {
        self.listeners.push(listener);
    }

    fn changed(&self, what: &[Change]) {
        for l in &self.listeners {
            l(what);
        }
    }

    /// For benchmarks and tests that need raw access.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn settings(&self) -> Result<RepSettings> {
        store::settings::load(&self.conn)
    }

    pub fn set_settings(&mut self, s: &RepSettings) -> Result<()> {
        if s.working_days.is_empty() {
            return Err(Error::Invalid("at least one working day is needed".into()));
        }
        if s.day_start >= s.day_end {
            return Err(Error::Invalid("the working day must start before it ends".into()));
        }
        if let Some(c) = &s.holiday_country {
            if !crate::holidays::countries().contains(&c.as_str()) {
                return Err(Error::Invalid(format!(
                    "no holiday data for \"{c}\"; known countries: {}",
                    crate::holidays::countries().join(", ")
                )));
            }
        }
        store::settings::save(&self.conn, s)?;
        self.changed(&[Change::Settings, Change::Queue]);
        Ok(())
    }

    /// Sets one of the rep's settings by name (see [`RepSettings::set`]).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<RepSettings> {
        let mut s = self.settings()?;
        s.set(key, value)?;
        self.set_settings(&s)?;
        Ok(s)
    }

    /// The parsed steps of a stored sequence version.
    fn sequence_version(&self, id: SequenceVersionId) -> Result<Arc<Sequence>> {
        if let Some(s) = self.sequences.borrow().get(&id) {
            return Ok(s.clone());
        }
        let stored = store::sequences::get(&self.conn, id)?.ok_or_else(|| Error::not_found("sequence version", id))?;
        let seq = Arc::new(parse_sequence(&format!("{}.toml", stored.slug), &stored.source).map_err(Error::Sequence)?);
        self.sequences.borrow_mut().insert(id, seq.clone());
        Ok(seq)
    }

    fn prospect(&self, id: crate::domain::ProspectId) -> Result<Prospect> {
        store::prospects::get(&self.conn, id)?.ok_or_else(|| Error::not_found("prospect", id))
    }
}

/// Where a prospect is, for the scheduler: an unknown zone uses the rep's.
fn place<'a>(p: &'a Prospect, rep: &RepSettings) -> ProspectPlace<'a> {
    ProspectPlace { timezone: p.timezone.unwrap_or(rep.timezone), country: p.country.as_deref().and_then(timezone::country_code) }
}

fn calendar(rep: &RepSettings) -> Calendar<'_> {
    Calendar::new(rep)
}

/// The built-in playbooks, stored (a new version when one changed).
fn sync_builtins(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    let tx = conn.transaction()?;
    for b in builtin_sequences() {
        let seq = parse_sequence(b.file, b.source).map_err(Error::Sequence)?;
        store::sequences::upsert(&tx, b.slug, &seq.name, b.source, true, now)?;
    }
    tx.commit()?;
    Ok(())
}
