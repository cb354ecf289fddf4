//! The backlog re-plan's preview on about 2,000 overdue touches over 10
//! working days, as the dialog asks for it on each change of its numbers.
//!
//!     cargo run --release -p cadence-engine --example replan_bench -- [--prospects 3000] [--runs 7]
//!
//! A sample workspace is generated, then read as if the rep had worked
//! nothing for eight days, so most of its touches are overdue.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use engine::api::{QueueOptions, SampleOptions};
use engine::Engine;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let prospects = arg("--prospects", 3000);
    let runs = arg("--runs", 7);
    let start: DateTime<Utc> = "2026-11-16T14:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut eng = Engine::open(&dir.path().join("c.db"), start).unwrap();
    let opts = SampleOptions { rep_timezone: Some(chrono_tz::America::New_York), active_percent: 100, ..SampleOptions::new(prospects, 11) };
    eng.generate_sample(&opts, start).unwrap();
    let now = start + Duration::days(8);
    let overdue = eng.queue(now, &QueueOptions { limit: Some(1), channel: None }).unwrap().overdue;
    let cap = overdue.div_ceil(10) + 50;
    let mut times = Vec::new();
    let mut moves = 0;
    for _ in 0..runs {
        let t = Instant::now();
        moves = eng.replan_preview(10, cap, now).unwrap().moves.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{overdue} overdue, {moves} in the plan over 10 days at most {cap} a day: preview median {:.1} ms ({:.1}-{:.1}, {runs} runs)",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
}
