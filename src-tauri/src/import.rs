//! Which CSV file to import: the rep's choice in a native open dialog, or
//! `CADENCE_IMPORT_FILE` in tests (no dialog can be driven there). The path
//! stays here and in the workspace; the window gets a token for it.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub fn pick_file(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("CADENCE_IMPORT_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog().file().add_filter("CSV", &["csv", "txt"]).blocking_pick_file()?.into_path().ok()
}
