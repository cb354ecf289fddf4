//! The mailbox as the desktop runs it, against the real Postfix and Dovecot
//! on loopback (`scripts/mail-server start`) and the real OS keyring: the
//! password saved through the layer, the mail loops started on a runtime,
//! an approval that goes out, the status events the nav shows (with the
//! kind of failure), and the connection test. Runs in the `mail-servers`
//! test group (one at a time: the servers and the keyring entry are shared).

mod common;

use common::live::{reply, use_test_servers, wait_for, Seen};
use common::Host;
use dto::{OutcomeInput, PasswordInput, SendsKind};
use workspace::{Event, PathImport};

#[test]
fn the_mail_loops_send_report_and_keep_the_kind_of_failure() {
    // The loops retry within a second, so a fixed mailbox reconnects fast.
    std::env::set_var("CADENCE_MAIL_BACKOFF_S", "1");
    let h = Host::new(None);
    let ws = &h.ws;
    for (k, v) in
        [("working_days", "mon,tue,wed,thu,fri,sat,sun"), ("hours", "00:00-23:59"), ("sender_name", "Alex Rivera"), ("timezone", "UTC")]
    {
        ws.set_setting(k, v).unwrap();
    }
    use_test_servers(ws, "rep@example.test");
    let (m, saved) = ws.save_password(&PasswordInput::new("rep-secret".into())).unwrap();
    assert!(m.has_password && m.configured, "the window sees a password is saved, never the password");
    assert!(!saved.keyring.is_empty());
    assert!(!std::fs::read(h.db()).unwrap().windows(10).any(|w| w == b"rep-secret"), "the password is not in the database");

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    ws.start_mail(rt.handle());
    let mut seen = Seen::default();
    wait_for(&h, "online status", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.state == "online"));

    // An approval goes out from the rep's mailbox, once.
    let seq = h.file("all-day.toml", include_str!("../../mail/tests/fixtures/all-day.toml"));
    ws.add_sequence(&seq).unwrap();
    let who = format!("prospect+host{}-0@example.test", std::process::id());
    let csv = h.file("one.csv", &format!("email,first_name,company,timezone\n{who},Pat,Harbor Labs,UTC\n"));
    let id = ws.import_path(&csv, &PathImport { enroll: Some("all-day"), ..Default::default() }, &mut |_, _| {}).unwrap();
    assert_eq!(id.enrollment.unwrap().enrolled, 1);
    let touch = ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == who).unwrap();
    ws.complete(touch.touch_id, OutcomeInput::Approve { subject: None, body: None }).unwrap();
    wait_for(&h, "the email sent", &mut seen, |e| matches!(e, Event::MailSent(n) if *n >= 1));
    let sent = ws.sends(SendsKind::Sent).unwrap();
    assert_eq!(sent.iter().filter(|s| s.email == who).count(), 1);

    // The prospect answers: the reply is read, the sequence stops, the
    // window hears of it and the tray's count follows.
    let message_id = sent.iter().find(|s| s.email == who).and_then(|s| s.message_id.clone()).unwrap();
    reply(&rt, &who, &message_id, "Thanks, happy to talk next week.");
    wait_for(
        &h,
        "the reply read",
        &mut seen,
        |e| matches!(e, Event::MailReceived(m) if m.kind == "reply" && m.from.as_deref() == Some(who.as_str())),
    );
    wait_for(&h, "the tray's count after the reply", &mut seen, |e| matches!(e, Event::Due(_)));
    let p = ws.prospect(&who).unwrap();
    assert_eq!((p.enrollments[0].state, p.enrollments[0].exit_reason), ("exited", Some("replied")), "the reply stopped the sequence");
    assert!(ws.recent_inbox().unwrap().iter().any(|m| m.kind == "reply" && m.prospect_email.as_deref() == Some(who.as_str())));

    // "Test connection" logs in to both with the saved password.
    let t = rt.block_on(ws.test_mailbox()).unwrap();
    assert!(t.smtp_ok && t.imap_ok, "{} / {}", t.smtp, t.imap);
    assert_eq!((t.smtp_code, t.imap_code), (None, None));

    // Another port: the password saved for the old one is not handed over
    // (issue 12: the keyring entry is bound to where it is used).
    ws.set_mailbox("imap_port", "1").unwrap();
    assert!(!ws.mailbox().unwrap().has_password, "no password for the new server");
    wait_for(
        &h,
        "the password asked for again",
        &mut seen,
        |e| matches!(e, Event::MailboxStatus(s) if s.code == Some("mailbox_not_set_up")),
    );
    // A server that cannot be reached: the nav says offline, and why, by kind.
    ws.save_password(&PasswordInput::new("rep-secret".into())).unwrap();
    wait_for(
        &h,
        "an unreachable status",
        &mut seen,
        |e| matches!(e, Event::MailboxStatus(s) if s.state == "offline" && s.code == Some("mailbox_unreachable")),
    );
    let st = ws.mailbox_status();
    assert!(st.retry_at.is_some() && st.message.as_deref().is_some_and(|m| m.contains("127.0.0.1")), "{st:?}");
    ws.set_mailbox("imap_port", "1993").unwrap();
    wait_for(&h, "online again", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.state == "online"));

    // A wrong password: the login is refused, told apart from being offline.
    ws.save_password(&PasswordInput::new("not-the-password".into())).unwrap();
    let t = rt.block_on(ws.test_mailbox()).unwrap();
    assert!(!t.smtp_ok && t.smtp.contains("refused the user name or password"), "{}", t.smtp);
    assert_eq!((t.smtp_code, t.imap_code), (Some("mailbox_auth"), Some("mailbox_auth")), "each server's failure keeps its kind");
    assert!(!t.smtp.contains("not-the-password") && !t.imap.contains("not-the-password"));
    wait_for(&h, "a refused login", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.code == Some("mailbox_auth")));
    ws.save_password(&PasswordInput::new("rep-secret".into())).unwrap();
    wait_for(&h, "online with the right password", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.state == "online"));

    // One pass on demand reads what came in and sends what is due.
    let pass = rt.block_on(ws.sync()).unwrap();
    assert_eq!(pass.failed, 0);
    ws.stop_mail();
}
