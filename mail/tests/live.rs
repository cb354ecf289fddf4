//! Sending and reading against the real Postfix and Dovecot on loopback.

mod common;

use chrono::Duration;
use common::*;
use engine::api::SendState;
use engine::domain::EnrollmentState;

fn enrollment_state(live: &Live, i: usize) -> (EnrollmentState, Option<String>) {
    let email = live.address(i);
    live.with(|e| {
        let p = e.find_prospect(&email).unwrap();
        let en = e.enrollments_of(p.id).unwrap().remove(0);
        (en.state, en.exit_reason.map(|r| r.as_str().to_string()))
    })
}

#[tokio::test]
async fn follow_up_goes_in_the_same_thread_with_the_headers_a_client_expects() {
    let live = Live::new("thread");
    live.add_all_day_sequence();
    live.enroll(1, "all-day");
    assert_eq!(live.approve_emails().len(), 1);
    let pass = live.send().await;
    assert_eq!(pass.sent, 1);
    live.advance(Duration::days(1));
    assert_eq!(live.approve_emails().len(), 1, "the follow-up is due a day later");
    assert_eq!(live.send().await.sent, 1);
    eventually(10, "both emails delivered", || live.delivered().len() == 2).await;

    let mut got = live.delivered();
    got.sort_by_key(|m| header(m, "Subject").unwrap_or_default().len());
    let (first, second) = (&got[0], &got[1]);
    let first_id = header(first, "Message-ID").unwrap();
    assert!(first_id.starts_with('<') && first_id.ends_with("@example.test>"), "{first_id}");
    assert_eq!(header(second, "Subject").unwrap(), format!("Re: {}", header(first, "Subject").unwrap()));
    assert_eq!(header(second, "In-Reply-To").unwrap(), first_id);
    assert_eq!(header(second, "References").unwrap(), first_id);
    assert_eq!(header(second, "From"), header(first, "From"));
    for m in [first, second] {
        assert!(header(m, "Content-Type").unwrap().starts_with("multipart/alternative"), "text and HTML");
        // The mailbox's List-Unsubscribe rule is off by default (auto-replies must arrive).
        assert_eq!(header(m, "List-Unsubscribe"), None, "no List-Unsubscribe header by default");
        assert!(header(m, "Date").is_some());
        assert!(
            m.contains("won't follow up again") || m.contains("won=E2=80=99t follow up again") || m.contains("just reply"),
            "the opt-out line is in the text"
        );
        assert!(!m.to_lowercase().contains("<img"), "no tracking pixel");
    }
    // Cadence's own copies end up in Sent, read; none is left in the INBOX.
    live.read().await;
    let sent = live.rep_mail(".Sent");
    assert_eq!(sent.len(), 2, "a copy of each in Sent");
    assert!(sent.iter().all(|(_, seen)| *seen));
    assert!(live.rep_mail("").is_empty(), "no copy left in the INBOX");
}

#[tokio::test]
async fn a_reply_stops_the_sequence_and_cancels_what_was_not_sent() {
    let live = Live::new("reply");
    live.add_all_day_sequence();
    live.enroll(2, "all-day");
    live.approve_emails();
    assert_eq!(live.send().await.sent, 2);
    eventually(10, "delivered", || live.delivered().len() == 2).await;
    let first_id = header(&live.delivered()[0], "Message-ID").unwrap();
    let to = header(&live.delivered()[0], "To").unwrap();
    let who = if to.contains(&live.address(0)) { 0 } else { 1 };
    // The follow-up for both is approved, but not yet sent when the reply lands.
    live.advance(Duration::days(1));
    assert_eq!(live.approve_emails().len(), 2);
    deliver(
        &live.address(who),
        "Re: A question",
        "Happy to talk. Thursday works.\n\n> Hi,\n> Reply \"no thanks\" and I won't follow up again.",
        Some(&first_id),
    )
    .await;
    let synced = wait_for_record(&live).await;
    assert_eq!(synced.kind, "reply");
    assert!(synced.action.starts_with("stopped 1 sequence"), "{}", synced.action);
    assert_eq!(enrollment_state(&live, who), (EnrollmentState::Exited, Some("replied".into())));
    // Only the other prospect's follow-up goes.
    let pass = live.send().await;
    assert_eq!(pass.sent, 1);
    let cancelled = live.with(|e| e.sends(&[SendState::Cancelled], None, 10).unwrap());
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].1, live.address(who));
    // The reply is still unread for the rep.
    let inbox = live.rep_mail("");
    assert!(inbox.iter().any(|(m, seen)| m.contains("Thursday works") && !seen), "reading must not mark mail read");
}

async fn wait_for_record(live: &Live) -> engine::api::InboundRecord {
    for _ in 0..50 {
        let s = live.read().await;
        if let Some(r) = s.recorded.into_iter().next() {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no message was recorded");
}

#[tokio::test]
async fn mail_from_the_prospect_holds_a_send_that_has_not_gone_yet() {
    let live = Live::new("hold");
    live.add_all_day_sequence();
    live.enroll(1, "all-day");
    live.approve_emails();
    live.advance(Duration::minutes(5));
    // The prospect writes on their own (no thread) before the approved email goes.
    deliver(&live.address(0), "Saw your site", "Could you send me pricing?", None).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pass = live.send().await;
    assert_eq!(pass.sent, 0, "nothing goes to someone who just wrote");
    assert_eq!(pass.held, 1);
    assert_eq!(pass.synced.recorded.len(), 1, "their message is read and acted on at once");
    assert_eq!(enrollment_state(&live, 0).0, EnrollmentState::Exited);
    assert!(live.delivered().is_empty());
}

#[tokio::test]
async fn an_unknown_user_bounces_hard_and_the_address_is_marked_invalid() {
    let live = Live::new("bounce");
    live.add_all_day_sequence();
    let now = live.now();
    // No such user (prospect+… would land in prospect's mailbox).
    let nobody = format!("nobody+{}@example.test", live.tag);
    live.with(|e| {
        let csv = format!("email,first_name,company,timezone\n{nobody},Nemo,Nowhere,UTC\n");
        e.import_csv("b.csv", csv.as_bytes(), &engine::api::ImportOptions::default(), now).unwrap();
        e.enroll(&engine::api::Selection::All, "all-day", false, now).unwrap();
    });
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1, "Postfix accepts it, then bounces it");
    let mut record = None;
    for _ in 0..60 {
        let s = live.read().await;
        if let Some(r) = s.recorded.into_iter().find(|r| r.kind == "bounce") {
            record = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let r = record.expect("the delivery report arrived and was classified");
    assert_eq!(r.detail["bounce"]["hard"], true);
    assert_eq!(r.detail["bounce"]["status"].as_str().unwrap_or(""), "5.1.1");
    assert!(r.touch_id.is_some(), "matched to the email that bounced by its Message-ID");
    live.with(|e| {
        let p = e.find_prospect(&nobody).unwrap();
        let en = e.enrollments_of(p.id).unwrap().remove(0);
        assert_eq!(en.exit_reason.map(|r| r.as_str()), Some("bounced"));
        assert_eq!(engine::testing::email_status(e.connection(), p.id).unwrap(), "invalid");
    });
}

#[tokio::test]
async fn an_unsubscribe_request_ends_everything_and_adds_do_not_contact() {
    let live = Live::new("unsub");
    live.add_all_day_sequence();
    live.enroll(1, "all-day");
    live.approve_emails();
    live.send().await;
    eventually(10, "delivered", || live.delivered().len() == 1).await;
    let id = header(&live.delivered()[0], "Message-ID").unwrap();
    deliver(&live.address(0), "Re: A question", "Please remove me from your list.", Some(&id)).await;
    let r = wait_for_record(&live).await;
    assert_eq!(r.kind, "unsubscribe");
    assert_eq!(enrollment_state(&live, 0), (EnrollmentState::Exited, Some("unsubscribed".into())));
    let dnc = live.with(|e| engine::testing::do_not_contact(e.connection()).unwrap());
    assert!(dnc.contains(&live.address(0)));
    // The rep says it was a plain reply: the do-not-contact entry goes, the exit stays (as a reply).
    let now = live.now();
    let fixed = live.with(|e| e.correct_inbound(r.id, "reply", now).unwrap());
    assert!(fixed.corrected && fixed.kind == "reply");
    let dnc = live.with(|e| engine::testing::do_not_contact(e.connection()).unwrap());
    assert!(!dnc.contains(&live.address(0)));
    assert_eq!(enrollment_state(&live, 0), (EnrollmentState::Exited, Some("replied".into())));
}

#[tokio::test]
async fn a_wrong_password_is_named_plainly_and_nothing_is_lost() {
    let live = Live::new("wrongpw");
    live.add_all_day_sequence();
    live.enroll(1, "all-day");
    live.approve_emails();
    let m = live.with(|e| e.mailbox().unwrap());
    let wrong: mail::Credentials =
        std::sync::Arc::new(|_: &engine::mailbox::MailboxSettings| Ok(mail::Secret::Password("not-the-password".into())));
    let t = mail::runner::test_connection(&m, &wrong).await;
    let smtp = t.smtp.unwrap_err().to_string();
    let imap = t.imap.unwrap_err().to_string();
    for text in [&smtp, &imap] {
        assert!(text.contains("refused the user name or password"), "{text}");
        assert!(!text.contains("not-the-password"));
    }
    *live.password.lock().unwrap() = "not-the-password".into();
    let err = mail::sender::send_due(&live.engine, &live.clock, &live.credentials).await.unwrap_err();
    *live.password.lock().unwrap() = "rep-secret".into();
    assert_eq!(err.code().as_str(), "mailbox_auth", "a refused login keeps its kind");
    let queued = live.with(|e| e.sends(&[SendState::Queued], None, 10).unwrap());
    assert_eq!(queued.len(), 1, "the approved email waits, untouched: {err}");
    assert_eq!(queued[0].0.attempts, 0);
    assert_eq!(live.send().await.sent, 1);
}
