//! Buying signals (issue 17, items 4-7) on a real database file: signals
//! from the command line's path, a CSV and JSON lines; rules that propose or
//! enroll; duplicates, cooldown, do-not-contact, people who left and bad rows
//! refused with reasons; accepting enrolls and the first draft quotes the
//! signal; a draft that needs a signal and has none is blocked; the linter's
//! warning; results by source.

mod common;

use chrono::Duration;
use common::*;
use engine::api::{Handled, Incoming, Outcome, SignalRule, Span, Taken};
use engine::domain::CallOutcome;
use engine::sequence::Rule;
use engine::signal::{RawSignal, SignalKind};

/// A short sequence whose first email quotes the signal.
const FUNDING: &str = r#"name = "Funding congrats"
kind = "cold_short"

[[steps]]
channel = "email"
delay = 0
subject = "{{ company }} and the {{ signal.kind }} news"
body = """Hi {{ first_name }},

Saw this on {{ signal.when }}: "{{ signal.text }}". Congratulations.

Teams at that stage often rebuild their outbound. Worth a chat?

{{ sender_name }}"""

[[steps]]
channel = "call"
delay = 2
script = "Mention {{ signal.text }}."

[[steps]]
channel = "email"
delay = 3
thread = "reply"
body = "Hi {{ first_name }},\n\nOne more thought on the round.\n\n{{ sender_name }}"

[[steps]]
channel = "email"
delay = 4
thread = "reply"
breakup = true
body = "Hi {{ first_name }},\n\nI will leave it here.\n\n{{ sender_name }}"
"#;

fn raw(pairs: &[(&str, &str)]) -> RawSignal {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn rule(kind: SignalKind, sequence: &str, enroll: bool) -> SignalRule {
    SignalRule { kind, sequence: sequence.into(), enroll, cooldown_days: 30 }
}

fn world() -> (World, chrono::DateTime<chrono::Utc>) {
    let now = utc("2026-12-07T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.save_sequence_source("funding-congrats", FUNDING, now).unwrap();
    (w, now)
}

#[test]
fn a_company_signal_is_proposed_and_accepting_enrolls_with_a_draft_that_quotes_it() {
    let (mut w, now) = world();
    w.engine.set_signal_rule(&rule(SignalKind::Funding, "funding-congrats", false), now).unwrap();
    let text = "Raised a €20M Series B led by Northzone";
    let report = w
        .engine
        .add_signal(&raw(&[("kind", "funding"), ("domain", "https://www.nubaria.es/news"), ("text", text), ("when", "2026-12-03")]), now)
        .unwrap();
    assert_eq!((report.stored, report.proposed(), report.enrolled()), (1, 1, 0), "{report:?}");
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap();
    assert!(matches!(&report.outcomes[0].taken, Taken::Proposed { prospect, .. } if *prospect == lucia.id));
    // Nothing is enrolled until the rep says so.
    assert!(w.engine.enrollments_of(lucia.id).unwrap().is_empty());

    let open = w.engine.proposals().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].signal.text.as_str(), open[0].sequence_name.as_str()), (text, "Funding congrats"));
    let accepted = w.engine.accept_proposals(Some(&[open[0].proposal.id]), now).unwrap();
    assert_eq!(accepted.enrolled.len(), 1);
    assert!(w.engine.proposals().unwrap().is_empty(), "accepted proposals leave the list");

    let e = &w.engine.enrollments_of(lucia.id).unwrap()[0];
    assert_eq!(e.id, accepted.enrolled[0].1);
    let q = w.engine.queue(now + Duration::days(1), &Default::default()).unwrap();
    let item = q.items.iter().find(|i| i.prospect_id == lucia.id).expect("her first email is in the queue");
    let d = w.engine.touch(item.touch_id).unwrap().draft;
    assert!(d.missing.is_empty(), "{d:?}");
    assert!(d.body.contains(&format!("Saw this on 3 December: \"{text}\"")), "{}", d.body);
    assert_eq!(d.subject.as_deref(), Some("Nubaria and the funding news"));
    // Accepting twice is refused.
    let again = w.engine.accept_proposals(Some(&[open[0].proposal.id]), now).unwrap_err();
    assert!(again.to_string().contains("accepted already"), "{again}");
}

#[test]
fn a_new_person_becomes_a_prospect_and_a_direct_rule_enrolls_them() {
    let (mut w, now) = world();
    w.engine.set_signal_rule(&rule(SignalKind::JobChange, "funding-congrats", true), now).unwrap();
    let jl = concat!(
        r#"{"kind": "Job change", "email": "Mara.Quist@Fjordline.io", "first_name": "Mara", "last_name": "Quist", "company": "Fjordline", "title": "VP Sales", "text": "Joined Fjordline as VP Sales", "source": "LinkedIn", "date": "2026-12-01"}"#,
        "\n"
    );
    let report = w.engine.import_signals("drop.jsonl", jl.as_bytes(), now).unwrap();
    assert_eq!((report.new_prospects, report.enrolled()), (1, 1), "{report:?}");
    let mara = w.engine.find_prospect("mara.quist@fjordline.io").unwrap();
    assert_eq!((mara.first_name.as_deref(), mara.company.as_deref()), (Some("Mara"), Some("Fjordline")));
    assert!(mara.tags.contains(&"signal".to_string()));
    let q = w.engine.queue(now + Duration::days(1), &Default::default()).unwrap();
    let item = q.items.iter().find(|i| i.prospect_id == mara.id).expect("enrolled directly");
    let d = w.engine.touch(item.touch_id).unwrap().draft;
    assert!(d.body.contains("Joined Fjordline as VP Sales") && d.subject.unwrap().contains("job change news"));
    assert!(w.engine.proposals().unwrap().is_empty(), "a direct rule leaves nothing to accept");
}

#[test]
fn duplicates_cooldown_do_not_contact_departures_and_bad_rows_are_refused_with_reasons() {
    let (mut w, now) = world();
    w.engine.set_signal_rule(&rule(SignalKind::Hiring, "funding-congrats", false), now).unwrap();
    let jonas = w.engine.find_prospect("jonas@kranich.de").unwrap();
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    // Dana was enrolled by hand ten days ago and taken out: inside the cooldown.
    let r =
        w.engine.enroll(&engine::api::Selection::Prospects(vec![dana.id]), "funding-congrats", false, now - Duration::days(10)).unwrap();
    w.engine.remove(r.enrolled[0].1, now - Duration::days(9)).unwrap();
    w.engine.add_do_not_contact("@kranich.de", "asked to stop", now).unwrap();
    // An automatic reply said the nofirst person left.
    w.engine.connection().execute("UPDATE prospects SET email_status = 'left' WHERE email = 'nofirst@example.com'", []).unwrap();
    let csv = "\
kind,email,domain,text,when
hiring,lucia@nubaria.es,,Hiring 5 SDRs in Madrid,2026-12-02
hiring,lucia@nubaria.es,,hiring 5 SDRs in  Madrid,2026-12-02T16:00:00Z
hiring,,nubaria.es,Second opening posted,2026-12-04
hiring,jonas@kranich.de,,Hiring a RevOps lead,2026-12-02
hiring,dana@lumenfield.com,,Hiring AEs,2026-12-02
hiring,nofirst@example.com,,Hiring,2026-12-02
funding,,acme-unknown.com,Raised a seed round,2026-12-01
sponsorship,,nubaria.es,Sponsors a conference,2026-12-01
hiring,,,No one,2026-12-01
";
    let report = w.engine.import_signals("signals.csv", csv.as_bytes(), now).unwrap();
    let lines: Vec<(usize, String)> = report
        .outcomes
        .iter()
        .map(|o| {
            let what = match &o.taken {
                Taken::Proposed { .. } => "proposed".to_string(),
                Taken::Enrolled { .. } => "enrolled".to_string(),
                Taken::Kept(r) => format!("kept: {r}"),
                Taken::Refused { reason, .. } => format!("refused: {reason}"),
                Taken::Duplicate(r) => format!("duplicate: {r}"),
                Taken::Rejected(r) => format!("rejected: {r}"),
            };
            (o.line, what)
        })
        .collect();
    let at = |line: usize| lines.iter().find(|(l, _)| *l == line).map(|(_, w)| w.clone()).unwrap_or_default();
    assert_eq!(at(2), "proposed", "{lines:#?}");
    assert!(at(3).starts_with("duplicate: the same signal came in on 2026-12-07"), "{lines:#?}");
    assert_eq!(at(4), "refused: already has a proposal waiting in Signals", "{lines:#?}");
    assert_eq!(at(5), "refused: on the do-not-contact list", "{lines:#?}");
    assert!(at(6).starts_with("refused: enrolled or proposed on 2026-11-27: cooling down until 2026-12-27"), "{lines:#?}");
    assert!(at(7).starts_with("refused: has left"), "{lines:#?}");
    assert_eq!(at(8), "kept: no rule for funding signals", "{lines:#?}");
    assert!(at(9).starts_with("rejected: kind \"sponsorship\" is not one of"), "{lines:#?}");
    assert!(at(10).starts_with("rejected: no one named"), "{lines:#?}");
    assert_eq!((report.stored, report.rejected(), report.duplicates()), (6, 2, 1));
    assert_eq!(w.engine.proposals().unwrap().len(), 1, "one proposal, for Lucía");
    let _ = jonas;

    // The same file again: every signal is a duplicate, nothing new is proposed.
    let again = w.engine.import_signals("signals.csv", csv.as_bytes(), now + Duration::hours(1)).unwrap();
    assert_eq!((again.stored, again.duplicates(), again.proposed()), (0, 7, 0), "six stored, and the row that was a duplicate already");

    // A dismissed proposal frees the prospect, but the cooldown still holds.
    let id = w.engine.proposals().unwrap()[0].proposal.id;
    w.engine.dismiss_proposals(Some(&[id]), now).unwrap();
    let r = w.engine.add_signal(&raw(&[("kind", "hiring"), ("email", "lucia@nubaria.es"), ("text", "A third role")]), now).unwrap();
    assert!(matches!(&r.outcomes[0].taken, Taken::Proposed { .. }), "dismissed: not a cooldown {r:?}");
}

#[test]
fn an_address_put_on_the_list_after_the_proposal_is_not_enrolled_on_accept() {
    let (mut w, now) = world();
    w.engine.set_signal_rule(&rule(SignalKind::Funding, "funding-congrats", false), now).unwrap();
    w.engine.add_signal(&raw(&[("kind", "funding"), ("domain", "nubaria.es"), ("text", "Series A")]), now).unwrap();
    w.engine.add_do_not_contact("lucia@nubaria.es", "unsubscribed", now).unwrap();
    let out = w.engine.accept_proposals(None, now).unwrap();
    assert!(out.enrolled.is_empty());
    assert_eq!(out.skipped[0].1, "on the do-not-contact list");
    assert!(w.engine.proposals().unwrap().is_empty());
}

#[test]
fn a_draft_that_needs_a_signal_and_has_none_is_blocked_and_cannot_be_approved() {
    let (mut w, now) = world();
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    w.engine.enroll(&engine::api::Selection::Prospects(vec![dana.id]), "funding-congrats", false, now).unwrap();
    let q = w.engine.queue(now + Duration::days(1), &Default::default()).unwrap();
    let t = q.items.iter().find(|i| i.prospect_id == dana.id).unwrap().touch_id;
    let d = w.engine.touch(t).unwrap().draft;
    assert!(d.missing.contains(&"signal.text".to_string()), "{d:?}");
    assert!(d.body.contains("⟦signal.text⟧"), "{}", d.body);
    let e = w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now + Duration::days(1)).unwrap_err();
    assert!(e.to_string().contains("signal.text"), "{e}");
}

#[test]
fn the_linter_warns_when_a_signal_rule_uses_a_sequence_that_never_mentions_the_signal() {
    let (mut w, now) = world();
    let (_, findings) = w.engine.set_signal_rule(&rule(SignalKind::Hiring, "cold-outbound-21d", false), now).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, Rule::SignalUnused);
    assert!(findings[0].message.contains("hiring"), "{}", findings[0].message);
    let seq = w.engine.sequence("cold-outbound-21d").unwrap();
    assert!(seq.findings.iter().any(|f| f.rule == Rule::SignalUnused));
    let (_, none) = w.engine.set_signal_rule(&rule(SignalKind::Funding, "funding-congrats", false), now).unwrap();
    assert!(none.is_empty(), "{none:?}");
    // The fields are known to the linter: no "unknown field" for signal.text.
    assert!(w.engine.sequence("funding-congrats").unwrap().findings.iter().all(|f| f.rule != Rule::UnknownField));
    // A rule for a sequence that does not exist is refused.
    assert!(w.engine.set_signal_rule(&rule(SignalKind::Hiring, "no-such", false), now).is_err());
}

#[test]
fn results_by_source_compare_signal_enrollments_with_those_by_hand() {
    let (mut w, now) = world();
    w.engine.set_signal_rule(&rule(SignalKind::Funding, "funding-congrats", true), now).unwrap();
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap();
    let jonas = w.engine.find_prospect("jonas@kranich.de").unwrap();
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    w.engine.add_signal(&raw(&[("kind", "funding"), ("email", &lucia.email), ("text", "Series B")]), now).unwrap();
    w.engine.add_signal(&raw(&[("kind", "funding"), ("email", &jonas.email), ("text", "Seed round")]), now).unwrap();
    w.engine.enroll(&engine::api::Selection::Prospects(vec![dana.id]), "cold-outbound-21d", false, now).unwrap();

    // Lucía's first email goes, she replies, and the reply is tagged positive.
    let later = now + Duration::days(1);
    let q = w.engine.queue(later, &Default::default()).unwrap();
    let t = q.items.iter().find(|i| i.prospect_id == lucia.id).unwrap().touch_id;
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, later).unwrap();
    for (k, v) in
        [("address", "rep@northwind.test"), ("smtp_host", "127.0.0.1"), ("imap_host", "127.0.0.1"), ("spacing_s", "0"), ("jitter_pct", "0")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    // The email goes at its send time (in her window, Madrid).
    let gone = w.engine.next_send_time().unwrap().expect("an email waits to go");
    while let engine::api::NextSend::Send(out) = w.engine.next_send(gone).unwrap() {
        w.engine.send_succeeded(out.touch_id, gone).unwrap();
    }
    let sent = w.engine.sends(&[engine::api::SendState::Sent], None, 10).unwrap();
    let mid = sent.iter().find(|(s, _, _)| s.prospect_id == lucia.id).unwrap().0.message_id.clone().unwrap();
    let c = reply("r1@nubaria.es", &lucia.email, &mid, "Yes, let's talk");
    let at = gone + Duration::hours(5);
    let id = match w.engine.take_inbound(Incoming { folder: "INBOX", uidvalidity: 1, uid: 1, received_at: at, classified: &c }, at).unwrap()
    {
        Handled::Recorded(r) => r.id,
        other => panic!("{other:?}"),
    };
    w.engine.tag_reply(id, "positive", at).unwrap();
    // Dana (by hand) books a meeting on a call.
    let mut call_logged = false;
    for day in 1..30 {
        let q = w.engine.queue(now + Duration::days(day), &Default::default()).unwrap();
        if let Some(i) = q.items.iter().find(|i| i.prospect_id == dana.id) {
            let at = now + Duration::days(day);
            let outcome = match i.channel {
                engine::domain::Channel::Call => {
                    call_logged = true;
                    Outcome::Call { outcome: CallOutcome::MeetingBooked, notes: None, duration_s: None }
                }
                engine::domain::Channel::Email => Outcome::Approve { subject: None, body: None },
                _ => Outcome::Done { notes: None },
            };
            w.engine.complete(i.touch_id, outcome, at).unwrap();
            if call_logged {
                break;
            }
        }
    }
    assert!(call_logged, "Dana's sequence has a call");

    let by = w.engine.results_by_source(Span { from: None, to: None }).unwrap();
    let row = |k: Option<SignalKind>| by.iter().find(|r| r.kind == k).cloned().unwrap();
    let hand = row(None);
    let funding = row(Some(SignalKind::Funding));
    assert_eq!((hand.enrolled, hand.replied, hand.positive, hand.meetings), (1, 0, 0, 1), "{by:?}");
    assert_eq!((funding.enrolled, funding.replied, funding.positive, funding.meetings), (2, 1, 1, 0), "{by:?}");
    assert_eq!(by[0].kind, None, "by hand first");
    // A span before any enrollment has nothing.
    assert!(w.engine.results_by_source(Span { from: None, to: Some(now - Duration::days(1)) }).unwrap().is_empty());
}
