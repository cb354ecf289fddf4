//! 10,000 signals from one file turned into proposals (issue 17's target:
//! under 1 s), against the baseline of importing the same 10,000 people as
//! a prospects CSV, measured in the same run.
//!
//!     cargo run --release -p cadence-engine --example signals_bench -- [--signals 10000] [--runs 5]
//!
//! Each run starts from a fresh copy of one workspace: 10,000 prospects at
//! 10,000 companies, and a rule that proposes a sequence for a job change.
//! The signals file names each of them once (half by email, half by company
//! domain), so every signal becomes one proposal.

use std::time::Instant;

use chrono::{DateTime, Utc};
use engine::api::{ImportOptions, SignalRule};
use engine::signal::SignalKind;
use engine::Engine;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let n = arg("--signals", 10_000);
    let runs = arg("--runs", 5);
    let now: DateTime<Utc> = "2026-12-07T15:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut people = String::from("first_name,last_name,email,company,title\n");
    let mut signals = String::from("kind,email,domain,text,source,when\n");
    for i in 0..n {
        people += &format!("P{i},Q{i},p{i}@co{i}.example,Company {i},VP Sales\n");
        if i % 2 == 0 {
            signals += &format!("job change,p{i}@co{i}.example,,Joined Company {i} as VP Sales,LinkedIn,2026-12-0{}\n", 1 + i % 6);
        } else {
            signals += &format!("job change,,co{i}.example,A new VP Sales started at Company {i},LinkedIn,2026-12-0{}\n", 1 + i % 6);
        }
    }
    let base = dir.path().join("base.db");
    {
        let mut eng = Engine::open(&base, now).unwrap();
        eng.import_csv("people.csv", people.as_bytes(), &ImportOptions::default(), now).unwrap();
        let rule = SignalRule { kind: SignalKind::JobChange, sequence: "cold-short-14d".into(), enroll: false, cooldown_days: 30 };
        eng.set_signal_rule(&rule, now).unwrap();
    }
    let (mut took, mut baseline) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let db = dir.path().join(format!("run{run}.db"));
        std::fs::copy(&base, &db).unwrap();
        let mut eng = Engine::open(&db, now).unwrap();
        let t = Instant::now();
        let r = eng.import_signals("signals.csv", signals.as_bytes(), now).unwrap();
        took.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!((r.stored, r.proposed()), (n, n), "every signal a proposal");

        let fresh = dir.path().join(format!("fresh{run}.db"));
        let mut eng = Engine::open(&fresh, now).unwrap();
        let t = Instant::now();
        eng.import_csv("people.csv", people.as_bytes(), &ImportOptions::default(), now).unwrap();
        baseline.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (m, lo, hi) = median(took);
    let (bm, blo, bhi) = median(baseline);
    println!("{n} signals -> {n} proposals: median {m:.1} ms (range {lo:.1}-{hi:.1}) over {runs} runs");
    println!("baseline, the same {n} people imported as prospects: median {bm:.1} ms (range {blo:.1}-{bhi:.1})");
    println!("ratio signals/prospect import: {:.2}", m / bm);
}
