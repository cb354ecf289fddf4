//! Backups as the desktop and the CLI use them, on real files: the daily one
//! at start-up and rotation over weeks of use, one after every import, a
//! restore that round-trips the workspace exactly, a damaged database
//! replaced by its newest good backup, and a move to another machine where
//! only the mailbox password is asked for again.

mod common;

use std::path::{Path, PathBuf};

use chrono::Duration;
use common::{at, Host, LEADS};
use dto::{ImportInput, OutcomeInput};
use workspace::backups::{self, BackupKind};
use workspace::Workspace;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// What the rep sees, as the window gets it: the queue, the outbox, every
/// sequence's results, the settings and the mailbox.
fn everything(ws: &Workspace) -> String {
    let strip = |v: serde_json::Value| v.to_string();
    [
        strip(serde_json::to_value(ws.queue(None, None).unwrap()).unwrap()),
        strip(serde_json::to_value(ws.outbox().unwrap()).unwrap()),
        strip(serde_json::to_value(ws.results_all(None, workspace::Period::LastDays(None)).unwrap()).unwrap()),
        strip(serde_json::to_value(ws.settings().unwrap()).unwrap()),
        strip(serde_json::to_value(ws.mailbox().unwrap()).unwrap()),
    ]
    .join("\n")
}

#[test]
fn the_daily_backup_at_start_up_is_rotated_seven_daily_four_weekly() {
    let h = Host::new(Some("2026-10-01T09:00:00Z"));
    h.ws.generate(&workspace::SampleSize { prospects: 20, seed: 3, active_percent: None, past: 0 }).unwrap();
    let db = h.db();
    drop(h.ws.backup_if_due().unwrap().expect("the first start-up takes one"));
    assert!(h.ws.backup_if_due().unwrap().is_none(), "not twice in a day");
    let manual = h.ws.backup(None).unwrap();
    assert_eq!(manual.kind, "manual");

    // Sixty days of using the app, started twice most mornings.
    let start = at("2026-10-01T09:00:00Z");
    for day in 1..60 {
        for hour in [8, 14] {
            let now = start + Duration::days(day) + Duration::hours(hour - 9);
            let ws = Workspace::open(&db, Some(now)).unwrap();
            ws.backup_if_due().unwrap();
        }
    }
    let all = backups::list(&db).unwrap();
    let daily: Vec<String> =
        all.iter().filter(|b| b.kind == BackupKind::Daily).map(|b| b.taken_at.format("%Y-%m-%d").to_string()).collect();
    // The last seven days, then the newest of each of the three weeks before.
    // 2026-11-29 is the last morning (day 59); the weeks run Monday to Sunday.
    assert_eq!(
        daily,
        [
            "2026-11-29",
            "2026-11-28",
            "2026-11-27",
            "2026-11-26",
            "2026-11-25",
            "2026-11-24",
            "2026-11-23",
            "2026-11-22",
            "2026-11-15",
            "2026-11-08"
        ]
        .map(String::from),
        "7 daily and 4 weekly"
    );
    assert!(all.iter().any(|b| b.path.display().to_string() == manual.file), "the rep's own backup is kept");
    // Only one of each day's two start-ups made a backup.
    assert!(daily.windows(2).all(|w| w[0] != w[1]));
    for b in &all {
        assert!(engine::api::inspect_backup(&b.path).is_ok(), "{} is a good backup", b.path.display());
    }
    let dir = backups::folder(&db);
    assert!(names(&dir).iter().all(|n| n.ends_with(".db")), "no partial files left: {:?}", names(&dir));
}

#[test]
fn every_import_is_followed_by_a_backup() {
    let h = Host::new(Some("2026-11-24T14:00:00Z"));
    let csv = h.file("leads.csv", LEADS);
    let file = h.ws.choose_import_file(&csv).unwrap();
    h.ws.import(&ImportInput { token: file.token, mapping: vec![], update: false, delimiter: None }, &mut |_, _| {}).unwrap();
    let list = h.ws.backups().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kind, "import");
    let copy = Workspace::open(Path::new(&list[0].file), None).unwrap();
    assert_eq!(
        copy.prospects(&dto::ProspectQuery { search: None, offset: 0, limit: 10 }).unwrap().total,
        3,
        "the backup holds the imported prospects"
    );
}

#[test]
fn restore_round_trips_the_sample_workspace_exactly() {
    let h = Host::new(Some("2026-11-24T14:00:00Z"));
    h.ws.load_sample().unwrap();
    h.ws.set_setting("sender_name", "Alex Rivera").unwrap();
    let before = everything(&h.ws);
    let backup = h.ws.backup(None).unwrap();

    // The day goes on: emails approved, a call skipped, a setting changed.
    let q = h.ws.queue(None, None).unwrap();
    for item in q.items.iter().take(6) {
        let outcome = if item.channel == "email" {
            OutcomeInput::Approve { subject: None, body: None }
        } else {
            OutcomeInput::Skip { reason: Some("not now".into()) }
        };
        h.ws.complete(item.touch_id, outcome).unwrap();
    }
    h.ws.set_setting("sender_name", "Someone Else").unwrap();
    assert_ne!(everything(&h.ws), before);

    let other_window = h.reopen();
    h.events();
    let r = h.ws.restore(Path::new(&backup.file)).unwrap();
    assert_eq!(everything(&h.ws), before, "the same queue, outbox, results and settings");
    assert_eq!(everything(&other_window), before, "another process on the file sees the restored workspace");
    let changed = h.changed();
    assert!(changed.contains(&"queue".to_string()) && changed.contains(&"settings".to_string()), "the window refreshes: {changed:?}");

    // What was there before the restore is kept, and restores back.
    let kept = PathBuf::from(r.previous_kept_as.unwrap());
    assert!(kept.starts_with(backups::folder(&h.db())));
    assert!(backups::list(&h.db()).unwrap().iter().any(|b| b.kind == BackupKind::BeforeRestore && b.path == kept));
    h.ws.restore(&kept).unwrap();
    assert!(everything(&h.ws).contains("Someone Else"));
}

#[test]
fn a_restore_refused_changes_nothing() {
    let h = Host::new(Some("2026-11-24T14:00:00Z"));
    h.ws.load_sample().unwrap();
    let before = everything(&h.ws);
    let not_db = h.file("notes.txt", &"a shopping list\n".repeat(500));
    assert_eq!(Host::error(h.ws.restore(&not_db)).code, "damaged");
    let newer = h.dir.path().join("newer.db");
    engine::api::backup_file(&h.db(), &newer).unwrap();
    {
        let c = rusqlite_open(&newer);
        c.execute("UPDATE meta SET value = '3.0.0' WHERE key = 'written_by'", []).unwrap();
        c.pragma_update(None, "user_version", 40).unwrap();
    }
    let e = Host::error(h.ws.restore(&newer));
    assert_eq!(e.code, "newer_version");
    assert!(e.message.contains("version 3.0.0"), "{}", e.message);
    assert_eq!(everything(&h.ws), before);
    assert!(h.ws.backups().unwrap().is_empty(), "no before-restore copy for a restore that never started");
}

fn rusqlite_open(p: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(p).unwrap()
}

#[test]
fn a_damaged_database_is_found_at_start_and_replaced_by_the_newest_good_backup() {
    let h = Host::new(Some("2026-11-24T14:00:00Z"));
    h.ws.load_sample().unwrap();
    let before = everything(&h.ws);
    h.ws.backup_if_due().unwrap().unwrap();
    let db = h.db();
    let Host { ws, dir, .. } = h;
    drop(ws);

    let mut bytes = std::fs::read(&db).unwrap();
    let at_page = (bytes.len() / 4096 / 2) * 4096;
    bytes[at_page..at_page + 4096].fill(0x5A);
    std::fs::write(&db, &bytes).unwrap();

    let e = Workspace::open(&db, None).err().expect("a damaged database does not open");
    let problem = backups::startup_problem(&db, dto::ErrorDto::from(&e));
    assert_eq!(problem.error.code, "damaged");
    assert!(problem.error.message.contains("is damaged"), "{}", problem.error.message);
    assert_eq!(problem.backups.len(), 1, "the good backup is offered");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing written to the damaged file");

    assert_eq!(backups::named(&db, "../cadence.db").unwrap_err().code(), workspace::ErrorCode::Invalid, "a name, never a path");
    let file = backups::named(&db, &problem.backups[0].name).unwrap();
    let r = backups::restore_in_place(&db, &file, at("2026-11-24T15:00:00Z")).unwrap();
    let aside = PathBuf::from(r.previous_kept_as.unwrap());
    assert_eq!(std::fs::read(&aside).unwrap(), bytes, "the damaged file is kept aside as it was");
    let ws = Workspace::open(&db, Some(at("2026-11-24T14:00:00Z"))).unwrap();
    assert_eq!(everything(&ws), before);
    drop(dir);
}

#[test]
fn moving_to_another_machine_asks_only_for_the_mailbox_password_again() {
    // SAFETY: nextest runs each test in its own process.
    unsafe { std::env::set_var("CADENCE_KEYRING", "kernel") };
    let password = "moving-day-secret-7781";
    let h = Host::new(Some("2026-11-24T14:00:00Z"));
    h.ws.load_sample().unwrap();
    for (k, v) in [("address", "rep@move.example"), ("smtp_host", "127.0.0.1"), ("imap_host", "127.0.0.1")] {
        h.ws.set_mailbox(k, v).unwrap();
    }
    h.ws.save_password(&dto::PasswordInput::new(password.into())).unwrap();
    assert!(h.ws.mailbox().unwrap().has_password);
    let file = h.dir.path().join("to-the-new-laptop.db");
    h.ws.backup(Some(&file)).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(password.len()).any(|w| w == password.as_bytes()), "the backup holds no secret");
    let before = everything(&h.ws);

    // The new machine: its own keyring, which never saw the password.
    h.ws.forget_password().unwrap();
    let new_machine = tempfile::tempdir().unwrap();
    let db = new_machine.path().join("data/cadence.db");
    let ws = Workspace::open(&db, Some(at("2026-11-24T14:00:00Z"))).unwrap();
    ws.restore(&file).unwrap();
    let m = ws.mailbox().unwrap();
    assert_eq!((m.address.as_str(), m.smtp_host.as_str(), m.configured), ("rep@move.example", "127.0.0.1", true));
    assert!(!m.has_password, "the password is asked for again");
    assert_eq!(everything(&ws).replace("\"has_password\":false", "\"has_password\":true"), before, "everything else came across");
    ws.save_password(&dto::PasswordInput::new(password.into())).unwrap();
    assert!(ws.mailbox().unwrap().has_password);
    ws.forget_password().unwrap();
}
