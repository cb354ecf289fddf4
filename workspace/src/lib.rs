//! Cadence's application layer: one open workspace (the database, the
//! clock, the mail loops, the keyring) and every operation a front end
//! needs, each returning the DTOs that both the desktop's IPC and the CLI's
//! `--json` print. The desktop shell and the CLI call this and format; no
//! product rule lives in either. See ARCHITECTURE.md.
//!
//! Operations are grouped by what they touch, one module each: `queue`
//! (today's touches and working them), `prospects` (the table, import,
//! enrollment, do-not-contact, time away), `sequences`, `settings`,
//! `mailbox` (settings, password, connection test, sends, mail read back,
//! and the mail loops), `results` (figures, exports), `sample` and
//! `backups` (automatic and by hand, rotation, restore).

pub mod backups;
pub mod clock;
mod events;
pub mod keyring;
mod loops;
mod mailbox;
pub mod notify;
pub mod oauth;
mod prospects;
mod queue;
mod results;
mod sample;
mod sequences;
mod settings;
mod signals;
pub mod team;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use dto::{ChangedDto, DueDto};
use engine::api::QueueOptions;
use engine::events::Change;
use engine::Engine;
use mail::SharedEngine;

pub use engine::{Error, ErrorCode, Result};
pub use events::{Event, Events};
pub use mailbox::{classify, runtime};
pub use prospects::{date, EnrollmentRef, PathImport, Who, IMPORT_MAX_BYTES, REPORT_ROWS};
pub use queue::channel;
pub use results::{ExportKind, Period};
pub use sample::SampleSize;
pub use settings::tracing;

/// An open workspace. Cheap to share behind an `Arc`; every call locks the
/// engine for its own duration only (the mail loops share it).
pub struct Workspace {
    engine: SharedEngine,
    database: PathBuf,
    /// `--now` / `CADENCE_NOW`: every call acts as if it were then.
    fixed_now: Option<DateTime<Utc>>,
    /// Writes told by the engine during the current call.
    changes: Arc<Mutex<Vec<Change>>>,
    /// A call holds the engine: its changes are told when it returns.
    /// Writes by the mail loops are told as they happen.
    in_call: Arc<AtomicBool>,
    events: Arc<Mutex<Option<Events>>>,
    mail: loops::Loops,
    /// CSV files the rep chose in the desktop's dialog, by token.
    import_files: prospects::ImportFiles,
    /// The sign-in waiting for the browser, to cancel it.
    signing_in: Mutex<Option<Arc<AtomicBool>>>,
    /// Why the team server could not be reached last time, until it can.
    team_problem: Mutex<Option<String>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where the workspace is: `path`, else `CADENCE_DB`, else the OS data
/// directory (e.g. `~/.local/share/cadence/cadence.db`). The app and the
/// CLI resolve it the same way, so both see one workspace.
pub fn database_path(path: Option<PathBuf>) -> PathBuf {
    path.or_else(|| std::env::var_os("CADENCE_DB").map(PathBuf::from)).unwrap_or_else(engine::api::default_path)
}

impl Workspace {
    /// Opens (creating and migrating as needed) the workspace at `database`.
    /// With `fixed_now`, every call acts as if it were that instant (tests,
    /// demos, `--now`); the mail loops' clock starts there and moves on.
    pub fn open(database: &Path, fixed_now: Option<DateTime<Utc>>) -> Result<Workspace> {
        if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
            // 0700 on Unix when Cadence creates it: the data is the rep's alone.
            engine::api::create_private_dir(dir)?;
        }
        let now = fixed_now.unwrap_or_else(Utc::now);
        let mut engine = Engine::open(database, now)?;
        let changes = Arc::new(Mutex::new(Vec::new()));
        let in_call = Arc::new(AtomicBool::new(false));
        let events: Arc<Mutex<Option<Events>>> = Arc::new(Mutex::new(None));
        let (sink, busy, out) = (changes.clone(), in_call.clone(), events.clone());
        engine.on_change(Box::new(move |what| {
            if busy.load(Ordering::SeqCst) {
                lock(&sink).extend_from_slice(what);
            } else if let Some(tell) = lock(&out).clone() {
                tell(Event::Changed(ChangedDto::new(what)));
            }
        }));
        let settings = engine.mailbox().unwrap_or_default();
        Ok(Workspace {
            engine: Arc::new(Mutex::new(engine)),
            database: database.to_path_buf(),
            fixed_now,
            changes,
            in_call,
            events,
            mail: loops::Loops::new(&settings),
            import_files: prospects::ImportFiles::default(),
            signing_in: Mutex::new(None),
            team_problem: Mutex::new(None),
        })
    }

    /// Where events go (the desktop's window and tray; the CLI's stderr).
    pub fn on_event(&self, events: Events) {
        *lock(&self.events) = Some(events);
    }

    pub fn database(&self) -> &Path {
        &self.database
    }

    /// The time now, or the fixed instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The engine, for the mail loops and for tests that look underneath.
    pub fn engine(&self) -> SharedEngine {
        self.engine.clone()
    }

    fn tell(&self, e: Event) {
        if let Some(tell) = lock(&self.events).clone() {
            tell(e);
        }
    }

    /// Runs one engine call with the time now; then tells what it changed
    /// and, when the queue changed, today's due count.
    fn with<T>(&self, f: impl FnOnce(&mut Engine, DateTime<Utc>) -> Result<T>) -> Result<T> {
        let (out, what, due_now) = {
            let mut engine = lock(&self.engine);
            let out = {
                let _busy = Busy::set(&self.in_call);
                f(&mut engine, self.now())
            };
            let mut what: Vec<Change> = std::mem::take(&mut *lock(&self.changes));
            what.sort();
            what.dedup();
            let due_now = if what.contains(&Change::Queue) { due(&engine, self.now()).ok() } else { None };
            (out, what, due_now)
        };
        // Told with the engine unlocked, so a front end may call back in.
        if !what.is_empty() {
            self.tell(Event::Changed(ChangedDto::new(&what)));
        }
        if let Some(d) = due_now {
            self.tell(Event::Due(d));
        }
        out
    }

    /// Reads under the lock, without telling anything.
    fn read<T>(&self, f: impl FnOnce(&Engine, DateTime<Utc>) -> Result<T>) -> Result<T> {
        f(&lock(&self.engine), self.now())
    }

    /// Today's due and overdue counts (the tray).
    pub fn due(&self) -> Result<DueDto> {
        self.read(due)
    }

    /// Time passes: touches fall due. Tells the queue changed and the count.
    pub fn tick(&self) {
        self.tell(Event::Changed(ChangedDto::new(&[Change::Queue])));
        if let Ok(d) = self.due() {
            self.tell(Event::Due(d));
        }
    }
}

fn due(e: &Engine, now: DateTime<Utc>) -> Result<DueDto> {
    let q = e.queue(now, &QueueOptions { limit: Some(0), channel: None })?;
    Ok(DueDto { total: q.total, overdue: q.overdue })
}

/// The rep's zone (for showing times), or UTC if the settings cannot be read.
fn rep_zone(e: &Engine) -> chrono_tz::Tz {
    e.settings().map_or(chrono_tz::UTC, |s| s.timezone)
}

/// Marks a call as running while the engine is held (cleared on panic too).
struct Busy<'a>(&'a AtomicBool);

impl<'a> Busy<'a> {
    fn set(flag: &'a AtomicBool) -> Busy<'a> {
        flag.store(true, Ordering::SeqCst);
        Busy(flag)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}
