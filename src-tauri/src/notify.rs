//! Desktop notifications through the OS (Tauri's notification plugin, from
//! Rust: the window has no notification permission). What to say is the
//! workspace's (`workspace::notify`); a failure to show one is only logged.

use dto::NoticeDto;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

pub fn show(app: &AppHandle, n: &NoticeDto) {
    if let Err(e) = app.notification().builder().title(&n.title).body(&n.body).show() {
        eprintln!("cadence: the desktop notification could not be shown: {e}");
    }
}
