//! Results benchmark: all figures for one sequence with 100k enrollments and
//! 1M activity rows (the target: under 200 ms median).
//!
//!     cargo run --release -p cadence-engine --example results_bench -- [--enrollments 100000] [--runs 11]
//!
//! The history is written straight into a real database file, shaped like a
//! three-week cold sequence worked for six months: per enrollment about ten
//! rows (enrolled, emails sent, calls, LinkedIn touches, the end), with
//! replies, tags, meetings, bounces and unsubscribes at realistic rates.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use engine::api::Span;
use engine::Engine;
use rusqlite::params;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn line(what: &str, mut v: Vec<Duration>) -> String {
    v.sort();
    format!("{what:<52} median {:>8.1} ms  (min {:.1}, max {:.1}, n={})", ms(v[v.len() / 2]), ms(v[0]), ms(v[v.len() - 1]), v.len())
}

/// SplitMix64, so every run builds the same history.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

const SLUG: &str = "cold-outbound-21d";

/// Logs one activity row: at, kind, enrollment, step, variant, label, data.
type Log<'a> = dyn FnMut(i64, &str, i64, i64, Option<i64>, Option<&str>, &str) + 'a;

fn main() {
    let enrollments = arg("--enrollments", 100_000) as i64;
    let runs = arg("--runs", 11);
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var_os("RESULTS_BENCH_DB").map_or_else(|| dir.path().join("cadence.db"), std::path::PathBuf::from);
    let eng = Engine::open(&path, now).unwrap();
    let seq = eng.sequences().unwrap().into_iter().find(|s| s.slug == SLUG).unwrap();
    drop(eng);

    let t = Instant::now();
    let rows = generate(&path, seq.id, enrollments, now);
    println!(
        "Results benchmark · {enrollments} enrollments · {rows} activity rows for {SLUG} · generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let eng = Engine::open(&path, now).unwrap();
    let mut all = Vec::new();
    let mut quarter = Vec::new();
    let mut overview = Vec::new();
    let mut check = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = eng.results(SLUG, Span::default(), now).unwrap();
        all.push(t.elapsed());
        check = Some(r);
        let t = Instant::now();
        eng.results(SLUG, Span { from: Some(now - chrono::Duration::days(90)), to: None }, now).unwrap();
        quarter.push(t.elapsed());
        let t = Instant::now();
        eng.results_overview(Span::default()).unwrap();
        overview.push(t.elapsed());
    }
    let r = check.unwrap();
    let f = &r.figures;
    println!(
        "  figures: enrolled {} · sent {} · replies {} ({:.1}%) · positive {} · meetings {} · bounces {}+{} · unsubscribes {} · {} trend weeks · {} advice",
        f.enrolled,
        f.emails_sent,
        f.replies,
        f.reply_rate().unwrap_or(0.0) * 100.0,
        f.positive,
        f.meetings,
        f.bounces_hard,
        f.bounces_soft,
        f.unsubscribes,
        r.trend.len(),
        r.advice.len()
    );
    println!("{}", line("all figures, all time (target < 200 ms)", all));
    println!("{}", line("all figures, last 90 days", quarter));
    println!("{}", line("headline figures of every sequence", overview));
    let t = Instant::now();
    let n = eng.export_activity(Span::default(), Some(SLUG), std::io::sink()).unwrap();
    println!("activity export of {n} rows to CSV: {:.0} ms", ms(t.elapsed()));
}

/// Writes the history; returns the activity rows for the sequence.
fn generate(path: &std::path::Path, seq: i64, enrollments: i64, now: DateTime<Utc>) -> u64 {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    // Each enrollment row is written after its history.
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    let end = now.timestamp();
    let start = end - 180 * 86_400;
    let mut rng = Rng(42);
    let mut rows = 0u64;
    {
        let mut prospect = tx
            .prepare("INSERT INTO prospects (id, email, tz_source, domain, created_at, updated_at) VALUES (?1, ?2, 'unknown', ?3, ?4, ?4)")
            .unwrap();
        let mut enrollment = tx.prepare("INSERT INTO enrollments (id, prospect_id, sequence_id, state, exit_reason, step, enrolled_at, updated_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)").unwrap();
        let mut inbound = tx.prepare("INSERT INTO inbound (id, folder, uidvalidity, uid, received_at, kind, prospect_id, action) VALUES (?1, 'INBOX', 1, ?1, ?2, ?3, ?4, '')").unwrap();
        let mut act = tx.prepare("INSERT INTO activity (at, kind, prospect_id, enrollment_id, sequence_id, step, variant, label, data) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8)").unwrap();
        let mut log = |at: i64, kind: &str, id: i64, step: i64, variant: Option<i64>, label: Option<&str>, data: &str| {
            act.execute(params![at.min(end - 1), kind, id, seq, step, variant, label, data]).unwrap();
            rows += 1;
        };
        let mut inbound_id = 0i64;
        // The cold playbook: email, view, call, connect, email, call, message, email, call, email.
        let plan = ["email", "linkedin_view", "call", "linkedin_connect", "email", "call", "linkedin_message", "email", "call", "email"];
        for id in 1..=enrollments {
            let at0 = start + rng.below(170 * 86_400) as i64;
            prospect.execute(params![id, format!("p{id}@c{}.example", id % 5000), format!("c{}.example", id % 5000), at0]).unwrap();
            log(at0, "enrolled", id, 0, None, None, "{}");
            let mut at = at0;
            let mut ended = None;
            let mut last = 0;
            for (step, channel) in plan.iter().enumerate() {
                at += 2 * 86_400 + rng.below(3_600) as i64;
                if at >= end || ended.is_some() {
                    break;
                }
                last = step as i64;
                let step = step as i64;
                match *channel {
                    "email" => {
                        let variant = (step == 0).then_some(id % 2);
                        log(at, "email_sent", id, step, variant, None, "{}");
                        let roll = rng.below(1000);
                        let mut mail = |kind: &str, label: &str, extra: &str, log: &mut Log<'_>| {
                            inbound_id += 1;
                            inbound.execute(params![inbound_id, at + 7_200, kind, id]).unwrap();
                            log(
                                at + 7_200,
                                "mail_received",
                                id,
                                step,
                                variant,
                                Some(label),
                                &format!("{{\"inbound\":{inbound_id},\"kind\":\"{kind}\"{extra}}}"),
                            );
                            inbound_id
                        };
                        if roll < 40 {
                            let m = mail("reply", "reply", "", &mut log);
                            let tag = ["positive", "neutral", "negative"][rng.below(3) as usize];
                            log(
                                at + 9_000,
                                "reply_tagged",
                                id,
                                step,
                                variant,
                                Some(tag),
                                &format!("{{\"inbound\":{m},\"sentiment\":\"{tag}\"}}"),
                            );
                            if tag == "positive" && rng.below(2) == 0 {
                                log(at + 9_000, "meeting_booked", id, step, variant, Some("reply"), &format!("{{\"inbound\":{m}}}"));
                            }
                            ended = Some("replied");
                        } else if roll < 55 && step == 0 {
                            mail("bounce", "bounce", ",\"hard\":true", &mut log);
                            ended = Some("bounced");
                        } else if roll < 62 {
                            mail("unsubscribe", "unsubscribe", "", &mut log);
                            ended = Some("unsubscribed");
                        } else if roll < 70 {
                            mail("auto_reply", "auto_reply", "", &mut log);
                        }
                    }
                    "call" => {
                        let outcome = match rng.below(40) {
                            0 => "meeting_booked",
                            1 => "not_interested",
                            n => ["connected", "voicemail", "no_answer", "no_answer", "no_answer", "wrong_number"][n as usize % 6],
                        };
                        log(at, "call_logged", id, step, None, Some(outcome), &format!("{{\"outcome\":\"{outcome}\"}}"));
                        if outcome == "meeting_booked" || outcome == "not_interested" {
                            ended = Some(outcome);
                        }
                    }
                    other => log(at, "touch_done", id, step, None, Some(other), &format!("{{\"channel\":\"{other}\"}}")),
                }
            }
            let (state, reason) = match ended {
                Some(r) => {
                    log(at + 7_300, "exited", id, last, None, Some(r), &format!("{{\"reason\":\"{r}\"}}"));
                    ("exited", Some(r))
                }
                None if last == plan.len() as i64 - 1 => {
                    log(at, "finished", id, last, None, None, "{}");
                    ("finished", None)
                }
                None => ("active", None),
            };
            enrollment.execute(params![id, seq, state, reason, last, at0]).unwrap();
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    rows
}
