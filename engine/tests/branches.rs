//! Sequences that branch on what happened at a step (issue 17, the first
//! part): a call's outcome picks the next step, `always` sends every
//! enrollment one way, "end" ends the sequence; bad branches are refused
//! with the file, line and field, and the linter points at steps no path
//! reaches.

mod common;

use chrono::Duration;
use common::*;
use engine::api::{Outcome, QueueOptions, Selection};
use engine::domain::{CallOutcome, Channel, EnrollmentState};
use engine::sequence::{lint, parse_sequence, Rule};

const BRANCHING: &str = r#"name = "Branching cold"
kind = "cold"

[[steps]]
label = "opener"
channel = "email"
delay = 0
subject = "Hello {{ first_name }}"
body = "Hi {{ first_name }},\n\nA short note.\n\n{{ sender_name }}"

[[steps]]
label = "first call"
channel = "call"
delay = 2
script = "Ask about their pipeline."
[steps.next]
connected = "as discussed"
voicemail = "linkedin nudge"

[[steps]]
label = "second call"
channel = "call"
delay = 2
script = "Try once more."

[[steps]]
label = "linkedin nudge"
channel = "linkedin_message"
delay = 1
message = "Hi {{ first_name }}, I tried you by phone."

[[steps]]
label = "breakup"
channel = "email"
delay = 3
thread = "reply"
breakup = true
body = "Hi {{ first_name }},\n\nClosing the loop.\n\n{{ sender_name }}"
[steps.next]
always = "end"

[[steps]]
label = "as discussed"
channel = "email"
delay = 0
thread = "reply"
body = "Hi {{ first_name }},\n\nAs discussed on the phone, the two pages.\n\n{{ sender_name }}"
"#;

#[test]
fn a_branching_file_reads_and_each_branch_points_at_its_step() {
    let seq = parse_sequence("branching.toml", BRANCHING).unwrap();
    let call = &seq.steps[1];
    assert_eq!(call.next_after(1, Some("connected")), Some(5), "connected: as discussed");
    assert_eq!(call.next_after(1, Some("voicemail")), Some(3), "voicemail: the LinkedIn nudge");
    assert_eq!(call.next_after(1, Some("no_answer")), Some(2), "anything else: the next step");
    assert_eq!(seq.steps[4].next_after(4, None), None, "always = end");
    assert!(lint(&seq).iter().all(|f| f.rule != Rule::Unreachable), "{:?}", lint(&seq));
}

#[test]
fn bad_branches_are_refused_with_file_line_and_field() {
    let unknown = BRANCHING.replace("connected = \"as discussed\"", "connected = \"as discused\"");
    let e = parse_sequence("b.toml", &unknown).unwrap_err();
    assert_eq!((e.file.as_str(), e.field.as_str()), ("b.toml", "steps[2].next.connected"));
    assert_eq!(e.line, unknown.lines().position(|l| l.contains("as discused")).unwrap() + 1);
    assert!(e.message.contains("no step is labelled \"as discused\"") && e.message.contains("as discussed"), "{}", e.message);

    let back = BRANCHING.replace("voicemail = \"linkedin nudge\"", "voicemail = \"opener\"");
    let e = parse_sequence("b.toml", &back).unwrap_err();
    assert!(e.message.contains("branches go forward only"), "{}", e.message);

    let wrong_key = BRANCHING.replace("[steps.next]\nalways = \"end\"", "[steps.next]\nconnected = \"end\"");
    let e = parse_sequence("b.toml", &wrong_key).unwrap_err();
    assert_eq!(e.field, "steps[5].next.connected");
    assert!(e.message.contains("a email step branches on `always`"), "{}", e.message);
}

#[test]
fn the_linter_points_at_a_step_no_path_reaches() {
    // Every outcome of the first call branches past the second call.
    let around = BRANCHING.replace(
        "connected = \"as discussed\"\nvoicemail = \"linkedin nudge\"",
        "connected = \"as discussed\"\nvoicemail = \"linkedin nudge\"\nno_answer = \"linkedin nudge\"\nwrong_number = \"breakup\"",
    );
    let seq = parse_sequence("b.toml", &around).unwrap();
    let found: Vec<_> = lint(&seq).into_iter().filter(|f| f.rule == Rule::Unreachable).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].step, Some(3));
    assert!(found[0].message.contains("second call") && !found[0].reason.is_empty());
}

#[test]
fn a_call_outcome_takes_its_branch_and_always_end_finishes_the_sequence() {
    let now = utc("2026-11-23T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.save_sequence_source("branching-cold", BRANCHING, now).unwrap();
    let people: Vec<i64> = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).take(3).collect();
    w.engine.enroll(&Selection::Prospects(people.clone()), "branching-cold", false, now).unwrap();
    let open = |w: &World, p: i64, at| {
        w.engine
            .queue(at, &QueueOptions { limit: None, channel: None })
            .unwrap()
            .items
            .into_iter()
            .find(|i| i.prospect_id == p)
            .map(|i| i.touch_id)
    };
    let step_of = |w: &World, t: i64| {
        let d = w.engine.touch(t).unwrap();
        (d.touch.step, d.step.label.clone().unwrap_or_default())
    };
    let mut at = now;
    for &p in &people {
        let t = open(&w, p, at).unwrap();
        w.engine.complete(t, Outcome::Approve { subject: None, body: None }, at).unwrap();
    }
    at += Duration::days(5);
    let outcomes = [CallOutcome::Connected, CallOutcome::Voicemail, CallOutcome::NoAnswer];
    let mut next = Vec::new();
    for (&p, outcome) in people.iter().zip(outcomes) {
        let t = open(&w, p, at).unwrap();
        assert_eq!(step_of(&w, t).1, "first call");
        w.engine.complete(t, Outcome::Call { outcome, notes: None, duration_s: None }, at).unwrap();
        next.push(open(&w, p, at + Duration::days(7)).unwrap());
    }
    assert_eq!(step_of(&w, next[0]), (5, "as discussed".into()), "connected");
    assert_eq!(step_of(&w, next[1]), (3, "linkedin nudge".into()), "voicemail");
    assert_eq!(step_of(&w, next[2]), (2, "second call".into()), "no answer: the next step in the file");
    // The branch's step is scheduled by the usual rules: a business day
    // after the call for the nudge (delay 1), in the rep's working hours.
    let nudge = w.engine.touch(next[1]).unwrap().touch;
    assert!(nudge.due_at > at && nudge.due_at <= at + Duration::days(3), "{}", nudge.due_at);
    assert_eq!(nudge.channel, Channel::LinkedinMessage);

    // The voicemail path: the nudge, then the breakup, whose `always = end`
    // finishes the sequence without "as discussed".
    let later = at + Duration::days(10);
    w.engine.complete(next[1], Outcome::Done { notes: None }, later).unwrap();
    let breakup = open(&w, people[1], later + Duration::days(10)).unwrap();
    assert_eq!(step_of(&w, breakup).1, "breakup");
    w.engine.complete(breakup, Outcome::Approve { subject: None, body: None }, later + Duration::days(10)).unwrap();
    let e = w.engine.touch(breakup).unwrap().enrollment;
    assert_eq!(e.state, EnrollmentState::Finished, "ended at the breakup");
    assert_eq!(open(&w, people[1], later + Duration::days(30)), None);
}

#[test]
fn the_linter_follows_each_path_not_the_file_order() {
    let seq = parse_sequence("b.toml", BRANCHING).unwrap();
    let findings = lint(&seq);
    // The connected path is opener → first call → as discussed: three
    // touches, and no breakup on it.
    let short = findings
        .iter()
        .find(|f| f.rule == Rule::TouchCount && f.message.starts_with("on the path 1 → 2 → 6:"))
        .expect("the connected path's count");
    assert!(short.message.contains("3 touches"), "{}", short.message);
    assert!(findings.iter().any(|f| f.rule == Rule::NoBreakup && f.message.starts_with("on the path 1 → 2 → 6:")));
    // The voicemail path ends at the breakup, so it has its closing touch.
    assert!(!findings.iter().any(|f| f.rule == Rule::NoBreakup && f.message.starts_with("on the path 1 → 2 → 4 → 5:")), "{findings:?}");
    // "as discussed" is 0 days after the call on its path, but it follows a
    // conversation (the connected branch), so it is not too close; in file
    // order it would have been judged against the breakup.
    let spacing: Vec<_> = findings.iter().filter(|f| f.rule == Rule::Spacing).map(|f| f.message.as_str()).collect();
    assert!(!spacing.iter().any(|m| m.contains("step 6 (Email)")), "{spacing:?}");
    assert!(!spacing.iter().any(|m| m.contains("after step 5")), "{spacing:?}");
    // The same email reached by `always` from the call is judged as usual.
    let always = BRANCHING.replace("connected = \"as discussed\"\nvoicemail = \"linkedin nudge\"", "always = \"as discussed\"");
    let f = lint(&parse_sequence("b.toml", &always).unwrap());
    assert!(
        f.iter().any(|f| f.rule == Rule::Spacing && f.message.contains("step 6 (Email) comes 0 business day(s) after step 2 (Call)")),
        "{f:?}"
    );
}
