//! Cadence's desktop shell: opens the workspace (the application layer),
//! starts its mail loops on Tauri's runtime, forwards its events to the
//! window and the tray, and registers the commands of `commands.rs` (the one
//! declaration: build.rs makes the handler, the app manifest and the
//! capability from it). No product logic lives here; see ARCHITECTURE.md.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod export;
mod pick;
mod tray;

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};
use workspace::{Event, Workspace};

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
        Event::MailSent(_) => {}
    }
}

fn open(app: &AppHandle) -> Result<Arc<Workspace>, String> {
    let database = workspace::database_path(None);
    let ws =
        Workspace::open(&database, workspace::clock::fixed_from_env()).map_err(|e| format!("cannot open {}: {e}", database.display()))?;
    ws.adopt_system_zone().map_err(|e| e.to_string())?;
    let window = app.clone();
    ws.on_event(Arc::new(move |e| forward(&window, e)));
    Ok(Arc::new(ws))
}

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| focus_main(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let handle = app.handle().clone();
            let ws = open(&handle)?;
            if let Err(e) = tray::install(&handle) {
                eprintln!("cadence: no tray icon ({e}); the window works without it");
            }
            if let Ok(due) = ws.due() {
                tray::show_due(&handle, due);
            }
            ws.start_mail(tauri::async_runtime::handle().inner());
            app.manage(ws.clone());
            // Touches fall due as the day goes on: tell the window every minute.
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(60));
                ws.tick();
            });
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
