//! The open workspace: one engine behind a lock (shared with the mail loops),
//! the clock, and the bridge that turns the engine's change events into
//! window events and the tray's due count.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use dto::{ChangedDto, ErrorDto};
use engine::events::Change;
use engine::Engine;
use mail::SharedEngine;
use tauri::{AppHandle, Emitter};

pub struct Workspace {
    engine: SharedEngine,
    /// Writes since the last command finished, told by the engine.
    changes: Arc<Mutex<Vec<Change>>>,
    /// A command holds the engine: its changes are told when it returns.
    /// Writes by the mail loops are told as they happen.
    in_command: Arc<AtomicBool>,
    pub database: PathBuf,
    app: AppHandle,
}

/// The time now, or the fixed instant in `CADENCE_NOW` (RFC 3339) for tests
/// and demos.
pub fn now() -> DateTime<Utc> {
    fixed_now().unwrap_or_else(Utc::now)
}

/// `CADENCE_NOW`, when set.
pub fn fixed_now() -> Option<DateTime<Utc>> {
    std::env::var("CADENCE_NOW").ok().and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc))
}

/// `CADENCE_TRACE` is set: UI timings go to stderr for the benchmarks.
pub fn tracing() -> bool {
    std::env::var_os("CADENCE_TRACE").is_some()
}

/// `CADENCE_DB`, else the same file the `cadence` CLI uses by default, so
/// both see one workspace.
pub fn database_path() -> Result<PathBuf, String> {
    let path = std::env::var_os("CADENCE_DB").map_or_else(engine::store::default_path, PathBuf::from);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Ok(path)
}

impl Workspace {
    pub fn open(app: &AppHandle) -> Result<Workspace, String> {
        let database = database_path()?;
        let now = now();
        let mut engine = Engine::open(&database, now).map_err(|e| format!("cannot open {}: {e}", database.display()))?;
        // A new workspace works in the machine's zone until the rep says otherwise.
        let mut settings = engine.settings().map_err(|e| e.to_string())?;
        if settings == Default::default() {
            if let Some(tz) = engine::timezone::system_zone() {
                settings.timezone = tz;
                engine.set_settings(&settings).map_err(|e| e.to_string())?;
            }
        }
        let changes = Arc::new(Mutex::new(Vec::new()));
        let in_command = Arc::new(AtomicBool::new(false));
        let (sink, busy, window) = (changes.clone(), in_command.clone(), app.clone());
        engine.on_change(Box::new(move |what| {
            if busy.load(Ordering::SeqCst) {
                sink.lock().expect("changes lock").extend_from_slice(what);
            } else {
                let _ = window.emit("changed", ChangedDto::new(what));
            }
        }));
        Ok(Workspace { engine: Arc::new(Mutex::new(engine)), changes, in_command, database, app: app.clone() })
    }

    /// The engine, for the mail loops.
    pub fn engine(&self) -> SharedEngine {
        self.engine.clone()
    }

    /// Runs one engine call with the time now; afterwards tells the window
    /// what changed and refreshes the tray's count.
    pub fn with<T>(&self, f: impl FnOnce(&mut Engine, DateTime<Utc>) -> engine::Result<T>) -> Result<T, ErrorDto> {
        let mut engine = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        let out = {
            let _busy = Busy::set(&self.in_command);
            f(&mut engine, now()).map_err(|e| ErrorDto::from(&e))
        };
        let mut what: Vec<Change> = std::mem::take(&mut *self.changes.lock().expect("changes lock"));
        if !what.is_empty() {
            what.sort();
            what.dedup();
            let _ = self.app.emit("changed", ChangedDto::new(&what));
            if what.contains(&Change::Queue) {
                crate::tray::show_due(&self.app, &engine);
            }
        }
        out
    }

    /// Reads without a command: the tray, the clock tick.
    pub fn read<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        f(&self.engine.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Marks a command as running while the engine is held (cleared on panic too).
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
