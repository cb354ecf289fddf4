//! Backups of the big workspace, and the rep's speed while one runs.
//!
//!     cargo run --release -p cadence-engine --example backup_bench -- [--prospects 100000] [--runs 5] [--db PATH]
//!
//! With `--db PATH` that workspace is used, generated there first when the
//! file does not exist (about 30 s for 100k prospects on a quiet machine);
//! without it, one is generated in a temporary directory.
//! Measures: the check on open (`PRAGMA quick_check`) against opening
//! without it (a plain rusqlite open, the baseline); a backup
//! (`backup_file`, SQLite's online backup API); and approve-and-next
//! (approve an email, then read the queue's first page, as the app does) on
//! its own connection, idle and while a backup runs. See BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use engine::api::{Outcome, QueueOptions, SampleOptions};
use engine::domain::Channel;
use engine::Engine;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn line(what: &str, mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
    format!("{what:<62} median {:>9.2} ms  (min {:.2}, p95 {:.2}, max {:.2}, n={})", at(0.5), at(0.0), at(0.95), at(1.0), v.len())
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

/// Approve the next email in the queue and read the first page again: what
/// Ctrl+Enter costs the engine. Returns each one's time until `stop`.
fn approve_and_next(db: &Path, now: DateTime<Utc>, stop: &AtomicBool, max: usize) -> Vec<Duration> {
    let mut eng = Engine::open(db, now).unwrap();
    let emails = QueueOptions { limit: Some(200), channel: Some(Channel::Email) };
    let mut out = Vec::new();
    while !stop.load(Ordering::SeqCst) && out.len() < max {
        let t = Instant::now();
        let q = eng.queue(now, &emails).unwrap();
        let first = q.items.first().expect("emails due");
        match eng.complete(first.touch_id, Outcome::Approve { subject: None, body: None }, now) {
            Ok(_) => {
                eng.queue(now, &QueueOptions { limit: Some(200), channel: None }).unwrap();
                out.push(t.elapsed());
            }
            // A draft with a blank cannot be approved: out of the way, not timed.
            Err(engine::Error::Blocked { .. }) => {
                eng.complete(first.touch_id, Outcome::Skip { reason: None }, now).unwrap();
            }
            Err(e) => panic!("{e}"),
        }
    }
    out
}

fn main() {
    let prospects: usize = arg("--prospects").and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(5);
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = match arg("--db").map(PathBuf::from) {
        Some(p) if p.exists() => p,
        given => {
            let db = given.unwrap_or_else(|| dir.path().join("big.db"));
            let mut eng = Engine::open(&db, now).unwrap();
            let (d, _) = timed(|| {
                let opts = SampleOptions {
                    rep_timezone: Some(chrono_tz::America::New_York),
                    active_percent: 100,
                    ..SampleOptions::new(prospects, 1)
                };
                eng.generate_sample(&opts, now).unwrap()
            });
            println!("generated {prospects} prospects in {:.1} s", d.as_secs_f64());
            db
        }
    };
    {
        let eng = Engine::open(&db, now).unwrap();
        let count = |sql: &str| -> i64 { eng.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
        println!(
            "workspace: {} prospects, {} touches, {} activity rows, {:.0} MB",
            count("SELECT count(*) FROM prospects"),
            count("SELECT count(*) FROM touches"),
            count("SELECT count(*) FROM activity"),
            std::fs::metadata(&db).unwrap().len() as f64 / 1e6
        );
    }

    // 1. The check on open, against a plain open (same file, warm cache).
    let plain: Vec<Duration> = (0..runs)
        .map(|_| {
            timed(|| {
                let c = rusqlite::Connection::open(&db).unwrap();
                c.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0)).unwrap()
            })
            .0
        })
        .collect();
    println!("{}", line("baseline: plain open and one read", plain));
    let checked: Vec<Duration> = (0..runs).map(|_| timed(|| engine::api::inspect(&db).unwrap()).0).collect();
    println!("{}", line("the check on open (quick_check, schema version)", checked));
    let opened: Vec<Duration> = (0..runs).map(|_| timed(|| Engine::open(&db, now).unwrap()).0).collect();
    println!("{}", line("Engine::open in all (check, migrations, playbooks)", opened));

    // 2. Backups.
    let mut sizes = 0;
    let backups: Vec<Duration> = (0..runs)
        .map(|i| {
            let dest = dir.path().join(format!("backup-{i}.db"));
            let (d, size) = timed(|| engine::api::backup_file(&db, &dest).unwrap());
            sizes = size;
            std::fs::remove_file(&dest).unwrap();
            d
        })
        .collect();
    println!("{}", line(&format!("backup ({:.0} MB)", sizes as f64 / 1e6), backups));

    // 3. Approve-and-next, idle and during backups.
    let idle = approve_and_next(&db, now, &AtomicBool::new(false), 30);
    println!("{}", line("approve-and-next, idle", idle));
    let stop = Arc::new(AtomicBool::new(false));
    let backing_up = {
        let (db, dest, stop) = (db.clone(), dir.path().join("during"), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            let started = Instant::now();
            while n < runs {
                let file = dest.with_extension(format!("{n}.db"));
                engine::api::backup_file(&db, &file).unwrap();
                std::fs::remove_file(&file).unwrap();
                n += 1;
            }
            stop.store(true, Ordering::SeqCst);
            (n, started.elapsed())
        })
    };
    let during = approve_and_next(&db, now, &stop, usize::MAX);
    let (n, spent) = backing_up.join().unwrap();
    println!("{}", line(&format!("approve-and-next during {n} backups ({:.1} s)", spent.as_secs_f64()), during));
}
