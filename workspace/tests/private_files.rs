//! Files private to the rep through the application layer (issue 14, item
//! 8): the data directory the workspace creates, the database and an export.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use workspace::{ExportKind, Period, Workspace};

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

#[test]
fn the_workspace_creates_its_data_directory_0700_and_writes_0600_files() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("share").join("Cadence");
    let db = data.join("cadence.db");
    let ws = Workspace::open(&db, Some("2026-11-24T12:00:00Z".parse().unwrap())).unwrap();
    assert_eq!(mode(&tmp.path().join("share")), 0o700);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
    let csv = tmp.path().join("figures.csv");
    ws.export_to(ExportKind::Figures, None, Period::LastDays(None), &csv).unwrap();
    assert_eq!(mode(&csv), 0o600);
}
