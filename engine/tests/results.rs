//! Results against a history whose true figures are known: twenty prospects
//! worked through a three-step sequence (an A/B first email, a call, a
//! follow-up in the thread) over four days on a real database file, with
//! replies, tags, a meeting, bounces, an unsubscribe, a correction, a reply
//! after exiting, a re-enrolled prospect and a sequence edited mid-flight.
//! Every write goes through the engine's façade, as the app and the mail
//! loops make them.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::SendState;
use engine::api::{Figures, Handled, Incoming, NextSend, Outcome, QueueOptions, Selection, Span, Verdict};
use engine::domain::{CallOutcome, Channel, ProspectId};
use engine::mail::{BounceInfo, Classified, Headers, Kind};

const SEQ: &str = r#"
name = "Results test"
kind = "cold"

[settings]
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
window = "00:00-23:59"
call_hours = "00:00-23:59"

[[steps]]
channel = "email"
delay = 0
thread = "new"
subject = "A question for {{ company }}"
body = """
Hi {{ first_name }},

Short question about how {{ company }} hands deals over.

{{ signature }}

{{ opt_out }}"""

[[steps.variants]]
name = "B"
subject = "Hand-offs at {{ company }}"
body = """
Hi {{ first_name }},

How does {{ company }} keep deals from slipping between first call and proposal?

{{ signature }}

{{ opt_out }}"""

[[steps]]
channel = "call"
delay = 1
script = "Ask about hand-offs."

[[steps]]
channel = "email"
delay = 1
thread = "reply"
body = """
Hi {{ first_name }}, one more thought on my note below: BODY.

{{ signature }}

{{ opt_out }}"""
"#;

struct Sim {
    w: World,
    ids: Vec<ProspectId>,
    uid: u32,
}

/// Monday 2 November 2026, plus `d` days, at `h` UTC.
fn day(d: i64, h: u32) -> DateTime<Utc> {
    utc("2026-11-02T00:00:00Z") + Duration::days(d) + Duration::hours(i64::from(h))
}

impl Sim {
    fn new() -> Sim {
        let mut w = World::new(day(0, 12));
        let mut csv = String::from("First Name,Email,Company\n");
        for i in 0..20 {
            csv += &format!("P{i},p{i}@acme{i}.test,Acme {i}\n");
        }
        w.import(&csv, day(0, 12));
        let ids = (0..20).map(|i| w.engine.find_prospect(&format!("p{i}@acme{i}.test")).unwrap().id).collect();
        for (k, v) in [
            ("address", "rep@northwind.test"),
            ("smtp_host", "127.0.0.1"),
            ("imap_host", "127.0.0.1"),
            ("daily_cap", "500"),
            ("spacing_s", "0"),
            ("jitter_pct", "0"),
        ] {
            w.engine.set_mailbox(k, v).unwrap();
        }
        let mut sim = Sim { w, ids, uid: 0 };
        sim.add_sequence("", day(0, 12));
        sim
    }

    fn add_sequence(&mut self, marker: &str, now: DateTime<Utc>) {
        let path = self.w.dir.path().join("results-test.toml");
        std::fs::write(&path, SEQ.replace("BODY", &format!("hand-offs{marker}"))).unwrap();
        self.w.engine.add_sequence(&path, now).unwrap();
    }

    /// Works every touch in today's queue: emails approved, calls logged
    /// with the outcome `call` gives (default: no answer).
    fn work(&mut self, now: DateTime<Utc>, call: impl Fn(usize) -> CallOutcome) {
        let q = self.w.engine.queue(now, &QueueOptions::default()).unwrap();
        for item in q.items {
            let who = self.ids.iter().position(|&p| p == item.prospect_id).unwrap();
            let outcome = match item.channel {
                Channel::Email => Outcome::Approve { subject: None, body: None },
                Channel::Call => Outcome::Call { outcome: call(who), notes: None, duration_s: Some(60) },
                other => panic!("no {other} step in this sequence"),
            };
            self.w.engine.complete(item.touch_id, outcome, now).unwrap();
        }
    }

    /// Sends everything that may go by `now`, as the mail loop would.
    fn send_all(&mut self, now: DateTime<Utc>) {
        while let NextSend::Send(out) = self.w.engine.next_send(now).unwrap() {
            self.w.engine.send_succeeded(out.touch_id, now).unwrap();
        }
    }

    /// Message-IDs of the emails that went to prospect `i`, oldest first.
    fn sent_to(&self, i: usize) -> Vec<String> {
        let mut sent: Vec<_> = self
            .w
            .engine
            .sends(&[SendState::Sent], None, 1_000)
            .unwrap()
            .into_iter()
            .map(|(s, _, _)| s)
            .filter(|s| s.prospect_id == self.ids[i])
            .collect();
        sent.sort_by_key(|s| s.touch_id);
        sent.into_iter().map(|s| s.message_id.unwrap()).collect()
    }

    /// Mail from prospect `i`, threaded under `answers` when given.
    fn mail(&mut self, i: usize, kind: Kind, answers: Option<String>, hard: Option<bool>, now: DateTime<Utc>) -> i64 {
        self.uid += 1;
        let email = format!("p{i}@acme{i}.test");
        let bounce = hard.map(|hard| BounceInfo {
            hard,
            reason: Some(if hard { engine::mail::Reason::UserUnknown } else { engine::mail::Reason::MailboxFull }),
            notice: None,
            said: String::new(),
            recipient: Some(email.clone()),
            status: Some(if hard { "5.1.1" } else { "4.2.2" }.into()),
            original_message_id: answers.clone(),
            report: true,
        });
        let headers = Headers {
            message_id: Some(format!("in-{}@acme.test", self.uid)),
            from: Some(if bounce.is_some() { "mailer-daemon@northwind.test".into() } else { email }),
            subject: Some("Re: your note".into()),
            in_reply_to: if bounce.is_some() { Vec::new() } else { answers.into_iter().collect() },
            ..Default::default()
        };
        let c = Classified {
            headers,
            kind,
            bounce,
            return_date: None,
            evidence: "test".into(),
            complaint: None,
            referral: None,
            text: String::new(),
        };
        let m = Incoming { folder: "INBOX", uidvalidity: 1, uid: self.uid, received_at: now, classified: &c };
        match self.w.engine.take_inbound(m, now).unwrap() {
            Handled::Recorded(r) => r.id,
            other => panic!("mail from p{i} was not recorded: {other:?}"),
        }
    }
}

/// The history; returns the simulation at the end of day 4.
fn history() -> Sim {
    let mut s = Sim::new();
    let all: Vec<ProspectId> = s.ids.clone();
    s.w.engine.enroll(&Selection::Prospects(all), "results-test", false, day(0, 12)).unwrap();

    // Day 0: twenty first emails, A and B in turn (p0 A, p1 B, ...).
    s.work(day(0, 14), |_| CallOutcome::NoAnswer);
    s.send_all(day(0, 15));
    let first = |s: &Sim, i: usize| s.sent_to(i)[0].clone();
    let (m0, m1, m2, m3, m4, m5, m6, m7) =
        (first(&s, 0), first(&s, 1), first(&s, 2), first(&s, 3), first(&s, 4), first(&s, 5), first(&s, 6), first(&s, 7));
    let r0 = s.mail(0, Kind::Reply, Some(m0), None, day(0, 18));
    let r1 = s.mail(1, Kind::Reply, Some(m1), None, day(0, 18));
    let r2 = s.mail(2, Kind::Reply, Some(m2), None, day(0, 18));
    s.mail(3, Kind::Bounce, Some(m3), Some(true), day(0, 18));
    s.mail(4, Kind::Bounce, Some(m4), Some(false), day(0, 18));
    s.mail(5, Kind::Unsubscribe, Some(m5.clone()), None, day(0, 18));
    s.mail(6, Kind::Reply, Some(m6.clone()), None, day(0, 18));
    s.mail(6, Kind::Reply, Some(m6), None, day(0, 20)); // a second reply adds nothing
    let r7 = s.mail(7, Kind::Unsubscribe, Some(m7), None, day(0, 19));
    let e = &mut s.w.engine;
    e.correct_inbound(r7, "reply", day(0, 21)).unwrap(); // it was a reply after all
    e.tag_reply(r0, "positive", day(0, 21)).unwrap();
    e.meeting_from_reply(r0, day(0, 21)).unwrap();
    e.meeting_from_reply(r0, day(0, 22)).unwrap(); // once per message
    e.tag_reply(r1, "negative", day(0, 21)).unwrap();
    e.tag_reply(r2, "neutral", day(0, 21)).unwrap();
    e.tag_reply(r2, "positive", day(1, 9)).unwrap(); // the latest tag counts
                                                     // p12 is taken out by hand before the call.
    let p12 = e.enrollments_of(s.ids[12]).unwrap()[0].id;
    e.remove(p12, day(1, 9)).unwrap();

    // Day 1: calls for those still in (p4's soft bounce did not stop it).
    s.work(day(1, 14), |who| match who {
        8 => CallOutcome::Connected,
        9 => CallOutcome::MeetingBooked,
        10 => CallOutcome::NotInterested,
        11 => CallOutcome::Voicemail,
        _ => CallOutcome::NoAnswer,
    });
    s.send_all(day(1, 15)); // p4's first email again, a day after its soft bounce
                            // p12 answers the first email after being taken out: still a reply.
    let m12 = first(&s, 12);
    s.mail(12, Kind::Reply, Some(m12), None, day(1, 17));
    // p5, who unsubscribed, writes again: a reply after exiting.
    s.mail(5, Kind::Reply, Some(m5), None, day(1, 18));
    // The sequence is edited mid-flight: those in it stay on version 1.
    s.add_sequence(" (edited)", day(1, 20));

    // Day 2: the follow-ups go (version 1), and finish the sequence.
    s.work(day(2, 14), |_| CallOutcome::NoAnswer);
    s.send_all(day(2, 15));
    let m8 = s.sent_to(8).last().unwrap().clone();
    s.mail(8, Kind::Reply, Some(m8), None, day(2, 18));
    s.mail(11, Kind::Reply, None, None, day(2, 19)); // not threaded: matched by sender

    // Day 3: p1 is enrolled again, now in version 2, and replies again.
    s.w.engine.enroll(&Selection::Prospects(vec![s.ids[1]]), "results-test", false, day(3, 12)).unwrap();
    s.work(day(3, 14), |_| CallOutcome::NoAnswer);
    s.send_all(day(3, 15));
    let again = s.sent_to(1).last().unwrap().clone();
    s.mail(1, Kind::Reply, Some(again), None, day(3, 18));
    s
}

fn fig(f: &Figures) -> [u64; 12] {
    [
        f.enrolled,
        f.emails_sent,
        f.replies,
        f.positive,
        f.meetings,
        f.bounces_hard,
        f.bounces_soft,
        f.unsubscribes,
        f.calls,
        f.calls_connected,
        f.exited,
        f.untagged,
    ]
}

#[test]
fn figures_match_a_history_whose_truth_is_known() {
    let s = history();
    let r = s.w.engine.results("results-test", Span::default(), day(4, 12)).unwrap();
    assert_eq!(r.versions.len(), 2);
    let (v1, v2) = (&r.versions[0], &r.versions[1]);

    // Version 1. Enrolled 20. Emails: 20 first, p4's resend after its soft
    // bounce, and 10 follow-ups (still in on day 2: p4, p8, p11, p13-p19).
    let step0 = &v1.steps[0].figures;
    let step1 = &v1.steps[1].figures;
    let step2 = &v1.steps[2].figures;
    // [enrolled, sent, replies, positive, meetings, hard, soft, unsub, calls, connected, exited, untagged]
    // Replies at step 1: p0 p1 p2 p6 p7 (corrected), p12 (after removal), p5 (after unsubscribing).
    assert_eq!(fig(step0), [0, 21, 7, 2, 1, 1, 1, 1, 0, 0, 0, 4], "step 1");
    // Calls: p4, p8-p11, p13-p19 = 12; spoke to p8, p9, p10; p9 booked a meeting.
    // Exits count at the step that was next: everyone who left after the
    // first email left with the call pending: p0 p1 p2 p6 p7 replied, p3
    // bounced, p5 unsubscribed, p12 was removed, p9 booked, p10 declined
    // (p7's unsubscribe, corrected to a reply, is taken back).
    assert_eq!(fig(step1), [0, 0, 0, 0, 1, 0, 0, 0, 12, 3, 10, 0], "step 2");
    assert_eq!(fig(step2), [0, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2], "step 3");
    assert_eq!(v1.figures.enrolled, 20);
    assert_eq!(v1.figures.replies, 9);
    assert_eq!(v1.figures.meetings, 2);
    // Exits: replied p0 p1 p2 p6 p7 (p8 and p11 replied after finishing);
    // bounced p3; unsubscribed p5 (p7's was corrected away); removed p12;
    // meeting p9; not interested p10.
    assert_eq!(v1.exits.get("replied"), Some(&5), "{:?}", v1.exits);
    assert_eq!(v1.exits.get("unsubscribed"), Some(&1));
    assert_eq!(v1.exits.get("bounced"), Some(&1));
    assert_eq!(v1.exits.get("removed"), Some(&1));
    assert_eq!(v1.exits.get("meeting_booked"), Some(&1));
    assert_eq!(v1.exits.get("not_interested"), Some(&1));
    assert_eq!(v1.figures.finished, 10);

    // Variants: A went to even prospects, B to odd, ten each, plus p4's resend (A).
    let [a, b] = &v1.steps[0].variants[..] else { panic!("two variants") };
    assert_eq!((a.figures.emails_sent, b.figures.emails_sent), (11, 10));
    // A: p0 p2 p6 p12 replied; B: p1 p7 p5.
    assert_eq!((a.figures.replies, b.figures.replies), (4, 3));
    assert_eq!((a.figures.positive, b.figures.positive), (2, 0));
    assert_eq!(r.versions[0].steps[0].ab.as_ref().unwrap().verdict, Verdict::TooEarly, "ten sends a side decide nothing");

    // Version 2: p1 again, one email, one reply; version 1 untouched by it.
    assert_eq!(fig(&v2.figures), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    assert_eq!(r.figures.enrolled, 21);
    assert_eq!(r.figures.replies, 10);
    assert_eq!(r.figures.emails_sent, 32);
    let rate = r.figures.reply_rate().unwrap();
    assert!((rate - 10.0 / 32.0).abs() < 1e-12);
}

#[test]
fn a_period_counts_what_happened_in_it_and_the_rebuild_is_exact() {
    let s = history();
    let now = day(4, 12);
    // Day 0 only: first emails, their replies, bounces, the unsubscribe.
    let d0 = Span { from: Some(day(0, 0)), to: Some(day(1, 0)) };
    let r = s.w.engine.results("results-test", d0, now).unwrap();
    assert_eq!(r.figures.emails_sent, 20);
    // p0 p1 p2 p6 p7 replied on day 0; p12 and p5 on day 1.
    assert_eq!(r.figures.replies, 5);
    assert_eq!(r.figures.calls, 0);
    // Each day's figures add up to the whole.
    let mut sum = Figures::default();
    for d in 0..5 {
        let span = Span { from: Some(day(d, 0)), to: Some(day(d + 1, 0)) };
        let f = s.w.engine.results("results-test", span, now).unwrap().figures;
        sum.emails_sent += f.emails_sent;
        sum.replies += f.replies;
        sum.calls += f.calls;
        sum.meetings += f.meetings;
    }
    let all = s.w.engine.results("results-test", Span::default(), now).unwrap().figures;
    assert_eq!((sum.emails_sent, sum.replies, sum.calls, sum.meetings), (all.emails_sent, all.replies, all.calls, all.meetings));
    // The trend's weeks hold every email and reply once.
    let r = s.w.engine.results("results-test", Span::default(), now).unwrap();
    assert_eq!(r.trend.iter().map(|t| t.emails_sent).sum::<u64>(), all.emails_sent);
    assert_eq!(r.trend.iter().map(|t| t.replies).sum::<u64>(), all.replies);
    // The daily counts kept by the trigger are what a rebuild from the log gives.
    let kept = engine::testing::days_snapshot(s.w.engine.connection()).unwrap();
    engine::testing::rebuild_days(s.w.engine.connection()).unwrap();
    assert_eq!(engine::testing::days_snapshot(s.w.engine.connection()).unwrap(), kept);
    // A period that starts and ends mid-hour counts to the second.
    // Day 0's first emails went at 15:00:00, a second before the start; p4's
    // resend and the ten follow-ups at 15:00:00 on day 2, a second before the end.
    let odd = Span { from: Some(day(0, 15) + Duration::seconds(1)), to: Some(day(2, 15) + Duration::seconds(1)) };
    let f = s.w.engine.results("results-test", odd, now).unwrap().figures;
    assert_eq!((f.emails_sent, f.calls), (11, 12));
    // Reopening the file rebuilds the same figures from the log.
    let dir = s.w.dir.path().join("cadence.db");
    let again = engine::Engine::open(&dir, now).unwrap().results("results-test", Span::default(), now).unwrap();
    assert_eq!(again.figures, all);
}

#[test]
fn variants_are_handed_out_in_turn_per_step_whatever_else_is_enrolled() {
    let mut s = Sim::new();
    // Interleave: one into the test sequence, one into a playbook, and so on.
    for i in 0..20 {
        let slug = if i % 2 == 0 { "results-test" } else { "cold-short-14d" };
        s.w.engine.enroll(&Selection::Prospects(vec![s.ids[i]]), slug, false, day(0, 12)).unwrap();
    }
    s.work(day(0, 14), |_| CallOutcome::NoAnswer);
    s.send_all(day(0, 15));
    let r = s.w.engine.results("results-test", Span::default(), day(0, 16)).unwrap();
    let v = &r.versions[0].steps[0].variants;
    assert_eq!((v[0].figures.emails_sent, v[1].figures.emails_sent), (5, 5), "an even split, not every second one to A");
}

#[test]
fn the_activity_export_and_figures_export_carry_the_numbers() {
    let s = history();
    let now = day(4, 12);
    let mut out = Vec::new();
    let rows = s.w.engine.export_activity(Span::default(), Some("results-test"), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count() as u64, rows + 1);
    assert!(text.starts_with("id,at,kind,email,first_name,last_name,company,sequence,version,step,variant,label,data"));
    let sent = text.lines().filter(|l| l.split(',').nth(2) == Some("email_sent")).count();
    assert_eq!(sent, 32);
    let mut out = Vec::new();
    s.w.engine.export_figures(Some("results-test"), Span::default(), now, &mut out).unwrap();
    let csv = String::from_utf8(out).unwrap();
    let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let all: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    assert_eq!(all[col("replies")], "10");
    assert_eq!(all[col("emails_sent")], "32");
    assert_eq!(all[col("reply_rate")], "0.3125");
}

#[test]
fn todays_own_figures() {
    let s = history();
    // Day 3 (Thursday 5 November): p1's email approved and sent, one reply.
    let t = s.w.engine.today_stats(day(3, 20)).unwrap();
    assert_eq!((t.done, t.emails_sent, t.replies), (1, 1, 1));
}
