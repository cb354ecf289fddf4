//! Files private to the rep (issue 14, item 8): the database, its WAL and
//! SHM, the data directory and CSV exports are readable by the owner alone,
//! and an export's temporary file never follows a planted symlink.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

use common::utc;
use engine::api::write_atomically;
use engine::Engine;

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

#[test]
fn a_new_database_its_wal_shm_and_directories_are_the_reps_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("Cadence").join("cadence.db");
    let mut engine = Engine::open(&db, utc("2026-11-24T12:00:00Z")).unwrap();
    engine.import_csv("a.csv", b"email\nana@acme.com\n", &Default::default(), utc("2026-11-24T12:00:00Z")).unwrap();
    // While the connection is open the WAL and the shared-memory index exist.
    for p in [db.clone(), sidecar(&db, "-wal"), sidecar(&db, "-shm")] {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    for d in [&data, &data.join("Cadence")] {
        assert_eq!(mode(d), 0o700, "{}", d.display());
    }
    drop(engine);
}

#[test]
fn an_existing_world_readable_database_is_narrowed_when_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cadence.db");
    drop(Engine::open(&db, utc("2026-11-24T12:00:00Z")).unwrap());
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let _engine = Engine::open(&db, utc("2026-11-24T12:00:00Z")).unwrap();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&sidecar(&db, "-wal")), 0o600);
    assert_eq!(mode(tmp.path()), 0o755, "a directory Cadence did not create is left as it is");
}

fn write_rows(out: &mut dyn Write) -> engine::Result<u64> {
    out.write_all(b"a,b\n1,2\n").unwrap();
    Ok(1)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn an_export_is_written_0600_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("figures.csv");
    assert_eq!(write_atomically(&target, write_rows).unwrap(), 1);
    assert_eq!(fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(names(tmp.path()), ["figures.csv"]);
    // A failed export leaves neither a temporary file nor a changed target.
    let err = write_atomically(&target, |_| Err(engine::Error::Invalid("boom".into()))).unwrap_err();
    assert!(err.to_string().contains("boom"), "{err}");
    assert_eq!(names(tmp.path()), ["figures.csv"]);
    assert_eq!(fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
}

#[test]
fn a_symlink_planted_at_the_old_temporary_name_or_the_target_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let exports = tmp.path().join("exports");
    fs::create_dir(&exports).unwrap();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    // The name the export used to write through, predictable from the target's.
    symlink(&victim, exports.join("figures.csv.part")).unwrap();
    let target = exports.join("figures.csv");
    assert_eq!(write_atomically(&target, write_rows).unwrap(), 1);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
    assert!(fs::symlink_metadata(exports.join("figures.csv.part")).unwrap().file_type().is_symlink());

    // A symlink at the target itself is replaced by the export, not written through.
    let other = tmp.path().join("other.txt");
    fs::write(&other, "keep").unwrap();
    let linked = exports.join("activity.csv");
    symlink(&other, &linked).unwrap();
    write_atomically(&linked, write_rows).unwrap();
    assert_eq!(fs::read_to_string(&other).unwrap(), "keep");
    assert!(fs::symlink_metadata(&linked).unwrap().file_type().is_file());
    assert_eq!(mode(&linked), 0o600);
}
