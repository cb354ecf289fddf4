//! Where an export goes: the rep's choice in a native save dialog, or
//! `CADENCE_EXPORT_DIR` in tests (no dialog can be driven there). The file
//! appears whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

pub fn pick_path(app: &AppHandle, name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CADENCE_EXPORT_DIR") {
        return Some(PathBuf::from(dir).join(name));
    }
    app.dialog().file().set_file_name(name).add_filter("CSV", &["csv"]).blocking_save_file()?.into_path().ok()
}

/// Writes through a temporary file beside `path`, renamed into place once
/// complete, so a failed export leaves no half-written file.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> engine::Result<u64>) -> engine::Result<u64> {
    let io = |source| engine::Error::Io { path: path.to_path_buf(), source };
    let tmp = path.with_extension("csv.part");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
    let rows = match write(&mut file).and_then(|n| file.flush().map(|_| n).map_err(io)) {
        Ok(n) => n,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(rows)
}
