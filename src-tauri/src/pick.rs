//! Files the rep opens, chosen in a native dialog by the shell, never named
//! by the web view: the CSV to import (`CADENCE_IMPORT_FILE` in tests), a
//! mailbox's extra CA certificate (`CADENCE_CA_FILE` in tests), a backup
//! to restore (`CADENCE_BACKUP_FILE` in tests), a signals file and the
//! signals folder; no dialog can be driven there. The paths stay in Rust.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub fn csv_file(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("CADENCE_IMPORT_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog().file().add_filter("CSV", &["csv", "txt"]).blocking_pick_file()?.into_path().ok()
}

pub fn ca_file(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("CADENCE_CA_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog().file().add_filter("Certificate (PEM)", &["pem", "crt", "cer"]).blocking_pick_file()?.into_path().ok()
}

pub fn backup_file(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("CADENCE_BACKUP_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog().file().add_filter("Cadence backup", &["db"]).blocking_pick_file()?.into_path().ok()
}

pub fn signals_file(app: &AppHandle) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("CADENCE_SIGNALS_FILE") {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .add_filter("Signals (CSV or JSON lines)", &["csv", "txt", "jsonl", "ndjson", "json"])
        .blocking_pick_file()?
        .into_path()
        .ok()
}

/// The folder to watch for signal files (`CADENCE_SIGNALS_FOLDER` in tests).
pub fn folder(app: &AppHandle) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CADENCE_SIGNALS_FOLDER") {
        return Some(PathBuf::from(dir));
    }
    app.dialog().file().blocking_pick_folder()?.into_path().ok()
}
