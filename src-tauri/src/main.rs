//! Cadence's desktop shell: opens the workspace, starts the mailbox,
//! registers the commands, forwards the engine's change events, keeps the
//! tray's count. No product
//! logic lives here; see ARCHITECTURE.md.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod export;
mod mailbox;
mod tray;
mod workspace;

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

pub fn focus_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
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
            let ws = workspace::Workspace::open(&handle)?;
            if let Err(e) = tray::install(&handle) {
                eprintln!("cadence: no tray icon ({e}); the window works without it");
            }
            ws.read(|engine| tray::show_due(&handle, engine));
            app.manage(mailbox::Mailbox::start(&handle, ws.engine()));
            app.manage(ws);
            // Touches fall due as the day goes on: tell the window every minute.
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(60));
                let _ = handle.emit("changed", dto::ChangedDto { what: vec!["queue".into()] });
                if let Some(ws) = handle.try_state::<workspace::Workspace>() {
                    ws.read(|engine| tray::show_due(&handle, engine));
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workspace,
            commands::queue,
            commands::touch,
            commands::complete,
            commands::snooze,
            commands::set_prospect_field,
            commands::prospects,
            commands::prospect,
            commands::preview_import,
            commands::import_csv,
            commands::enroll,
            commands::sequences,
            commands::sequence,
            commands::outbox,
            commands::settings,
            commands::set_setting,
            commands::load_sample,
            commands::mailbox_settings,
            commands::set_mailbox,
            commands::save_mailbox_password,
            commands::test_mailbox,
            commands::mailbox_status,
            commands::sends,
            commands::retry_send,
            commands::inbox,
            commands::correct_inbound,
            commands::results_overview,
            commands::results,
            commands::today_stats,
            commands::results_settings,
            commands::set_results_settings,
            commands::tag_reply,
            commands::meeting_from_reply,
            commands::export_csv,
            commands::trace,
        ])
        .run(tauri::generate_context!())
        .expect("Cadence could not start its window");
}
