//! `cadence backup`, `backups` and `restore` as a script would use them, and
//! what the CLI says when the database will not open.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-24T14:00:00Z";

fn cadence(db: &PathBuf, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("cadence").unwrap().arg("--db").arg(db).arg("--now").arg(NOW).args(args).assert()
}

fn json(db: &PathBuf, args: &[&str]) -> Value {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    serde_json::from_slice(&cadence(db, &a).success().get_output().stdout).unwrap()
}

#[test]
fn backup_list_restore_and_a_damaged_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/cadence.db");
    json(&db, &["sample", "--prospects", "40"]);
    let total = json(&db, &["queue"])["total"].as_u64().unwrap();
    // That second command took the day's backup (the first found no prospects).
    let list = json(&db, &["backups"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["kind"], "daily");
    assert!(list[0]["file"].as_str().unwrap().starts_with(dir.path().join("data/backups").to_str().unwrap()));

    let mine = dir.path().join("mine.db");
    let b = json(&db, &["backup", mine.to_str().unwrap()]);
    assert_eq!((b["file"].as_str().unwrap(), b["kind"].as_str().unwrap()), (mine.to_str().unwrap(), "manual"));
    let again = cadence(&db, &["--json", "backup", mine.to_str().unwrap()]).failure().code(1);
    let err: Value = serde_json::from_slice(&again.get_output().stdout).unwrap();
    assert_eq!(err["error"]["code"], "conflict", "an existing file is never overwritten");

    // Work done after the backup, then undone by the restore.
    let first = json(&db, &["queue"])["items"][0]["touch_id"].as_i64().unwrap();
    json(&db, &["skip", &first.to_string(), "--reason", "not now"]);
    assert_eq!(json(&db, &["queue"])["total"].as_u64().unwrap(), total - 1);
    let r = json(&db, &["restore", mine.to_str().unwrap()]);
    assert_eq!(r["prospects"], 40);
    assert_eq!(json(&db, &["queue"])["total"].as_u64().unwrap(), total);
    let kinds: Vec<String> = json(&db, &["backups"]).as_array().unwrap().iter().map(|b| b["kind"].as_str().unwrap().to_string()).collect();
    assert!(kinds.contains(&"before_restore".to_string()), "{kinds:?}");
    let human = String::from_utf8(cadence(&db, &["backups"]).success().get_output().stdout.clone()).unwrap();
    assert!(human.starts_with("taken") && human.contains("before_restore") && human.contains(" MB"), "{human}");

    // A page damaged on disk: every command refuses, names the good backup
    // and how to restore it, and writes nothing.
    let mut bytes = std::fs::read(&db).unwrap();
    let at = (bytes.len() / 4096 / 2) * 4096;
    bytes[at..at + 4096].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    let out = cadence(&db, &["--json", "queue"]).failure().code(1);
    let o = out.get_output();
    let err: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(err["error"]["code"], "damaged");
    let stderr = String::from_utf8(o.stderr.clone()).unwrap();
    assert!(stderr.contains("is damaged") && stderr.contains("Cadence has not written to it"), "{stderr}");
    assert!(stderr.contains("The newest good backup is") && stderr.contains("cadence restore "), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);

    let good = stderr.lines().find_map(|l| l.trim().strip_prefix("cadence restore ")).unwrap().to_string();
    let r = json(&db, &["restore", &good]);
    assert!(r["previous_kept_as"].as_str().unwrap().contains("cadence.db.damaged-"));
    assert_eq!(std::fs::read(r["previous_kept_as"].as_str().unwrap()).unwrap(), bytes, "the damaged file kept as it was");
    assert!(json(&db, &["queue"])["total"].as_u64().unwrap() > 0, "the workspace works again");
}

#[test]
fn a_database_from_a_newer_cadence_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    json(&db, &["sample", "--prospects", "5"]);
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute("UPDATE meta SET value = '2.4.0' WHERE key = 'written_by'", []).unwrap();
        c.pragma_update(None, "user_version", 12).unwrap();
    }
    let out = cadence(&db, &["queue"]).failure().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("from a newer Cadence (version 2.4.0, schema 12)"), "{stderr}");
    assert!(stderr.contains("There is no good backup in"), "{stderr}");
}
