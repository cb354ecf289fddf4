//! Every command group of the application layer, driven as the desktop
//! drives it: real database files, the events the window would get, errors
//! as the window sees them. The mailbox against real servers is in
//! `host_mail.rs`; what only a webview shows is in `tests/e2e/`.

mod common;

use common::{path, Host, LEADS};
use dto::{EnrollInput, ImportInput, OutcomeInput, ProspectQuery, SendsKind, SnoozeInput};
use workspace::{EnrollmentRef, Event, ExportKind, Period};

const TUESDAY: &str = "2026-11-24T14:00:00Z";

fn import(h: &Host) -> i64 {
    let csv = h.file("leads.csv", LEADS);
    let input = ImportInput { path: path(&csv), mapping: vec![], update: false };
    let preview = h.ws.preview_import(&input).unwrap();
    assert_eq!((preview.ready, preview.rejected), (3, 1), "the preview counts what would import");
    let mut seen = Vec::new();
    let done = h.ws.import(&input, vec!["q4".into()], None, &mut |d, t| seen.push((d, t))).unwrap();
    assert_eq!(done.report.imported, 3);
    assert_eq!(done.report.rejected[0].line, 4, "the bad row is named by its line");
    assert!(!seen.is_empty(), "progress was reported");
    done.report.import_id
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
    assert_eq!(dana.prospect.tags, ["q4"]);
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

    let missing = ImportInput { path: path(&h.dir.path().join("nope.csv")), mapping: vec![], update: false };
    let e = Host::error(h.ws.import(&missing, vec![], None, &mut |_, _| {}));
    assert_eq!(e.code, "io");
    assert!(e.message.contains("nope.csv"), "{}", e.message);
    let nomail = h.file("nomail.csv", "name,company\nA,B\n");
    let e = Host::error(h.ws.import(&ImportInput { path: path(&nomail), mapping: vec![], update: false }, vec![], None, &mut |_, _| {}));
    assert_eq!(e.code, "bad_csv");
    assert_eq!(h.ws.prospect_count().unwrap(), 3, "a refused import adds nothing");
    assert_eq!(Host::error(h.ws.prospect("nobody@example.com")).code, "not_found");
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
