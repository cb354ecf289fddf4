//! What Cadence does with each kind of bounce, complaint and "left the
//! company" reply, through the façade on a real database file: messages are
//! written as mail systems send them, classified by the real classifier and
//! taken in as the watcher would.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::{Handled, Incoming, NextSend, Outcome, QueueOptions, Selection, SendState, Span};
use engine::domain::{Channel, EnrollmentState, ExitReason};
use engine::mail::{classify, Reason};

const SEQ: &str = "cold-outbound-21d";

/// After the three emails went (each in its prospect's morning window on Tuesday).
fn wednesday() -> DateTime<Utc> {
    utc("2026-11-25T06:00:00Z")
}

/// Lucía, Jonas and Dana enrolled, their first emails approved and sent on
/// Tuesday. Returns the world and (email, touch, Message-ID) of each.
fn sent() -> (World, Vec<(String, i64, String)>) {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let ids: Vec<i64> =
        ["lucia@nubaria.es", "jonas@kranich.de", "dana@lumenfield.com"].iter().map(|e| w.engine.find_prospect(e).unwrap().id).collect();
    w.engine.enroll(&Selection::Prospects(ids), SEQ, false, now).unwrap();
    for (k, v) in [
        ("address", "alex@northwind.example"),
        ("smtp_host", "smtp.northwind.example"),
        ("imap_host", "imap.northwind.example"),
        ("daily_cap", "100"),
        ("spacing_s", "0"),
    ] {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let mut out = Vec::new();
    let mut t = utc("2026-11-24T06:00:00Z");
    while t < wednesday() {
        // The rep approves each first email when it is in the day's queue.
        let q = w.engine.queue(t, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
        for item in q.items.iter().filter(|i| i.step == 0) {
            w.engine.complete(item.touch_id, Outcome::Approve { subject: None, body: None }, t).unwrap();
        }
        while let NextSend::Send(o) = w.engine.next_send(t).unwrap() {
            w.engine.send_succeeded(o.touch_id, t).unwrap();
            out.push((o.to.clone(), o.touch_id, o.message_id.clone()));
        }
        t += Duration::minutes(15);
    }
    assert_eq!(out.len(), 3, "three emails went");
    (w, out)
}

static SEQ_NO: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A Postfix-style delivery report about `original` to `rcpt`.
fn report(rcpt: &str, status: &str, diagnostic: &str, original: &str) -> Vec<u8> {
    format!(
        "From: MAILER-DAEMON@smtp.northwind.example (Mail Delivery System)\r\n\
         To: alex@northwind.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <dsn.{}.{}@smtp.northwind.example>\r\nDate: Wed, 25 Nov 2026 09:00:00 +0000\r\n\
         Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host smtp.northwind.example.\r\n\r\n\
         I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n\
         --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; smtp.northwind.example\r\n\r\n\
         Final-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n\r\n\
         --b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Alex <alex@northwind.example>\r\nTo: {rcpt}\r\n\
         Message-ID: <{original}>\r\nSubject: hello\r\n\r\n--b--\r\n",
        original,
        SEQ_NO.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
    .into_bytes()
}

fn take(w: &mut World, raw: &[u8], uid: u32, at: DateTime<Utc>) -> engine::api::InboundRecord {
    let c = classify(raw, None, at.date_naive());
    let m = Incoming { folder: "INBOX", uidvalidity: 1, uid, received_at: at, classified: &c };
    match w.engine.take_inbound(m, at).unwrap() {
        Handled::Recorded(r) => r,
        other => panic!("not recorded: {other:?}"),
    }
}

fn send_state(w: &World, touch: i64) -> SendState {
    w.engine.sends(SendState::ALL, None, 100).unwrap().into_iter().find(|(s, _, _)| s.touch_id == touch).unwrap().0.state
}

fn enrollment(w: &World, email: &str) -> EnrollmentState {
    let p = w.engine.find_prospect(email).unwrap().id;
    w.engine.enrollments_of(p).unwrap().remove(0).state
}

fn email_status(w: &World, email: &str) -> String {
    let p = w.engine.find_prospect(email).unwrap().id;
    engine::testing::email_status(w.engine.connection(), p).unwrap()
}

#[test]
fn refusals_of_the_reps_sending_keep_the_prospect_raise_the_alarm_and_pause_sending_at_three() {
    let (mut w, sent) = sent();
    let at = wednesday() + Duration::hours(1);
    let diagnostic = "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org";
    for (i, (email, touch, id)) in sent.iter().enumerate() {
        let r = take(&mut w, &report(email, "5.7.1", diagnostic, id), i as u32 + 1, at + Duration::minutes(i as i64));
        assert_eq!(r.kind, "bounce");
        assert_eq!(r.detail["bounce"]["reason"], "reputation", "{}", r.action);
        assert_eq!(r.detail["bounce"]["fault"], "sender");
        assert!(r.action.contains("stays in the sequence"), "{}", r.action);
        assert_eq!(enrollment(&w, email), EnrollmentState::Active, "the prospect is not to blame");
        assert_eq!(email_status(&w, email), "ok");
        assert_eq!(send_state(&w, *touch), SendState::Held, "the email waits");
        let d = w.engine.deliverability(at + Duration::minutes(i as i64)).unwrap();
        let alarm = d.alarm.expect("the alarm is up");
        assert_eq!(alarm.reason, Reason::Reputation);
        assert!(alarm.said.contains("zen.spamhaus.org"), "{}", alarm.said);
        assert_eq!(alarm.unseen, i as u32 + 1);
        assert_eq!(d.paused.is_some(), i == 2, "sending pauses at the third refusal in a day, not before");
    }
    assert!(w.engine.sending_paused().unwrap().is_some());
    // Paused: even an email due now does not go.
    let later = at + Duration::hours(1);
    assert!(matches!(w.engine.next_send(later).unwrap(), NextSend::Idle));
    assert!(!w.engine.send_waiting(later).unwrap());
    // The rep resumes (in the very second of the last refusal): the alarm
    // is down and the held emails go again.
    let resumed = at + Duration::minutes(2);
    let d = w.engine.resume_sending(resumed).unwrap();
    assert!(d.paused.is_none() && d.alarm.is_none());
    assert_eq!(d.refusals.len(), 3, "the refusals stay on record");
    for (_, touch, _) in &sent {
        assert_eq!(send_state(&w, *touch), SendState::Queued);
    }
    assert_eq!(d.last_day, 0, "resuming starts the count again");
    // The cause is not fixed: new refusals come, even within the second of
    // resuming. Only as many new ones as the threshold pause sending again.
    for (i, (email, _, id)) in sent.iter().enumerate() {
        take(&mut w, &report(email, "5.7.1", diagnostic, id), 10 + i as u32, resumed);
        let d = w.engine.deliverability(resumed).unwrap();
        assert_eq!(d.last_day, i as u32 + 1);
        assert_eq!(d.alarm.expect("the alarm is up again").unseen, i as u32 + 1, "only the refusals since resuming are new");
        assert_eq!(d.paused.is_some(), i == 2, "the old refusals do not count twice");
        assert_eq!(d.refusals.len(), 4 + i, "every refusal stays on record");
    }
}

#[test]
fn a_refusal_at_sending_time_holds_the_email_and_counts_toward_the_alarm() {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![lucia]), SEQ, false, now).unwrap();
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    w.engine.complete(q.items[0].touch_id, Outcome::Approve { subject: None, body: None }, now).unwrap();
    for (k, v) in [("address", "alex@northwind.example"), ("smtp_host", "smtp.northwind.example"), ("imap_host", "imap.northwind.example")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let send_at = utc("2026-11-24T07:31:00Z");
    let NextSend::Send(o) = w.engine.next_send(send_at).unwrap() else { panic!("due") };
    // Our own server refuses the sender: not the prospect's fault.
    let answer = "554 5.7.1 <alex@northwind.example>: Sender address rejected: Access denied";
    assert_eq!(w.engine.send_failed(o.touch_id, answer, true, send_at).unwrap(), SendState::Held);
    let d = w.engine.deliverability(send_at).unwrap();
    assert_eq!(d.alarm.unwrap().reason, Reason::Policy);
    assert_eq!(d.refusals[0].source, "smtp");
    assert_eq!(email_status(&w, &o.to), "ok");
    assert_eq!(enrollment(&w, &o.to), EnrollmentState::Active);
    // A refusal of the recipient is still the email's own failure.
    assert_eq!(engine::mail::refusal_reason("550 5.1.1 <x@y.example>: Recipient address rejected: User unknown").0, Reason::UserUnknown);
}

#[test]
fn a_full_mailbox_is_tried_again_once_then_the_enrollment_pauses_with_the_reason() {
    let (mut w, sent) = sent();
    let (email, touch, id) = sent[0].clone();
    let at = wednesday() + Duration::hours(1);
    let r = take(&mut w, &report(&email, "5.2.2", "552 5.2.2 <x>: Mailbox full: quota exceeded", &id), 1, at);
    assert_eq!(r.detail["bounce"]["reason"], "mailbox_full");
    assert_eq!(send_state(&w, touch), SendState::Queued, "tried again");
    assert_eq!(enrollment(&w, &email), EnrollmentState::Active);
    // It goes a day later and bounces again.
    let mut next = at + Duration::days(1);
    let mut went = false;
    while !went && next < at + Duration::days(4) {
        while let NextSend::Send(o) = w.engine.next_send(next).unwrap() {
            w.engine.send_succeeded(o.touch_id, next).unwrap();
            went |= o.touch_id == touch;
        }
        next += Duration::minutes(15);
    }
    assert!(went, "the retry went");
    let r = take(&mut w, &report(&email, "5.2.2", "552 5.2.2 <x>: Mailbox full: quota exceeded", &id), 2, next + Duration::hours(1));
    assert!(r.action.contains("paused") && r.action.contains("mailbox is full"), "{}", r.action);
    assert_eq!(enrollment(&w, &email), EnrollmentState::Paused);
    let p = w.engine.find_prospect(&email).unwrap().id;
    let paused = w.engine.timeline(p).unwrap().into_iter().rev().find(|t| t.kind == engine::api::ActivityKind::Paused.as_str()).unwrap();
    assert_eq!(paused.data["why"], "bounced twice: the mailbox is full");
}

#[test]
fn a_delay_notice_changes_nothing() {
    let (mut w, sent) = sent();
    let (email, touch, id) = sent[0].clone();
    let raw = String::from_utf8(report(&email, "4.4.1", "connect to mx.nubaria.es: Connection timed out", &id))
        .unwrap()
        .replace("Action: failed", "Action: delayed");
    let r = take(&mut w, raw.as_bytes(), 1, wednesday() + Duration::hours(4));
    assert_eq!(r.kind, "notice");
    assert!(r.action.starts_with("nothing to do yet"), "{}", r.action);
    assert_eq!(enrollment(&w, &email), EnrollmentState::Active);
    assert_eq!(send_state(&w, touch), SendState::Sent);
    assert_eq!(email_status(&w, &email), "ok");
}

#[test]
fn a_spam_complaint_unsubscribes_adds_to_do_not_contact_and_counts_as_a_complaint() {
    let (mut w, sent) = sent();
    let (email, _, id) = sent[1].clone();
    let raw = format!(
        "From: feedback@fbl.example.net\r\nTo: alex@northwind.example\r\nSubject: Complaint\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\r\n\r\n\
         --f\r\nContent-Type: text/plain\r\n\r\nA user marked this message as spam.\r\n\
         --f\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: FBL/1.0\r\nVersion: 1\r\n\r\n\
         --f\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: alex@northwind.example\r\nTo: {email}\r\nMessage-ID: <{id}>\r\n\r\n--f--\r\n"
    );
    let r = take(&mut w, raw.as_bytes(), 1, wednesday() + Duration::hours(2));
    assert_eq!(r.kind, "complaint");
    assert_eq!(r.prospect_email.as_deref(), Some(email.as_str()));
    assert_eq!(enrollment(&w, &email), EnrollmentState::Exited);
    assert!(engine::testing::do_not_contact(w.engine.connection()).unwrap().contains(&email));
    let res = w.engine.results(SEQ, Span { from: None, to: None }, wednesday() + Duration::days(1)).unwrap();
    assert_eq!(res.figures.complaints, 1);
    assert_eq!(res.figures.unsubscribes, 0, "counted as a complaint, not twice");
}

#[test]
fn left_the_company_ends_the_sequence_and_offers_the_successor_with_one_call() {
    let (mut w, sent) = sent();
    let (email, _, id) = sent[0].clone();
    let raw = format!(
        "From: {email}\r\nTo: alex@northwind.example\r\nSubject: Automatic reply: hello\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\
         In-Reply-To: <{id}>\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Thank you for your email. I have left Nubaria.\r\nPlease contact Marta Ruiz (marta.ruiz@nubaria.es) from now on.\r\n"
    );
    let r = take(&mut w, raw.as_bytes(), 1, wednesday() + Duration::hours(2));
    assert_eq!(r.kind, "left_company");
    assert_eq!(r.detail["referral"]["email"], "marta.ruiz@nubaria.es");
    let p = w.engine.find_prospect(&email).unwrap().id;
    let e = w.engine.enrollments_of(p).unwrap().remove(0);
    assert_eq!((e.state, e.exit_reason), (EnrollmentState::Exited, Some(ExitReason::LeftCompany)));
    assert_eq!(email_status(&w, &email), "left");
    let marta = w.engine.add_referral(r.id, wednesday() + Duration::hours(3)).unwrap();
    assert_eq!(marta.email, "marta.ruiz@nubaria.es");
    assert_eq!((marta.first_name.as_deref(), marta.last_name.as_deref()), (Some("Marta"), Some("Ruiz")));
    assert_eq!(marta.company.as_deref(), Some("Nubaria"));
    assert!(marta.tags.contains(&"referral".to_string()));
    assert!(marta.extra["referred_by"].contains("VP RevOps"), "{:?}", marta.extra);
    let timeline = w.engine.timeline(marta.id).unwrap();
    assert!(timeline.iter().any(|t| t.kind == engine::api::ActivityKind::ReferralAdded.as_str()));
    let again = w.engine.add_referral(r.id, wednesday() + Duration::hours(3)).unwrap_err();
    assert!(again.to_string().contains("already a prospect"), "{again}");
    // A correction puts the departed prospect back.
    w.engine.correct_inbound(r.id, "other", wednesday() + Duration::hours(4)).unwrap();
    assert_eq!(email_status(&w, &email), "ok");
}

/// A bounce put the email back in the outbox (a retry for a full mailbox, a
/// hold for a refused sender); the rep says it was no bounce: the email went,
/// so it must not go a second time, and the refusal leaves the count.
#[test]
fn correcting_a_bounce_that_put_the_email_back_does_not_send_it_twice() {
    let (mut w, sent) = sent();
    let at = wednesday() + Duration::hours(1);
    let (full, full_touch, full_id) = sent[0].clone();
    let soft = take(&mut w, &report(&full, "5.2.2", "552 5.2.2 Mailbox full", &full_id), 1, at);
    assert_eq!(send_state(&w, full_touch), SendState::Queued, "the retry waits in the outbox");
    let (refused, refused_touch, refused_id) = sent[1].clone();
    let diagnostic = "550 5.7.1 Message rejected due to local policy";
    let hard = take(&mut w, &report(&refused, "5.7.1", diagnostic, &refused_id), 2, at);
    assert_eq!(send_state(&w, refused_touch), SendState::Held, "the email waits for the rep");
    assert_eq!(w.engine.deliverability(at).unwrap().refusals.len(), 1);

    let fix = at + Duration::minutes(5);
    w.engine.correct_inbound(soft.id, "other", fix).unwrap();
    w.engine.correct_inbound(hard.id, "other", fix).unwrap();
    for touch in [full_touch, refused_touch] {
        assert_eq!(send_state(&w, touch), SendState::Sent, "it went after all");
    }
    assert_eq!(email_status(&w, &full), "ok");
    let d = w.engine.deliverability(fix).unwrap();
    assert!(d.refusals.is_empty() && d.alarm.is_none(), "the refusal is withdrawn: {d:?}");
    // Days on, nothing of theirs goes again (only later steps may).
    let mut t = fix;
    while t < fix + Duration::days(2) {
        while let NextSend::Send(o) = w.engine.next_send(t).unwrap() {
            assert!(o.touch_id != full_touch && o.touch_id != refused_touch, "sent twice: {}", o.touch_id);
            w.engine.send_succeeded(o.touch_id, t).unwrap();
        }
        t += Duration::minutes(30);
    }
}
