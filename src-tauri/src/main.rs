//! Cadence's desktop shell: opens the workspace (the application layer),
//! starts its mail loops on Tauri's runtime, forwards its events to the
//! window and the tray, and registers the commands of `commands.rs` (the one
//! declaration: build.rs makes the handler, the app manifest and the
//! capability from it). No product logic lives here; see ARCHITECTURE.md.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod browser;
mod commands;
mod export;
mod memory;
mod notify;
mod pick;
mod tray;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dto::ErrorDto;
use tauri::{AppHandle, Emitter, Manager};
use workspace::{ErrorCode, Event, Workspace};

/// The names of the commands in `commands.rs`, made by build.rs.
#[cfg(test)]
mod command_names {
    include!(concat!(env!("OUT_DIR"), "/command_names.rs"));
}

pub fn focus_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// The workspace's events, to the window by name; the due count to the tray.
fn forward(app: &AppHandle, e: Event) {
    let name = e.name();
    match e {
        Event::Changed(what) => drop(app.emit(name, what)),
        Event::Due(due) => tray::show_due(app, due),
        Event::MailboxStatus(s) => drop(app.emit(name, s)),
        Event::MailReceived(m) => drop(app.emit(name, m)),
        Event::Notify(n) => notify::show(app, &n),
        Event::MailSent(_) => {}
    }
}

/// Why the workspace did not open at start (a damaged database, one from a
/// newer Cadence), until a backup replaces it: the window shows this with
/// the backups that can.
pub struct Startup(pub Mutex<Option<ErrorDto>>);

/// Opens the workspace, or says why it is refused (`Err(Ok(..))`: the
/// window offers the backups) or cannot open at all (`Err(Err(..))`).
fn open(app: &AppHandle) -> Result<Arc<Workspace>, Result<ErrorDto, String>> {
    let database = workspace::database_path(None);
    let ws = match Workspace::open(&database, workspace::clock::fixed_from_env()) {
        Ok(ws) => ws,
        Err(e) if matches!(e.code(), ErrorCode::Damaged | ErrorCode::NewerVersion) => return Err(Ok(ErrorDto::from(&e))),
        Err(e) => return Err(Err(format!("cannot open {}: {e}", database.display()))),
    };
    ws.adopt_system_zone().map_err(|e| Err(e.to_string()))?;
    let window = app.clone();
    ws.on_event(Arc::new(move |e| forward(&window, e)));
    Ok(Arc::new(ws))
}

/// The open workspace goes to work: the commands get it, the tray its
/// count, the mail loops start, the window hears every minute that touches
/// may have fallen due, and the daily backup is taken when one is due (on
/// a thread of its own: the rep works meanwhile).
pub fn start(app: &AppHandle, ws: Arc<Workspace>) {
    if let Ok(due) = ws.due() {
        tray::show_due(app, due);
    }
    ws.start_mail(tauri::async_runtime::handle().inner());
    app.manage(ws.clone());
    let backup = ws.clone();
    std::thread::spawn(move || {
        if let Err(e) = backup.backup_if_due() {
            eprintln!("cadence: the daily backup failed: {e}");
        }
    });
    let signals = ws.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(60));
        ws.tick();
    });
    let window = app.clone();
    let team = signals.clone();
    std::thread::spawn(move || watch_signals(&window, &signals));
    // The team loop: pushes this desktop's changes, pulls the team's; the
    // window hears the status (`team-status`).
    let window = app.clone();
    tauri::async_runtime::spawn(async move {
        team.team_run(|s| drop(window.emit("team-status", s))).await;
    });
}

/// Reads the watched signals folder every few seconds (when one is chosen)
/// and tells the window what each new file brought (`signals-read`). A
/// problem is said once, not every pass.
fn watch_signals(app: &AppHandle, ws: &Workspace) {
    let mut last_problem = String::new();
    loop {
        std::thread::sleep(SIGNALS_EVERY);
        match ws.scan_signals_folder() {
            Ok(files) if !files.is_empty() => drop(app.emit("signals-read", serde_json::to_value(&files).unwrap_or_default())),
            Ok(_) => last_problem.clear(),
            Err(e) => {
                let problem = e.to_string();
                if problem != last_problem {
                    eprintln!("cadence: the signals folder cannot be read: {problem}");
                    last_problem = problem;
                }
            }
        }
    }
}

/// How often the watched signals folder is looked at.
const SIGNALS_EVERY: Duration = Duration::from_secs(3);

fn main() {
    memory::software_compositing();
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| focus_main(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let handle = app.handle().clone();
            if let Err(e) = tray::install(&handle) {
                eprintln!("cadence: no tray icon ({e}); the window works without it");
            }
            let refused = match open(&handle) {
                Ok(ws) => {
                    start(&handle, ws);
                    None
                }
                Err(Ok(problem)) => Some(problem),
                Err(Err(message)) => return Err(message.into()),
            };
            app.manage(Startup(Mutex::new(refused)));
            memory::trim_in_background();
            Ok(())
        })
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .run(tauri::generate_context!())
        .expect("Cadence could not start its window");
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod ts_client;
