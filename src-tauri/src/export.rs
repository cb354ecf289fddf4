//! Where an export goes: the rep's choice in a native save dialog, or
//! `CADENCE_EXPORT_DIR` in tests (no dialog can be driven there).

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub fn pick_path(app: &AppHandle, name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CADENCE_EXPORT_DIR") {
        return Some(PathBuf::from(dir).join(name));
    }
    app.dialog().file().set_file_name(name).add_filter("CSV", &["csv"]).blocking_save_file()?.into_path().ok()
}
