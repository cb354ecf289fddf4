//! The database as a file, on real files: an online backup taken while
//! another connection writes, restore, a damaged file found before anything
//! writes to it, a file from a newer Cadence refused.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use engine::api::{Outcome, QueueOptions, SampleOptions};
use engine::{Engine, Error, ErrorCode};

fn now() -> DateTime<Utc> {
    "2026-11-24T14:00:00Z".parse().unwrap()
}

fn sample(path: &Path, prospects: usize) -> Engine {
    let mut eng = Engine::open(path, now()).unwrap();
    eng.generate_sample(&SampleOptions { past: 20, ..SampleOptions::new(prospects, 7) }, now()).unwrap();
    eng
}

/// What a rep would notice: today's queue (ids, channels, due times) and the
/// results per sequence.
fn fingerprint(eng: &Engine) -> String {
    let q = eng.queue(now(), &QueueOptions::default()).unwrap();
    let items: Vec<String> =
        q.items.iter().map(|i| format!("{}:{}:{}:{}", i.touch_id, i.prospect_id, i.channel.as_str(), i.due_at)).collect();
    let count = |sql: &str| -> i64 { eng.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    format!(
        "{} due, {} overdue, [{}]; prospects {}, touches {}, activity {}, sends {}",
        q.total,
        q.overdue,
        items.join(","),
        count("SELECT count(*) FROM prospects"),
        count("SELECT count(*) FROM touches"),
        count("SELECT count(*) FROM activity"),
        count("SELECT count(*) FROM sends"),
    )
}

fn sha(path: &Path) -> Vec<u8> {
    // Not cryptographic: the bytes themselves are compared.
    std::fs::read(path).unwrap()
}

fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    drop(sample(&db, 300));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut eng = Engine::open(&db, now()).unwrap();
            let mut writes = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                // Snooze today's touches back and forth: real writes to touches and the log.
                let q = eng.queue(now(), &QueueOptions { limit: Some(20), channel: None }).unwrap();
                for item in &q.items {
                    eng.snooze(item.touch_id, now() + Duration::hours(1), now()).unwrap();
                    writes += 1;
                }
            }
            writes
        })
    };
    let mut backups = Vec::new();
    for i in 0..5 {
        let dest = dir.path().join(format!("b{i}.db"));
        let size = engine::api::backup_file(&db, &dest).unwrap();
        assert!(size > 0);
        backups.push(dest);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let writes = writer.join().unwrap();
    assert!(writes > 0, "the writer wrote during the backups");
    for b in &backups {
        assert_eq!(integrity(b), "ok", "{} is consistent", b.display());
        assert!(!Path::new(&format!("{}-wal", b.display())).exists(), "a backup is one file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(b).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // And it opens as a workspace.
        let eng = Engine::open(b, now()).unwrap();
        assert!(eng.queue(now(), &QueueOptions::default()).unwrap().total > 0);
    }
    let existing = engine::api::backup_file(&db, &backups[0]).unwrap_err();
    assert_eq!(existing.code(), ErrorCode::Conflict, "a backup never overwrites a file");
}

#[test]
fn restore_brings_back_exactly_the_workspace_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let mut eng = sample(&db, 60);
    let before = fingerprint(&eng);
    let dest = dir.path().join("backup.db");
    engine::api::backup_file(&db, &dest).unwrap();

    // The day goes on: touches worked, a prospect ends on do-not-contact.
    let q = eng.queue(now(), &QueueOptions::default()).unwrap();
    for item in q.items.iter().take(5) {
        eng.complete(item.touch_id, Outcome::Skip { reason: Some("wrong person".into()) }, now()).unwrap();
    }
    eng.add_do_not_contact(&q.items[6].email, "asked", now()).unwrap();
    assert_ne!(fingerprint(&eng), before);

    // A second connection (the app, while the CLI restores) sees it too.
    let other = Engine::open(&db, now()).unwrap();
    let info = eng.restore(&dest, now(), |_| Ok(())).unwrap();
    assert_eq!(info.prospects, 80);
    assert_eq!(fingerprint(&eng), before, "the same queue, log and figures");
    assert_eq!(fingerprint(&other), before, "another connection reads the restored data");
    assert_eq!(integrity(&db), "ok");
}

#[test]
fn restore_refuses_what_is_not_a_good_cadence_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let mut eng = sample(&db, 30);
    let before = fingerprint(&eng);

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "these are not the pages you are looking for\n".repeat(200)).unwrap();
    assert_eq!(eng.restore(&text, now(), |_| Ok(())).unwrap_err().code(), ErrorCode::Damaged);

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let e = eng.restore(&other, now(), |_| Ok(())).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Invalid);
    assert!(e.to_string().contains("not a Cadence database"), "{e}");

    let missing = eng.restore(&dir.path().join("nope.db"), now(), |_| Ok(())).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::Io);

    let newer = dir.path().join("newer.db");
    engine::api::backup_file(&db, &newer).unwrap();
    make_newer(&newer);
    let e = eng.restore(&newer, now(), |_| Ok(())).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NewerVersion);
    assert_eq!(fingerprint(&eng), before, "nothing changed");
}

/// What a later Cadence would leave: a higher schema version, its version noted.
fn make_newer(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_by', '9.1.0')", []).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
}

#[test]
fn a_database_from_a_newer_cadence_is_refused_with_its_version_and_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    drop(sample(&db, 10));
    make_newer(&db);
    let bytes = sha(&db);
    let Err(e) = Engine::open(&db, now()) else { panic!("a newer schema opened") };
    assert_eq!(e.code(), ErrorCode::NewerVersion);
    let text = e.to_string();
    assert!(text.contains("version 9.1.0") && text.contains("schema 99"), "{text}");
    assert!(text.contains(&format!("this is Cadence {}", engine::api::VERSION)), "{text}");
    assert!(matches!(e, Error::TooNew { schema: 99, .. }));
    assert_eq!(sha(&db), bytes, "not migrated backwards, not written");
}

#[test]
fn a_damaged_page_is_found_on_open_and_the_file_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    drop(sample(&db, 200));
    // Everything checkpointed into the main file, as after a clean exit.
    assert!(
        !Path::new(&format!("{}-wal", db.display())).exists() || std::fs::metadata(format!("{}-wal", db.display())).unwrap().len() == 0
    );
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    assert!(bytes.len() > 20 * page, "a database of many pages ({} bytes)", bytes.len());
    // A page in the middle of the file overwritten, as a failing disk would.
    let at = (bytes.len() / page / 2) * page;
    bytes[at..at + page].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    let files_before = listing(dir.path());
    let Err(e) = Engine::open(&db, now()) else { panic!("a damaged database opened") };
    assert_eq!(e.code(), ErrorCode::Damaged, "{e}");
    assert!(e.to_string().contains("is damaged") && e.to_string().contains("has not written to it"), "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing written to the damaged file");
    // SQLite's read-only look at a WAL database makes its (empty) -wal and
    // -shm index beside it; no page is written anywhere.
    let after: Vec<(String, u64)> = listing(dir.path()).into_iter().filter(|(name, _)| name != "cadence.db-shm").collect();
    let mut expected = files_before.clone();
    if !expected.iter().any(|(name, _)| name == "cadence.db-wal") {
        expected.push(("cadence.db-wal".into(), 0));
    }
    assert_eq!(after, expected, "no page written to the database or its journal");
}

/// Every file in `dir` with its size.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().len()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_file_that_is_not_a_database_is_damaged_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    std::fs::write(&db, vec![7u8; 10_000]).unwrap();
    let Err(e) = Engine::open(&db, now()) else { panic!("garbage opened") };
    assert_eq!(e.code(), ErrorCode::Damaged, "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), vec![7u8; 10_000]);
}

#[test]
fn a_backup_from_an_older_cadence_is_restored_and_brought_to_this_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let mut eng = sample(&db, 20);
    let before = fingerprint(&eng);
    let old = dir.path().join("old.db");
    engine::api::backup_file(&db, &old).unwrap();
    {
        // As schema 3 left it: no `meta` table yet, no undo, no signals, no team.
        let c = rusqlite::Connection::open(&old).unwrap();
        let trigger_3 = include_str!("../migrations/003_results.sql")
            .split("CREATE TRIGGER activity_counted_by_day")
            .nth(1)
            .and_then(|rest| rest.split("END;").next())
            .map(|body| format!("CREATE TRIGGER activity_counted_by_day{body}END;"))
            .unwrap();
        c.execute_batch(&format!(
            "ALTER TABLE sequences DROP COLUMN origin; ALTER TABLE sequences DROP COLUMN sha256; ALTER TABLE sequences DROP COLUMN retired_at;
             DROP TRIGGER team_dnc_added; DROP TRIGGER team_dnc_removed; DROP TABLE team_outbox; DROP TABLE team_cursor; ALTER TABLE do_not_contact DROP COLUMN origin;
             DROP TABLE proposals; DROP TABLE signal_rules; DROP INDEX enrollments_signal; ALTER TABLE enrollments DROP COLUMN signal_id; DROP TABLE signals;
             DROP TABLE meta; DROP TABLE refusals; DROP TABLE sending_state;
             DROP INDEX activity_undoes; DROP INDEX activity_touch; DROP TRIGGER activity_counted_by_day; ALTER TABLE activity DROP COLUMN undoes; {trigger_3}
             PRAGMA user_version = 3;"
        ))
        .unwrap();
    }
    let info = eng.restore(&old, now(), |_| Ok(())).unwrap();
    assert_eq!(info.schema, 3);
    let version: i64 = eng.connection().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version as usize, engine::api::SCHEMA, "migrated forward");
    let written_by: String = eng.connection().query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| r.get(0)).unwrap();
    assert_eq!(written_by, engine::api::VERSION);
    assert_eq!(fingerprint(&eng), before);
}
