//! A bulk action on 1,000 selected touches, as the app runs it (one call,
//! all or nothing, kept for undo), against the same 1,000 worked one call at
//! a time; and the undo of that bulk action.
//!
//!     cargo run --release -p cadence-engine --example bulk_bench -- [--prospects 5000] [--runs 5]
//!
//! A sample workspace is generated once; each run works on a fresh copy of
//! it, so every run snoozes (and skips) the same 1,000 due touches.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Utc};
use engine::api::{BulkAction, QueueOptions, SampleOptions};
use engine::Engine;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn selection(db: &Path, now: DateTime<Utc>) -> (Engine, Vec<i64>) {
    let eng = Engine::open(db, now).unwrap();
    let q = eng.queue(now, &QueueOptions::default()).unwrap();
    let ids: Vec<i64> = q.items.iter().take(1000).map(|i| i.touch_id).collect();
    (eng, ids)
}

fn main() {
    let prospects = arg("--prospects", 5000);
    let runs = arg("--runs", 5);
    let now: DateTime<Utc> = "2026-11-24T15:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    {
        let mut eng = Engine::open(&base, now).unwrap();
        let opts =
            SampleOptions { rep_timezone: Some(chrono_tz::America::New_York), active_percent: 100, ..SampleOptions::new(prospects, 7) };
        eng.generate_sample(&opts, now).unwrap();
    }
    let until = now + chrono::Duration::days(2);
    let mut one_call = Vec::new();
    let mut each = Vec::new();
    let mut skips = Vec::new();
    let mut undos = Vec::new();
    let mut undo_skips = Vec::new();
    let mut selected = 0;
    for run in 0..runs {
        for (kind, out) in
            [("bulk", &mut one_call), ("each", &mut each), ("skip", &mut skips), ("undo", &mut undos), ("undo-skip", &mut undo_skips)]
        {
            let db = dir.path().join(format!("run{run}-{kind}.db"));
            std::fs::copy(&base, &db).unwrap();
            let (mut eng, ids) = selection(&db, now);
            selected = ids.len();
            if kind == "undo" {
                eng.undoable(&ids, now, |e| e.bulk(&ids, &BulkAction::Snooze(until), now), |n| format!("Snoozed {n}")).unwrap();
            }
            if kind == "undo-skip" {
                let skip = BulkAction::Skip(None);
                eng.undoable(&ids, now, |e| e.bulk(&ids, &skip, now), |n| format!("Skipped {n}")).unwrap();
            }
            let start = Instant::now();
            match kind {
                "bulk" => {
                    eng.undoable(&ids, now, |e| e.bulk(&ids, &BulkAction::Snooze(until), now), |n| format!("Snoozed {n}")).unwrap();
                }
                "undo" | "undo-skip" => {
                    eng.undo(now).unwrap();
                }
                "each" => {
                    for &id in &ids {
                        eng.snooze(id, until, now).unwrap();
                    }
                }
                _ => {
                    let skip = BulkAction::Skip(Some("backlog".into()));
                    eng.undoable(&ids, now, |e| e.bulk(&ids, &skip, now), |n| format!("Skipped {n}")).unwrap();
                }
            }
            out.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let show = |what: &str, v: Vec<f64>| {
        let (m, lo, hi) = median(v);
        println!("{what}: median {m:.1} ms ({lo:.1}-{hi:.1}, {runs} runs)");
    };
    println!("{selected} touches selected from a {prospects}-prospect sample workspace");
    show("bulk snooze, one call (all or nothing)", one_call);
    show("snooze one call per touch (baseline)", each);
    show("bulk skip, one call", skips);
    show("undo of a bulk snooze of them all", undos);
    show("undo of a bulk skip of them all (each skip made the next touch)", undo_skips);
}
