//! What Cadence does with the mail that comes back, through the application
//! layer as the desktop drives it, against the real Postfix and Dovecot on
//! loopback (`scripts/mail-server start`): a bounce for a mailbox that does
//! not exist, a bounce from a full mailbox (Dovecot's quota), a refusal of
//! the rep's own sending at SMTP time (Postfix's check_sender_access) and an
//! out-of-office from Sieve's vacation. Each pass is one `sync`, as "Sync
//! now" runs it; a later day is the same database opened with a later clock.
//!
//! The rep's mailbox keeps every run's mail, so each test first reads what is
//! there (nothing in it is about its prospects) and uses addresses no earlier
//! run used. Runs in the `mail-servers` test group (the servers, the keyring
//! entry and the vacation script are shared).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use common::live::use_test_servers;
use common::Host;
use dto::{InboundDto, OutcomeInput, PasswordInput, SendDto, SyncDto};
use workspace::{PathImport, Workspace};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A tag no earlier run used (the process id alone comes round again).
fn tag(name: &str) -> String {
    format!("{name}{}-{}", std::process::id(), Utc::now().timestamp_millis())
}

/// A rep whose mailbox is the test servers', sending as `address` (logging
/// in as rep@example.test), every day, all day, one email right after another.
struct Rep {
    h: Host,
    rt: tokio::runtime::Runtime,
}

fn rep(address: &str) -> Rep {
    let h = Host::new(None);
    let ws = &h.ws;
    for (k, v) in
        [("working_days", "mon,tue,wed,thu,fri,sat,sun"), ("hours", "00:00-23:59"), ("sender_name", "Alex Rivera"), ("timezone", "UTC")]
    {
        ws.set_setting(k, v).unwrap();
    }
    use_test_servers(ws, address);
    ws.save_password(&PasswordInput::new("rep-secret".into())).unwrap();
    let seq = h.file("all-day.toml", include_str!("../../mail/tests/fixtures/all-day.toml"));
    ws.add_sequence(&seq).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    // What earlier runs left in the mailbox is read once, before there are
    // prospects it could be about.
    sync(&rt, ws);
    h.events();
    Rep { h, rt }
}

impl Rep {
    fn ws(&self) -> &Workspace {
        &self.h.ws
    }

    /// Imports `who` and enrolls them in the all-day sequence.
    fn enroll(&self, who: &[String]) {
        let mut csv = String::from("email,first_name,company,timezone\n");
        for (i, w) in who.iter().enumerate() {
            csv += &format!("{w},Pat{i},Harbor Labs,UTC\n");
        }
        let f = self.h.file("leads.csv", &csv);
        let done = self.ws().import_path(&f, &PathImport { enroll: Some("all-day"), ..Default::default() }, &mut |_, _| {}).unwrap();
        assert_eq!(done.enrollment.unwrap().enrolled, who.len());
    }

    /// The workspace opened on the same file as if it were `now`.
    fn at(&self, now: DateTime<Utc>) -> Workspace {
        Workspace::open(&self.h.db(), Some(now)).unwrap()
    }
}

/// Approves the email due for `who`, as drafted; its touch id.
fn approve(ws: &Workspace, who: &str) -> i64 {
    let item = ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == who).unwrap_or_else(|| panic!("no touch for {who}"));
    ws.complete(item.touch_id, OutcomeInput::Approve { subject: None, body: None }).unwrap();
    item.touch_id
}

/// One pass, as "Sync now": send what may go, read what came.
fn sync(rt: &tokio::runtime::Runtime, ws: &Workspace) -> SyncDto {
    rt.block_on(ws.sync()).unwrap()
}

/// Syncs (every 250 ms, for up to 30 s) until Cadence has read a message
/// `found` accepts.
fn read_until(rt: &tokio::runtime::Runtime, ws: &Workspace, what: &str, mut found: impl FnMut(&InboundDto) -> bool) -> InboundDto {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        sync(rt, ws);
        if let Some(m) = ws.inbox(200).unwrap().into_iter().find(&mut found) {
            return m;
        }
        assert!(Instant::now() < until, "no {what} read within 30 s; read: {:?}", ws.inbox(200).unwrap());
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn send_of(ws: &Workspace, touch: i64) -> SendDto {
    ws.all_sends(500).unwrap().into_iter().find(|s| s.touch_id == touch).unwrap()
}

/// The enrollment's state and exit reason, as the prospect's page shows them.
fn enrollment(ws: &Workspace, who: &str) -> (&'static str, Option<&'static str>) {
    let p = ws.prospect(who).unwrap();
    assert_eq!(p.enrollments.len(), 1);
    (p.enrollments[0].state, p.enrollments[0].exit_reason)
}

/// The address's standing as the prospect's page shows it
/// (ok | soft_bounced | invalid | left).
fn email_status(ws: &Workspace, who: &str) -> String {
    ws.prospect(who).unwrap().email_status
}

/// A DTO as the window gets it (for failure messages).
fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap()
}

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn a_user_unknown_bounce_marks_the_address_invalid_and_ends_the_sequence() {
    let r = rep("rep@example.test");
    let ws = r.ws();
    // No such mailbox (prospect+… would land in prospect's).
    let who = format!("nobody+{}@example.test", tag("unknown"));
    r.enroll(std::slice::from_ref(&who));
    let touch = approve(ws, &who);
    assert_eq!(sync(&r.rt, ws).sent, 1, "Postfix takes it; Dovecot has no such user, and Postfix returns it");

    let m = read_until(&r.rt, ws, "bounce", |m| m.kind == "bounce" && m.prospect_email.as_deref() == Some(who.as_str()));
    assert_eq!(m.touch_id, Some(touch), "matched to the email by its Message-ID");
    assert_eq!(m.bounce_status.as_deref(), Some("5.1.1"));
    assert_eq!((m.bounce_reason.as_deref(), m.bounce_fault.as_deref()), (Some("user_unknown"), Some("address")));
    assert_eq!(m.bounce_reason_label.as_deref(), Some("no such mailbox"));
    assert!(
        m.bounce_said.as_deref().is_some_and(|s| s.contains("5.1.1") && s.contains("doesn't exist")),
        "what Postfix said: {:?}",
        m.bounce_said
    );
    assert!(m.action.starts_with(&format!("marked {who} invalid (no such mailbox) and stopped 1 sequence")), "{}", m.action);
    assert_eq!(enrollment(ws, &who), ("exited", Some("bounced")));
    assert_eq!(email_status(ws, &who), "invalid");
    // Not the rep's sending: no alarm.
    let d = ws.deliverability().unwrap();
    assert!(d.alarm.is_none() && d.refusals.is_empty() && d.paused_at.is_none(), "{d:?}");
    // The window is told to refresh Replies and the prospects.
    let changed = r.h.changed();
    assert!(changed.iter().any(|c| c == "inbox") && changed.iter().any(|c| c == "prospects"), "{changed:?}");
}

#[test]
fn a_full_mailbox_is_tried_again_a_day_later_then_the_enrollment_pauses() {
    let r = rep("rep@example.test");
    let ws = r.ws();
    // full@example.test has a one-byte quota: Dovecot refuses every delivery (552 5.2.2).
    let who = format!("full+{}@example.test", tag("full"));
    r.enroll(std::slice::from_ref(&who));
    let touch = approve(ws, &who);
    assert_eq!(sync(&r.rt, ws).sent, 1);

    let first = read_until(&r.rt, ws, "bounce", |m| m.kind == "bounce" && m.prospect_email.as_deref() == Some(who.as_str()));
    assert_eq!(first.touch_id, Some(touch));
    assert_eq!(first.bounce_status.as_deref(), Some("5.2.2"));
    assert_eq!((first.bounce_reason.as_deref(), first.bounce_fault.as_deref()), (Some("mailbox_full"), Some("mailbox")));
    assert_eq!(first.bounce_reason_label.as_deref(), Some("the mailbox is full"));
    assert!(first.action.contains("the email goes again a day later"), "{}", first.action);
    // The email is back in the outbox for tomorrow; the prospect stays in the sequence.
    let s = send_of(ws, touch);
    assert_eq!(s.state, "queued");
    assert!(s.reason.as_deref().is_some_and(|w| w.starts_with("soft bounce (the mailbox is full)")), "{}", json(&s));
    assert!(time(&s.not_before) > Utc::now() + chrono::Duration::hours(23), "goes again a day later: {}", json(&s));
    assert_eq!(enrollment(ws, &who), ("active", None));
    assert_eq!(email_status(ws, &who), "soft_bounced");
    assert!(ws.deliverability().unwrap().refusals.is_empty(), "a full mailbox is not the rep's fault");
    assert_eq!(sync(&r.rt, ws).sent, 0, "nothing goes again today");

    // A day later it goes again, and bounces again: the enrollment pauses.
    // On a whole second: every sync's clock starts at this instant, and the
    // slot the first pass moves the retry to (now, stored to the second) is
    // then never after the next pass's now.
    let tomorrow =
        r.at(chrono::DurationRound::duration_trunc(Utc::now() + chrono::Duration::hours(25), chrono::Duration::seconds(1)).unwrap());
    // (The retry keeps its touch's first-day window, so the first pass finds
    // that window closed and moves it to the next one, which is now: it goes
    // on the pass after.)
    let sent: usize = (0..2).map(|_| sync(&r.rt, &tomorrow).sent).sum();
    assert_eq!(sent, 1, "the retry goes: {}", json(&send_of(&tomorrow, touch)));
    let second = read_until(&r.rt, &tomorrow, "a second bounce", |m| {
        m.kind == "bounce" && m.prospect_email.as_deref() == Some(who.as_str()) && m.id != first.id
    });
    assert_eq!(second.bounce_reason.as_deref(), Some("mailbox_full"));
    assert!(second.action.contains("bounced again (the mailbox is full): paused 1 sequence until you resume"), "{}", second.action);
    assert_eq!(enrollment(&tomorrow, &who), ("paused", None));
    let p = tomorrow.prospect(&who).unwrap();
    assert!(
        p.timeline.iter().any(|t| t.kind == "paused" && t.data["why"] == "bounced twice: the mailbox is full"),
        "the prospect's timeline says why: {}",
        json(&p.timeline)
    );
    assert_eq!(send_of(&tomorrow, touch).state, "sent", "not queued a third time");
    assert_eq!(sync(&r.rt, &tomorrow).sent, 0);
}

#[test]
fn refusals_of_the_reps_sending_raise_the_alarm_hold_the_emails_and_pause_sending_at_three() {
    // The submission port refuses this sender (tests/mail-server/etc/postfix/sender_access):
    // 554 5.7.1 <refused@example.test>: Sender address rejected: Access denied.
    let r = rep("refused@example.test");
    let ws = r.ws();
    let t = tag("refused");
    let who: Vec<String> = (0..4).map(|i| format!("prospect+{t}-{i}@example.test")).collect();
    r.enroll(&who);

    // The first refusal: the alarm is up, the prospect is not to blame, the email waits.
    let first = approve(ws, &who[0]);
    let s = sync(&r.rt, ws);
    assert_eq!((s.sent, s.failed), (0, 1), "refused at SMTP time");
    let d = ws.deliverability().unwrap();
    let alarm = d.alarm.clone().expect("the alarm is up");
    assert_eq!((alarm.reason.as_str(), alarm.label.as_str()), ("policy", "refused by the receiver's policy"));
    assert!(!alarm.advice.is_empty());
    assert!(alarm.said.contains("Sender address rejected: Access denied"), "what Postfix said: {}", alarm.said);
    assert_eq!(alarm.unseen, 1);
    assert_eq!((d.last_day, d.threshold, d.paused_at.is_none()), (1, 3, true), "{d:?}");
    assert_eq!(d.mailbox, "refused@example.test");
    let p0 = ws.prospect(&who[0]).unwrap().prospect.id;
    assert_eq!(
        (d.refusals[0].source.as_str(), d.refusals[0].status.as_deref(), d.refusals[0].prospect_id),
        ("smtp", Some("5.7.1"), Some(p0))
    );
    assert_eq!(enrollment(ws, &who[0]), ("active", None));
    assert_eq!(email_status(ws, &who[0]), "ok");
    let s0 = send_of(ws, first);
    assert_eq!(s0.state, "held");
    assert!(s0.reason.as_deref().is_some_and(|w| w.contains("the receiver refused your sending")), "{}", json(&s0));
    assert!(r.h.changed().iter().any(|c| c == "settings"), "the window is told to refresh the alarm");

    // The second and third, within the day: sending pauses.
    let mut touches = vec![first];
    for w in &who[1..3] {
        touches.push(approve(ws, w));
        let s = sync(&r.rt, ws);
        assert_eq!((s.sent, s.failed), (0, 1));
    }
    let d = ws.deliverability().unwrap();
    assert_eq!((d.last_day, d.refusals.len()), (3, 3));
    assert!(d.paused_at.is_some(), "three refusals in a day pause sending: {d:?}");
    assert!(d.paused_why.as_deref().is_some_and(|w| w.starts_with("3 receivers refused your sending within a day")), "{d:?}");
    assert_eq!(d.alarm.as_ref().map(|a| a.unseen), Some(3));

    // Paused: an email approved now is not even tried.
    let fourth = approve(ws, &who[3]);
    let s = sync(&r.rt, ws);
    assert_eq!((s.sent, s.failed), (0, 0), "nothing is attempted while paused");
    let s3 = send_of(ws, fourth);
    assert_eq!((s3.state.as_str(), s3.attempts), ("queued", 0));
    assert_eq!(ws.deliverability().unwrap().refusals.len(), 3);
    for (w, &t) in who.iter().zip(&touches) {
        assert_eq!(enrollment(ws, w), ("active", None), "{w} stays in the sequence");
        assert_eq!(email_status(ws, w), "ok");
        assert_eq!(send_of(ws, t).state, "held");
    }

    // The rep looked into it and resumes: the alarm goes down, the emails that waited are queued again.
    let d = ws.resume_sending().unwrap();
    assert!(d.paused_at.is_none() && d.alarm.is_none(), "{d:?}");
    for &t in &touches {
        assert_eq!(send_of(ws, t).state, "queued");
    }
    // With a sender the server takes, all four go.
    ws.set_mailbox("address", "rep@example.test").unwrap();
    let s = sync(&r.rt, ws);
    assert_eq!((s.sent, s.failed), (4, 0));
    for w in &who {
        assert_eq!(enrollment(ws, w), ("active", None));
    }
}

/// Turns Sieve's vacation on for prospect@example.test (prospect+…@ too),
/// forgetting whom it answered; off again when the test ends, pass or fail.
struct Vacation;

impl Vacation {
    fn on(body: Option<&str>) -> Vacation {
        mail_server(&["vacation", "reset"], None);
        mail_server(&["vacation", "on"], body);
        Vacation
    }
}

impl Drop for Vacation {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/mail-server")).args(["vacation", "off"]).status();
    }
}

fn mail_server(args: &[&str], body: Option<&str>) {
    let mut c = Command::new(repo().join("scripts/mail-server"));
    c.args(args).env_remove("VACATION_BODY");
    if let Some(b) = body {
        c.env("VACATION_BODY", b);
    }
    assert!(c.status().unwrap().success(), "scripts/mail-server {args:?}");
}

/// The email to `who` as it landed in prospect's mailbox.
fn delivered(who: &str) -> String {
    let dir = repo().join("target/mail-server/mail/example.test/prospect/Maildir");
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        for sub in ["new", "cur"] {
            for f in std::fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
                let text = String::from_utf8_lossy(&std::fs::read(f.path()).unwrap_or_default()).to_string();
                if text.contains(&format!("To: {who}")) || text.contains(&format!("<{who}>")) {
                    return text;
                }
            }
        }
        assert!(Instant::now() < until, "no email to {who} in {}", dir.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn has_header(msg: &str, name: &str) -> bool {
    let head = msg.replace("\r\n", "\n");
    let head = head.split("\n\n").next().unwrap_or("");
    head.lines().any(|l| l.split_once(':').is_some_and(|(k, _)| k.eq_ignore_ascii_case(name)))
}

/// The names of the List-* headers (RFC 2369, 2919) a message carries.
fn list_headers(msg: &str) -> Vec<String> {
    let head = msg.replace("\r\n", "\n");
    let head = head.split("\n\n").next().unwrap_or("").to_string();
    head.lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.to_string()))
        .filter(|k| k.to_ascii_lowercase().starts_with("list-"))
        .collect()
}

fn month(d: NaiveDate) -> &'static str {
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        [d.month0() as usize]
}

#[test]
fn an_out_of_office_from_sieve_pauses_the_prospect_until_the_return_date() {
    let back = (Utc::now() + chrono::Duration::days(10)).date_naive();
    let body = format!(
        "Thank you for your message. I am out of the office until {} {} {} with limited access to email.",
        back.day(),
        month(back),
        back.year()
    );
    let _vacation = Vacation::on(Some(&body));
    let r = rep("rep@example.test");
    let ws = r.ws();
    let who = format!("prospect+{}@example.test", tag("ooo"));
    r.enroll(std::slice::from_ref(&who));
    let touch = approve(ws, &who);
    assert_eq!(sync(&r.rt, ws).sent, 1);
    // List-Unsubscribe is off by default: the email carries no List-* header, so vacation answers it.
    let mail = delivered(&who);
    assert_eq!(list_headers(&mail), Vec::<String>::new(), "{mail}");

    let m = read_until(&r.rt, ws, "out-of-office", |m| m.kind == "auto_reply" && m.prospect_email.as_deref() == Some(who.as_str()));
    assert_eq!(m.touch_id, Some(touch), "matched to the email it answers");
    assert_eq!(m.return_date.as_deref(), Some(back.to_string().as_str()));
    let until: NaiveDate = m
        .action
        .strip_prefix("paused 1 sequence until ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("{}", m.action));
    assert!(m.action.ends_with("(back)"), "{}", m.action);
    assert!(until > back && until <= back + chrono::Duration::days(7), "resumes after the return date: {until}");
    assert_eq!(enrollment(ws, &who), ("paused", None));

    // The day it resumes, the sequence goes on by itself.
    let then = r.at(until.and_hms_opt(1, 0, 0).unwrap().and_utc());
    sync(&r.rt, &then);
    assert_eq!(enrollment(&then, &who), ("active", None));
}

#[test]
fn with_list_unsubscribe_on_sieve_vacation_does_not_answer() {
    let _vacation = Vacation::on(None);
    let r = rep("rep@example.test");
    let ws = r.ws();
    ws.set_mailbox("list_unsubscribe", "yes").unwrap();
    let who = format!("prospect+{}@example.test", tag("list"));
    r.enroll(std::slice::from_ref(&who));
    let touch = approve(ws, &who);
    assert_eq!(sync(&r.rt, ws).sent, 1);
    let mail = delivered(&who);
    assert!(has_header(&mail, "List-Unsubscribe"), "{mail}");
    let id = send_of(ws, touch).message_id.unwrap();

    // Ten seconds of passes: no out-of-office comes back.
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        sync(&r.rt, ws);
        std::thread::sleep(Duration::from_millis(500));
    }
    let about: Vec<InboundDto> = ws.inbox(200).unwrap().into_iter().filter(|m| m.prospect_email.as_deref() == Some(who.as_str())).collect();
    assert!(about.is_empty(), "nothing came back: {about:?}");
    assert_eq!(enrollment(ws, &who), ("active", None));
    // Sieve ran, and held back its answer for the list header (not for any other reason).
    let log = std::fs::read_to_string(repo().join("target/mail-server/log/dovecot.log")).unwrap();
    assert!(
        log.contains(&format!("msgid=<{id}>: vacation action: discarding vacation response to mailinglist recipient")),
        "Dovecot's log says why vacation did not answer {id}"
    );
}
