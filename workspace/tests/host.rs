//! Every command group of the application layer, driven as the desktop
//! drives it: real database files, the events the window would get, errors
//! as the window sees them. The mailbox against real servers is in
//! `host_mail.rs`; what only a webview shows is in `tests/e2e/`.

mod common;

use common::{path, Host, LEADS};
use dto::{EnrollInput, ImportInput, OutcomeInput, ProspectQuery, SendsKind, SnoozeInput};
use workspace::{EnrollmentRef, Event, ExportKind, PathImport, Period};

const TUESDAY: &str = "2026-11-24T14:00:00Z";

/// What the window sends for a chosen file.
fn chosen(token: &str) -> ImportInput {
    ImportInput { token: token.into(), mapping: vec![], update: false, delimiter: None }
}

/// Imports LEADS as the desktop does: the file is chosen (the shell's
/// dialog), then previewed and imported by its token.
fn import(h: &Host) -> i64 {
    let csv = h.file("leads.csv", LEADS);
    let file = h.ws.choose_import_file(&csv).unwrap();
    assert_eq!((file.file.as_str(), file.size), ("leads.csv", LEADS.len() as u64));
    let input = chosen(&file.token);
    let preview = h.ws.preview_import(&input).unwrap();
    assert_eq!((preview.ready, preview.rejected), (3, 1), "the preview counts what would import");
    let mut seen = Vec::new();
    let report = h.ws.import(&input, &mut |d, t| seen.push((d, t))).unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(report.rejected[0].line, 4, "the bad row is named by its line");
    assert!(!seen.is_empty(), "progress was reported");
    report.import_id
}

#[test]
fn workspace_and_settings() {
    let h = Host::new(Some(TUESDAY));
    let info = h.ws.info().unwrap();
    assert_eq!(info.prospects, 0, "a first run");
    assert_eq!(info.database, path(&h.db()));
    assert_eq!(info.now, "2026-11-24T14:00:00Z");
    let s = h.ws.set_setting("timezone", "America/New_York").unwrap();
    assert_eq!(s.timezone, "America/New_York");
    assert_eq!(h.changed(), ["queue", "settings"], "the window refreshes the queue and the settings");
    let bad = Host::error(h.ws.set_setting("timezone", "Mars/Olympus"));
    assert_eq!(bad.code, "invalid");
    assert!(bad.message.contains("not an IANA time zone"), "{}", bad.message);
    assert!(h.changed().is_empty(), "a refused setting changes nothing");
    assert_eq!(h.reopen().settings().unwrap().timezone, "America/New_York", "kept in the file");
}

#[test]
fn prospects_import_and_enrollment() {
    let h = Host::new(Some(TUESDAY));
    h.ws.set_setting("timezone", "America/New_York").unwrap();
    h.events();
    let import_id = import(&h);
    assert!(h.changed().contains(&"prospects".to_string()));
    let page = h.ws.prospects(&ProspectQuery { search: Some("harbor".into()), offset: 0, limit: 50 }).unwrap();
    assert_eq!((page.total, page.items[0].email.as_str()), (1, "omar@harborlabs.io"));
    let enrolled = h
        .ws
        .enroll(&EnrollInput { sequence: "cold-outbound-21d".into(), prospect_ids: vec![], matching: None, import_id: Some(import_id) })
        .unwrap();
    assert_eq!(enrolled.enrolled, 3);
    let events = h.events();
    assert!(events.iter().any(|e| matches!(e, Event::Due(d) if d.total >= 1)), "the tray's count follows: {events:?}");
    let dana = h.ws.prospect("dana@lumenfield.com").unwrap();
    assert_eq!((dana.enrollments.len(), dana.enrollments[0].state), (1, "active"));
    let edited = h.ws.set_prospect_field(&dana.prospect.id.to_string(), "company", "Lumenfield Inc").unwrap();
    assert_eq!(edited.company.as_deref(), Some("Lumenfield Inc"));

    let paused = h.ws.pause(&EnrollmentRef::Prospect("dana@lumenfield.com".into())).unwrap();
    assert_eq!(paused.state, "paused");
    assert_eq!(Host::error(h.ws.pause(&EnrollmentRef::Prospect("dana@lumenfield.com".into()))).code, "conflict", "nothing active to pause");
    assert_eq!(h.ws.resume(&EnrollmentRef::Id(paused.enrollment_id)).unwrap().state, "active");
    assert_eq!(h.ws.remove(&EnrollmentRef::Prospect("omar@harborlabs.io".into())).unwrap().state, "exited");
    let dnc = h.ws.add_do_not_contact("@quillstack.com", "asked").unwrap();
    assert_eq!(dnc.enrollments_ended, 1);
    let away = h.ws.add_away(workspace::date("2026-11-25").unwrap(), workspace::date("2026-11-27").unwrap()).unwrap();
    assert_eq!(away.from, "2026-11-25");

    let e = Host::error(h.ws.choose_import_file(&h.dir.path().join("nope.csv")));
    assert_eq!(e.code, "io");
    assert!(e.message.contains("nope.csv"), "{}", e.message);
    let nomail = h.ws.choose_import_file(&h.file("nomail.csv", "name,company\nA,B\n")).unwrap();
    let e = Host::error(h.ws.import(&chosen(&nomail.token), &mut |_, _| {}));
    assert_eq!(e.code, "bad_csv");
    assert_eq!(h.ws.prospect_count().unwrap(), 3, "a refused import adds nothing");
    assert_eq!(Host::error(h.ws.prospect("nobody@example.com")).code, "not_found");
}

/// Runs `f` on another thread and fails if it takes more than 5 s: a call
/// that opened a FIFO or read /dev/zero would never come back.
fn promptly<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || drop(tx.send(f())));
    rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap_or_else(|_| panic!("{what} did not come back: it waited on the file"))
}

#[test]
fn import_files_are_chosen_by_token() {
    let h = std::sync::Arc::new(Host::new(Some(TUESDAY)));
    // A chosen file previews (as often as the rep changes the mapping) and
    // imports by its token; the token then ends.
    let file = h.ws.choose_import_file(&h.file("leads.csv", LEADS)).unwrap();
    assert_eq!(file.token.len(), 32, "128 random bits in hex: {}", file.token);
    assert!(file.token.chars().all(|c| c.is_ascii_hexdigit()));
    let again = h.ws.choose_import_file(&h.dir.path().join("leads.csv")).unwrap();
    assert_ne!(file.token, again.token, "every choice has its own token");
    h.ws.preview_import(&chosen(&file.token)).unwrap();
    let preview = h.ws.preview_import(&chosen(&file.token)).unwrap();
    assert_eq!((preview.file.as_str(), preview.ready), ("leads.csv", 3));
    let report = h.ws.import(&chosen(&file.token), &mut |_, _| {}).unwrap();
    assert_eq!((report.imported, report.rejected_total), (3, 1));
    for token in [file.token.as_str(), "00000000000000000000000000000000", "", "../../etc/passwd", "/dev/zero"] {
        let e = Host::error(h.ws.preview_import(&chosen(token)));
        assert_eq!(e.code, "invalid", "{token}: {}", e.message);
        assert!(e.message.contains("choose the file again"), "{}", e.message);
        assert_eq!(Host::error(h.ws.import(&chosen(token), &mut |_, _| {})).code, "invalid", "{token}");
    }
    assert_eq!(h.ws.prospect_count().unwrap(), 3, "a used token imports nothing more");

    // Not a regular file: refused at once with words, and never opened.
    let dir = h.dir.path().join("folder.csv");
    std::fs::create_dir(&dir).unwrap();
    let fifo = h.dir.path().join("fifo.csv");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for (path, words) in [(dir.clone(), "is a folder"), (fifo.clone(), "not a regular file"), ("/dev/zero".into(), "not a regular file")] {
        let ws = h.clone();
        let p = path.clone();
        let e = Host::error(promptly("choosing", move || ws.ws.choose_import_file(&p)));
        assert_eq!(e.code, "invalid", "{}", path.display());
        assert!(e.message.contains(words) && e.message.contains("choose a CSV file"), "{}", e.message);
        let ws = h.clone();
        let p = path.clone();
        let e = Host::error(promptly("the command line's import", move || ws.ws.import_path(&p, &PathImport::default(), &mut |_, _| {})));
        assert!(e.message.contains(words), "{}", e.message);
    }
    // A chosen file swapped for a FIFO before the preview is not waited on.
    let swapped = h.file("swapped.csv", LEADS);
    let token = h.ws.choose_import_file(&swapped).unwrap().token;
    std::fs::remove_file(&swapped).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&swapped).status().unwrap().success());
    let ws = h.clone();
    let e = Host::error(promptly("the preview", move || ws.ws.preview_import(&chosen(&token))));
    assert!(e.message.contains("not a regular file"), "{}", e.message);

    // Larger than an import may be: refused from its size, unread (the
    // file is sparse: nothing is written to disk).
    let big = h.dir.path().join("big.csv");
    std::fs::File::create(&big).unwrap().set_len(workspace::IMPORT_MAX_BYTES + 1).unwrap();
    let e = Host::error(h.ws.choose_import_file(&big));
    assert_eq!(e.code, "invalid");
    assert!(e.message.contains("larger than the 200 MB"), "{}", e.message);
    assert!(Host::error(h.ws.import_path(&big, &PathImport::default(), &mut |_, _| {})).message.contains("larger than the 200 MB"));
    assert_eq!(h.ws.prospect_count().unwrap(), 3, "nothing was imported");
}

#[test]
fn the_windows_import_report_is_bounded() {
    let h = Host::new(Some(TUESDAY));
    let mut csv = format!("Email,First Name,Company\nnot-an-email,Long,{}\n", "x".repeat(5000));
    for i in 0..150 {
        csv += &format!("p{i}@ok.example,P{i},Co\n");
    }
    for i in 0..249 {
        csv += &format!("not-an-email-{i},Bad,Co\n");
    }
    let path = h.file("many.csv", &csv);
    let file = h.ws.choose_import_file(&path).unwrap();
    let preview = h.ws.preview_import(&chosen(&file.token)).unwrap();
    assert_eq!((preview.sample.len(), preview.ready, preview.rejected), (5, 150, 250), "five rows shown, all counted");
    assert!(preview.sample[0][2].chars().count() <= 201, "a long cell is cut in the preview");
    let report = h.ws.import(&chosen(&file.token), &mut |_, _| {}).unwrap();
    assert_eq!((report.imported, report.rejected.len(), report.rejected_total), (150, workspace::REPORT_ROWS, 250));
    assert_eq!((report.rejected[0].line, report.rejected[1].line), (2, 153), "the first rejected rows, in order");

    // The same file again: every row known, listed up to the bound.
    let again = h.ws.choose_import_file(&path).unwrap();
    let report = h.ws.import(&chosen(&again.token), &mut |_, _| {}).unwrap();
    assert_eq!((report.skipped.len(), report.skipped_total), (workspace::REPORT_ROWS, 150));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["rejected_total"], 250);
    assert_eq!(json["rejected"].as_array().unwrap().len(), 100);

    // The command line's report is whole, and tags what it brings in.
    let done =
        h.ws.import_path(&path, &PathImport { update: true, tags: vec!["q4".into()], ..Default::default() }, &mut |_, _| {}).unwrap();
    assert_eq!((done.report.rejected.len(), done.report.rejected_total, done.report.updated), (250, 250, 150));
    assert_eq!(h.ws.prospect("p1@ok.example").unwrap().prospect.tags, ["q4"]);
}

#[test]
fn queue_and_touches() {
    let h = Host::new(Some(TUESDAY));
    h.ws.set_setting("timezone", "America/New_York").unwrap();
    h.ws.set_setting("sender_name", "Alex Rivera").unwrap();
    let id = import(&h);
    h.ws.enroll_who("cold-outbound-21d", &workspace::Who::Import(id), false).unwrap();
    h.events();
    let q = h.ws.queue(None, None).unwrap();
    assert_eq!(q.day, "2026-11-24");
    let email = q.items.iter().find(|i| i.email == "dana@lumenfield.com").unwrap();
    assert_eq!(email.channel, "email");
    let t = h.ws.touch(email.touch_id).unwrap();
    assert!(!t.blocked && t.subject.is_some(), "{t:?}", t = t.text);
    let done = h.ws.complete(email.touch_id, OutcomeInput::Approve { subject: None, body: None }).unwrap();
    let out = done.outbox.as_ref().expect("an approved email is in the outbox");
    assert_eq!((done.state, out.email.as_str()), ("approved", "dana@lumenfield.com"));
    let changed = h.changed();
    assert!(changed.contains(&"queue".into()) && changed.contains(&"outbox".into()), "{changed:?}");
    assert_eq!(h.ws.outbox().unwrap().len(), 1);
    assert_eq!(h.ws.sends(SendsKind::Waiting).unwrap().len(), 1, "the email waits in the ledger");
    let again = Host::error(h.ws.complete(email.touch_id, OutcomeInput::Done { notes: None }));
    assert_eq!(again.code, "conflict", "a touch is worked once");

    let other = h.ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == "omar@harborlabs.io").unwrap();
    let snoozed = h.ws.snooze(other.touch_id, SnoozeInput::Tomorrow).unwrap();
    assert!(snoozed.due_at.as_str() > TUESDAY, "{}", snoozed.due_at);
    assert!(h.ws.queue(None, None).unwrap().items.iter().all(|i| i.touch_id != other.touch_id), "a snoozed touch leaves today");
    let bad = Host::error(h.ws.complete(other.touch_id, OutcomeInput::Call { outcome: "maybe".into(), notes: None, duration_s: None }));
    assert_eq!(bad.code, "invalid");
    let by_channel = h.ws.queue(Some(workspace::channel("call").unwrap()), None).unwrap();
    assert!(by_channel.items.iter().all(|i| i.channel == "call"));
    assert_eq!(Host::error(workspace::channel("fax")).code, "invalid");

    // A draft with a blank is never approved.
    h.ws.set_prospect_field("li@quillstack.com", "company", "").unwrap();
    let li = h.ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == "li@quillstack.com").unwrap();
    assert!(h.ws.touch(li.touch_id).unwrap().blocked);
    let blocked = Host::error(h.ws.complete(li.touch_id, OutcomeInput::Approve { subject: None, body: None }));
    assert_eq!(blocked.code, "draft_blocked");
    assert!(blocked.message.contains("company"), "{}", blocked.message);
}

#[test]
fn sequences() {
    let h = Host::new(Some(TUESDAY));
    let list = h.ws.sequences().unwrap();
    assert!(list.iter().any(|s| s.slug == "cold-outbound-21d"));
    let cold = h.ws.sequence("cold-outbound-21d").unwrap();
    assert_eq!(cold.steps.as_ref().unwrap().len(), 10);
    assert!(h.ws.lint("cold-outbound-21d").unwrap().ok);
    let broken = h.file("broken.toml", "name = \"B\"\nkind = \"cold\"\n\n[[steps]]\nchannel = \"emial\"\ndelay = 0\n");
    let e = Host::error(h.ws.lint(&path(&broken)));
    assert_eq!(e.code, "sequence_file");
    assert!(e.message.contains("broken.toml:5"), "{}", e.message);
    let good = h.file("mine.toml", include_str!("../../mail/tests/fixtures/all-day.toml"));
    let added = h.ws.add_sequence(&good).unwrap();
    assert_eq!((added.slug.as_str(), added.version), ("mine", 1));
    assert!(h.changed().contains(&"sequences".into()));
    assert_eq!(Host::error(h.ws.sequence("nope")).code, "not_found");
}

#[test]
fn results_and_exports() {
    let h = Host::new(Some(TUESDAY));
    let sample = h.ws.load_sample().unwrap();
    assert_eq!(sample.prospects, 60 + 400, "the first-run sample: sixty working prospects and past ones for results");
    let overview = h.ws.results_overview(None).unwrap();
    let cold = overview.iter().find(|s| s.slug == "cold-outbound-21d").unwrap();
    assert!(cold.figures.emails_sent > 0);
    let r = h.ws.results("cold-outbound-21d", Period::LastDays(None)).unwrap();
    assert_eq!(r.figures.emails_sent, cold.figures.emails_sent, "the headline and the page agree");
    let all = h.ws.results_all(None, Period::LastDays(None)).unwrap();
    assert_eq!(all.len(), h.ws.sequences().unwrap().len());
    let recent = h.ws.results("cold-outbound-21d", Period::LastDays(Some(7))).unwrap();
    assert!(recent.figures.emails_sent <= r.figures.emails_sent);
    assert_eq!(Host::error(h.ws.results_overview(Some(u32::MAX))).code, "invalid", "a period past any calendar is refused, not a panic");
    assert_eq!(Host::error(h.ws.results("cold-outbound-21d", Period::LastDays(Some(u32::MAX)))).code, "invalid");
    let dates = Host::error(h.ws.results(
        "cold-outbound-21d",
        Period::Dates { since: workspace::date("2026-11-20").ok(), until: workspace::date("2026-11-01").ok() },
    ));
    assert_eq!(dates.code, "invalid");
    let today = h.ws.today_stats().unwrap();
    assert!(today.left > 0);
    let s = h.ws.set_results_settings(Some(5.0), None).unwrap();
    assert_eq!((s.reply_floor_pct, s.window_days), (5.0, 30));
    assert_eq!(h.reopen().results_settings().unwrap().reply_floor_pct, 5.0);

    let name = ExportKind::Figures.file_name(Some("cold-outbound-21d"));
    assert_eq!(name, "cadence-cold-outbound-21d-results.csv");
    assert_eq!(ExportKind::Activity.file_name(None), "cadence-all-activity.csv");
    let to = h.dir.path().join(&name);
    let done = h.ws.export_to(ExportKind::Figures, Some("cold-outbound-21d"), Period::LastDays(None), &to).unwrap();
    let text = std::fs::read_to_string(&to).unwrap();
    assert_eq!(text.lines().count() as u64, done.rows + 1, "a header and the rows");
    let log = h.ws.export_to(ExportKind::Activity, None, Period::LastDays(None), &h.dir.path().join("log.csv")).unwrap();
    assert!(log.rows > done.rows);
    assert_eq!(Host::error(ExportKind::parse("everything")).code, "invalid");
    let nowhere = Host::error(h.ws.export_to(ExportKind::Figures, None, Period::LastDays(None), &h.dir.path().join("no/such/dir/x.csv")));
    assert_eq!(nowhere.code, "io");
}

#[test]
fn mailbox_without_a_server() {
    let h = Host::new(Some(TUESDAY));
    let m = h.ws.mailbox().unwrap();
    assert!(!m.configured && !m.has_password);
    let status = h.ws.mailbox_status();
    assert_eq!((status.state.as_str(), status.code), ("off", Some("mailbox_not_set_up")));
    let e = Host::error(h.ws.save_password(&dto::PasswordInput::new("secret".into())));
    assert_eq!(e.code, "invalid");
    assert!(e.message.contains("address first"), "{}", e.message);
    let rt = workspace::runtime().unwrap();
    let e = Host::error(rt.block_on(h.ws.test_mailbox()));
    assert_eq!(e.code, "mailbox_not_set_up", "{}", e.message);
    let bad = Host::error(h.ws.set_mailbox("smtp_security", "plain"));
    assert_eq!(bad.code, "invalid");
    let path = Host::error(h.ws.set_mailbox_from_window("ca_file", "/etc/passwd"));
    assert_eq!(path.code, "invalid", "the window names no file: {}", path.message);
    assert_eq!(h.ws.mailbox().unwrap().ca_file, None);
    assert!(h.ws.set_mailbox_from_window("ca_file", "").is_ok(), "clearing is fine");
    let m = h.ws.set_mailbox("address", "rep@example.com").unwrap();
    assert_eq!(m.address, "rep@example.com");
    assert!(h.changed().contains(&"settings".into()) || h.ws.mailbox().unwrap().address == "rep@example.com");
    let plain = Host::error(h.ws.set_mailbox("imap_host", "mail.example.com").and_then(|_| h.ws.set_mailbox("imap_security", "plain")));
    assert_eq!(plain.code, "invalid", "no plaintext login to anything but loopback: {}", plain.message);
    assert!(h.ws.sends(SendsKind::Sent).unwrap().is_empty());
    assert!(h.ws.inbox(50).unwrap().is_empty());
    assert_eq!(Host::error(h.ws.retry_send(999)).code, "not_found");
    assert_eq!(Host::error(h.ws.correct_inbound(999, "reply")).code, "not_found");
    assert_eq!(Host::error(h.ws.tag_reply(999, "positive")).code, "not_found");
    let c = workspace::classify(b"From: a@b.c\r\nSubject: Automatic reply: away\r\nAuto-Submitted: auto-replied\r\n\r\nI am out of the office until 1 December.\r\n", None, common::at(TUESDAY).date_naive()).unwrap();
    assert_eq!(c.kind, "auto_reply");
    assert_eq!(Host::error(workspace::classify(b"", None, common::at(TUESDAY).date_naive())).code, "invalid");
}
