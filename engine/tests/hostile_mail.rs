//! Mail anyone can send, built to hurt: each used to crash the process or
//! take seconds to minutes (issue 14). Classification must finish, without
//! growing the stack with the input, and still say the right thing. How
//! fast is measured in `examples/hostile_bench.rs` (BENCHMARKS.md), not here.

use chrono::NaiveDate;
use engine::mail::{classify, Kind};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn message(headers: &str, body: &str) -> Vec<u8> {
    format!("From: someone@example.com\r\nTo: rep@example.test\r\nMessage-ID: <x@example.com>\r\n{headers}\r\n\r\n{body}").into_bytes()
}

/// Runs `f` on a thread with a small stack (256 KiB), so input-driven
/// recursion fails here rather than passing on a big default stack.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 * 1024).spawn(f).unwrap().join().expect("classification crashed")
}

#[test]
fn a_body_of_opt_out_look_alikes_does_not_overflow_the_stack() {
    // "please stop by" looks like "please stop" (an opt-out) and is not one.
    let body = "please stop by ".repeat(200_000);
    let raw = message("Subject: Coffee?", &body);
    let c = small_stack(move || classify(&raw, None, today()));
    assert_eq!(c.kind, Kind::Reply, "{}", c.evidence);
}

#[test]
fn one_huge_line_is_read_only_up_to_the_cap() {
    // A 3 MB single line ending in an opt-out: past the 6 KiB the message's
    // own text is cut, so the phrase at the very end is not seen.
    let body = format!("{}please unsubscribe me", "word ".repeat(600_000));
    let raw = message("Subject: hi", &body);
    let c = small_stack(move || classify(&raw, None, today()));
    assert_eq!(c.kind, Kind::Reply);
    // Near the start it is.
    let raw = message("Subject: hi", &format!("please unsubscribe me {}", "word ".repeat(600_000)));
    assert_eq!(small_stack(move || classify(&raw, None, today())).kind, Kind::Unsubscribe);
}

#[test]
fn a_megabyte_of_dates_and_keywords_still_finds_the_return_date() {
    // "1 jan ... until ..." repeated: many dates, many keywords.
    let body = format!("I am out of the office until 3 December.\n{}", "1 jan back until 2 jan, 3 feb until 4 feb; ".repeat(25_000));
    assert!(body.len() > 1_000_000);
    let raw = message("Subject: Automatic reply: away\r\nAuto-Submitted: auto-replied", &body);
    let c = small_stack(move || classify(&raw, None, today()));
    assert_eq!(c.kind, Kind::AutoReply);
    assert_eq!(c.return_date, NaiveDate::from_ymd_opt(2026, 12, 3), "the date announced first");
}

#[test]
fn a_huge_subject_is_not_searched_whole() {
    let subject = format!("Automatic reply: {}", "out until 5 jan ".repeat(60_000));
    let raw = message(&format!("Subject: {subject}\r\nAuto-Submitted: auto-replied"), "Away this week.");
    let c = small_stack(move || classify(&raw, None, today()));
    assert_eq!(c.kind, Kind::AutoReply);
}

#[test]
fn a_bounce_naming_thousands_of_addresses_ends_and_finds_the_recipient() {
    let to: Vec<String> = (0..20_000).map(|i| format!("r{i}@example.test")).collect();
    let mut body = String::from(
        "This is the mail system at host mx.example.com.\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n",
    );
    for a in &to {
        body += &format!("<{a}>: ok\n");
    }
    body += "<dana@lumenfield.com>: host mx.lumenfield.com said: 550 5.1.1 User unknown\n";
    let raw = format!(
        "From: MAILER-DAEMON@mx.example.com\r\nTo: {}\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b@mx.example.com>\r\n\r\n{body}",
        to.join(", ")
    )
    .into_bytes();
    let c = small_stack(move || classify(&raw, None, today()));
    assert_eq!(c.kind, Kind::Bounce);
    let b = c.bounce.unwrap();
    assert_eq!(b.recipient.as_deref(), Some("dana@lumenfield.com"));
    assert!(b.hard);
}
