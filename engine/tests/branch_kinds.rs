//! Every kind of branch walked end to end on a real database file (issue
//! 17, item 1; the call outcomes are in branches.rs): a LinkedIn request
//! accepted (the rep marks it) or not after its wait, a reply tagged and kept
//! in the sequence, and `nothing`, the way on when nothing happened.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::{Handled, Incoming, NextSend, Outcome, QueueOptions, Selection, SendState, Span};
use engine::domain::{Channel, EnrollmentState};
use engine::sequence::parse_sequence;

const EVERY: &str = r#"name = "Every branch"
kind = "cold"

[[steps]]
label = "opener"
channel = "email"
delay = 0
subject = "Pipeline reviews at {{ company }}"
body = "Hi {{ first_name }},\n\nA short note about pipeline reviews.\n\n{{ sender_name }}\n\n{{ opt_out }}"
[steps.next]
neutral = "nurture"

[[steps]]
label = "connect"
channel = "linkedin_connect"
delay = 1
accept_within = 3
message = "Hi {{ first_name }}, glad to connect."
[steps.next]
accepted = "thanks for connecting"
not_accepted = "bump"

[[steps]]
label = "bump"
channel = "email"
delay = 2
thread = "reply"
body = "Hi {{ first_name }},\n\nBumping this up.\n\n{{ sender_name }}\n\n{{ opt_out }}"
[steps.next]
nothing = "call"

[[steps]]
label = "thanks for connecting"
channel = "linkedin_message"
delay = 0
message = "Thanks for connecting, {{ first_name }}."

[[steps]]
label = "call"
channel = "call"
delay = 2
script = "Ask about pipeline reviews."

[[steps]]
label = "breakup"
channel = "email"
delay = 3
thread = "reply"
breakup = true
body = "Hi {{ first_name }},\n\nClosing the loop.\n\n{{ sender_name }}\n\n{{ opt_out }}"
[steps.next]
always = "end"

[[steps]]
label = "nurture"
channel = "email"
delay = 20
thread = "reply"
body = "Hi {{ first_name }},\n\nYou said to come back later: here I am.\n\n{{ sender_name }}\n\n{{ opt_out }}"
"#;

struct Walk {
    w: World,
    now: DateTime<Utc>,
}

impl Walk {
    fn new() -> Walk {
        let now = utc("2026-11-23T15:00:00Z");
        let mut w = World::new(now);
        w.import(PEOPLE, now);
        w.engine.save_sequence_source("every-branch", EVERY, now).unwrap();
        for (k, v) in [
            ("address", "rep@northwind.test"),
            ("smtp_host", "127.0.0.1"),
            ("imap_host", "127.0.0.1"),
            ("spacing_s", "0"),
            ("jitter_pct", "0"),
        ] {
            w.engine.set_mailbox(k, v).unwrap();
        }
        Walk { w, now }
    }

    fn enroll(&mut self, email: &str) -> i64 {
        let p = self.w.engine.find_prospect(email).unwrap().id;
        self.w.engine.enroll(&Selection::Prospects(vec![p]), "every-branch", false, self.now).unwrap();
        p
    }

    /// The prospect's open touch: its id, step label and due time.
    fn open(&self, p: i64) -> Option<(i64, String, DateTime<Utc>)> {
        let q = self.w.engine.queue(self.now + Duration::days(90), &QueueOptions::default()).unwrap();
        let item = q.items.into_iter().find(|i| i.prospect_id == p)?;
        let d = self.w.engine.touch(item.touch_id).unwrap();
        Some((item.touch_id, d.step.label.clone().unwrap_or_default(), d.touch.due_at))
    }

    /// Works the open touch when it is due (approve, done); returns its label.
    fn work(&mut self, p: i64) -> String {
        let (t, label, due) = self.open(p).expect("an open touch");
        self.now = self.now.max(due) + Duration::minutes(30);
        let channel = self.w.engine.touch(t).unwrap().touch.channel;
        let outcome =
            if channel == Channel::Email { Outcome::Approve { subject: None, body: None } } else { Outcome::Done { notes: None } };
        self.w.engine.complete(t, outcome, self.now).unwrap();
        label
    }
}

#[test]
fn a_connection_request_accepted_before_its_wait_takes_the_accepted_way() {
    let mut x = Walk::new();
    let dana = x.enroll("dana@lumenfield.com");
    assert_eq!(x.work(dana), "opener");
    assert!(!x.w.engine.awaits_acceptance(dana).unwrap(), "no request sent yet");
    assert_eq!(x.work(dana), "connect");
    let sent_at = x.now;
    // Waiting: the not-accepted way is scheduled after the 3-day wait plus its own 2 days.
    let (_, label, due) = x.open(dana).unwrap();
    assert_eq!(label, "bump");
    assert!(due >= sent_at + Duration::days(5), "bump due {due}, request sent {sent_at}");
    assert!(x.w.engine.awaits_acceptance(dana).unwrap());

    // Two days later the rep sees the acceptance.
    x.now = sent_at + Duration::days(2);
    let taken = x.w.engine.connection_accepted(dana, x.now).unwrap();
    assert_eq!(taken.to, "thanks for connecting");
    let (_, label, due) = x.open(dana).unwrap();
    assert_eq!(label, "thanks for connecting", "the bump is gone from the queue");
    assert!(due >= x.now && due <= x.now + Duration::days(4), "scheduled from the acceptance by the usual rules: {due}");
    let again = x.w.engine.connection_accepted(dana, x.now).unwrap_err();
    assert!(again.to_string().contains("no LinkedIn connection request waiting"), "{again}");
    let timeline = x.w.engine.timeline(dana).unwrap();
    assert!(timeline.iter().any(|t| t.kind == "branch_taken" && t.data["to"] == 4), "{timeline:?}");
    // On to the end along the accepted way: thanks, call, breakup.
    assert_eq!(x.work(dana), "thanks for connecting");
    x.now += Duration::days(1);
    let (t, label, due) = x.open(dana).unwrap();
    assert_eq!(label, "call");
    x.now = due + Duration::minutes(5);
    x.w.engine.complete(t, Outcome::Call { outcome: engine::domain::CallOutcome::NoAnswer, notes: None, duration_s: None }, x.now).unwrap();
    assert_eq!(x.work(dana), "breakup");
    assert_eq!(x.w.engine.enrollments_of(dana).unwrap()[0].state, EnrollmentState::Finished);
}

#[test]
fn a_request_still_pending_after_its_wait_takes_the_not_accepted_way_and_nothing_leads_on() {
    let mut x = Walk::new();
    let lucia = x.enroll("lucia@nubaria.es");
    assert_eq!(x.work(lucia), "opener");
    assert_eq!(x.work(lucia), "connect");
    assert_eq!(x.work(lucia), "bump", "no acceptance: the bump when the wait is over");
    assert!(!x.w.engine.awaits_acceptance(lucia).unwrap(), "the wait is over once the bump is worked");
    assert!(x.w.engine.connection_accepted(lucia, x.now).is_err(), "too late to take the accepted way");
    // The bump's `nothing` branch skips "thanks for connecting".
    assert_eq!(x.open(lucia).unwrap().1, "call");
}

#[test]
fn a_reply_tagged_neutral_is_kept_in_the_sequence_along_its_branch() {
    let mut x = Walk::new();
    let jonas = x.enroll("jonas@kranich.de");
    let dana = x.enroll("dana@lumenfield.com");
    assert_eq!(x.work(jonas), "opener");
    assert_eq!(x.work(dana), "opener");
    // Each email goes at its send time, in its prospect's window.
    let mut gone = x.now;
    while let Some(at) = x.w.engine.next_send_time().unwrap() {
        gone = at.max(gone);
        while let NextSend::Send(out) = x.w.engine.next_send(gone).unwrap() {
            x.w.engine.send_succeeded(out.touch_id, gone).unwrap();
        }
    }
    let sent = x.w.engine.sends(&[SendState::Sent], None, 10).unwrap();
    let reply = |x: &mut Walk, p: i64, email: &str, uid: u32| {
        let mid = sent.iter().find(|(s, _, _)| s.prospect_id == p).unwrap().0.message_id.clone().unwrap();
        let c = common::reply(&format!("r{uid}@example.test"), email, &mid, "Not now, try me next quarter.");
        let at = gone + Duration::hours(2);
        match x.w.engine.take_inbound(Incoming { folder: "INBOX", uidvalidity: 1, uid, received_at: at, classified: &c }, at).unwrap() {
            Handled::Recorded(r) => r.id,
            other => panic!("{other:?}"),
        }
    };
    let r1 = reply(&mut x, jonas, "jonas@kranich.de", 1);
    let r2 = reply(&mut x, dana, "dana@lumenfield.com", 2);
    assert_eq!(x.w.engine.enrollments_of(jonas).unwrap()[0].state, EnrollmentState::Exited, "a reply ends the sequence");
    x.now = gone + Duration::hours(3);
    let untagged = x.w.engine.keep_in_sequence(r1, x.now).unwrap_err();
    assert!(untagged.to_string().contains("tag reply"), "{untagged}");

    let tagged = x.w.engine.tag_reply(r1, "neutral", x.now).unwrap();
    assert_eq!(tagged.keep.as_deref(), Some("nurture"));
    // A positive reply has no branch here: it stays ended.
    assert_eq!(x.w.engine.tag_reply(r2, "positive", x.now).unwrap().keep, None);
    assert!(x.w.engine.keep_in_sequence(r2, x.now).unwrap_err().to_string().contains("no branch for a positive reply"));

    let taken = x.w.engine.keep_in_sequence(r1, x.now).unwrap();
    assert_eq!(taken.to, "nurture");
    let e = &x.w.engine.enrollments_of(jonas).unwrap()[0];
    assert_eq!(e.state, EnrollmentState::Active);
    let (_, label, due) = x.open(jonas).unwrap();
    assert_eq!(label, "nurture");
    assert!(due >= x.now + Duration::days(26), "20 business days from now: {due}");
    assert_eq!(x.w.engine.inbound_record(r1).unwrap().keep, None, "kept once");
    // The reply still counts; the exit it caused does not.
    let r = x.w.engine.results("every-branch", Span { from: None, to: None }, x.now).unwrap();
    assert_eq!((r.figures.replies, r.figures.exited), (2, 1), "two replies; only Dana's exit stands");
}

#[test]
fn accept_within_belongs_to_a_request_that_branches_on_acceptance() {
    let bad = EVERY.replace("accept_within = 3\n", "accept_within = 45\n");
    let e = parse_sequence("e.toml", &bad).unwrap_err();
    assert_eq!(e.field, "steps[2].accept_within");
    assert!(e.message.contains("from 1 to 30"), "{}", e.message);
    let stray = EVERY.replace(
        "delay = 2\nthread = \"reply\"\nbody = \"Hi {{ first_name }},\\n\\nBumping",
        "delay = 2\naccept_within = 2\nthread = \"reply\"\nbody = \"Hi {{ first_name }},\\n\\nBumping",
    );
    let e = parse_sequence("e.toml", &stray).unwrap_err();
    assert!(e.message.contains("only a linkedin_connect step that branches on `accepted`"), "{}", e.message);
    let wrong = EVERY.replace("neutral = \"nurture\"", "accepted = \"nurture\"");
    let e = parse_sequence("e.toml", &wrong).unwrap_err();
    assert!(e.message.contains("`positive`, `neutral`, `negative`"), "{}", e.message);
    // The default wait is five business days.
    let default = EVERY.replace("accept_within = 3\n", "");
    assert_eq!(parse_sequence("e.toml", &default).unwrap().steps[1].accept_within, 5);
}
