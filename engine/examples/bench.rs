//! Benchmarks for the engine's speed targets, on generated data.
//!
//!     cargo run --release -p cadence-engine --example bench -- [--prospects 100000] [--runs 30]
//!
//! Prints medians (and min/max) of repeated runs; see BENCHMARKS.md.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use engine::api::{ImportOptions, QueueOptions, SampleOptions, Selection};
use engine::Engine;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Stats(Vec<Duration>);
impl Stats {
    fn median(&self) -> Duration {
        let mut v = self.0.clone();
        v.sort();
        v[v.len() / 2]
    }
    fn line(&self, what: &str) -> String {
        let mut v = self.0.clone();
        v.sort();
        format!("{what:<58} median {:>9.2} ms  (min {:.2}, max {:.2}, n={})", ms(self.median()), ms(v[0]), ms(v[v.len() - 1]), v.len())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn csv_rows(n: usize, offset: usize) -> String {
    const CITIES: &[(&str, &str)] =
        &[("Austin", "United States"), ("Berlin", "Germany"), ("Madrid", "Spain"), ("Bengaluru", "India"), ("London", "United Kingdom")];
    let mut s = String::with_capacity(n * 140);
    s.push_str("First Name,Last Name,Email,Company,Title,Phone,City,Country\n");
    for i in offset..offset + n {
        let (city, country) = CITIES[i % CITIES.len()];
        s.push_str(&format!(
            "First{i},Last{i},person{i}@company{}.example,\"Company {}, Inc\",Head of Sales,+1 512 555 {:04},{city},{country}\n",
            i % 9000,
            i % 9000,
            i % 10000
        ));
    }
    s
}

fn main() {
    let prospects = arg("--prospects", 100_000);
    let runs = arg("--runs", 30);
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "Cadence engine benchmarks · {prospects} prospects · {} · {} cores",
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // 1. The big workspace.
    let path = dir.path().join("big.db");
    let mut eng = Engine::open(&path, now).unwrap();
    let (gen, r) = time(|| {
        eng.generate_sample(
            &SampleOptions { rep_timezone: Some(chrono_tz::America::New_York), active_percent: 100, ..SampleOptions::new(prospects, 1) },
            now,
        )
        .unwrap()
    });
    let count = |sql: &str| -> i64 { eng.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    println!(
        "generated in {:.1} s: {} prospects, {} active enrollments, {} touches ({} worked), {} activity rows",
        gen.as_secs_f64(),
        r.prospects,
        count("SELECT count(*) FROM enrollments WHERE state = 'active'"),
        count("SELECT count(*) FROM touches"),
        count("SELECT count(*) FROM touches WHERE state <> 'pending'"),
        count("SELECT count(*) FROM activity"),
    );
    drop(eng);

    // 2. The day's queue (fresh connection, as at app start, then warm).
    let eng = Engine::open(&path, now).unwrap();
    let first = eng.queue(now, &QueueOptions { limit: Some(200), channel: None }).unwrap();
    println!("today's queue: {} due ({} overdue); the first page shows {}", first.total, first.overdue, first.items.len());
    let page = Stats((0..runs).map(|_| time(|| eng.queue(now, &QueueOptions { limit: Some(200), channel: None }).unwrap()).0).collect());
    println!("{}", page.line("queue: counts + first 200 items (what a screen shows)"));
    let full = Stats((0..runs.min(10)).map(|_| time(|| eng.queue(now, &QueueOptions::default()).unwrap()).0).collect());
    println!("{}", full.line(&format!("queue: counts + all {} items", first.total)));
    drop(eng);

    // 3. Enrolling 10k prospects (each run: import 10k new ones, then enroll them).
    let mut eng = Engine::open(&path, now).unwrap();
    let enroll_runs = 5;
    let mut samples = Vec::new();
    for run in 0..enroll_runs {
        let csv = csv_rows(10_000, 10_000_000 + run * 10_000);
        let rep = eng.import_csv("enroll.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
        let (d, r) = time(|| eng.enroll(&Selection::Import(rep.import_id), "cold-short-14d", false, now).unwrap());
        assert_eq!(r.enrolled.len(), 10_000);
        samples.push(d);
    }
    println!("{}", Stats(samples).line("enroll 10,000 prospects (into a 100k database)"));
    drop(eng);

    // 4. CSV import of 100k rows vs a plain bulk insert of the same rows, same run.
    let n = 100_000;
    let csv = csv_rows(n, 0);
    let parsed = engine::import::parse(csv.as_bytes(), &Default::default(), None, &Default::default()).unwrap();
    let rows: Vec<_> = parsed.rows.into_iter().map(|(_, p)| p).collect();
    let (mut imp, mut base) = (Vec::new(), Vec::new());
    for i in 0..5 {
        let mut e = Engine::open(&dir.path().join(format!("imp{i}.db")), now).unwrap();
        let (d, r) = time(|| e.import_csv("big.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap());
        assert_eq!(r.imported, n);
        imp.push(d);
        let e = Engine::open(&dir.path().join(format!("base{i}.db")), now).unwrap();
        let mut conn = rusqlite_conn(e);
        let (d, _) = time(|| engine::testing::insert_plain(&mut conn, &rows, now).unwrap());
        base.push(d);
    }
    let (imp, base) = (Stats(imp), Stats(base));
    println!("{}", imp.line(&format!("CSV import of {n} rows ({:.1} MB)", csv.len() as f64 / 1e6)));
    println!("{}", base.line(&format!("baseline: plain insert of the same {n} rows")));
    println!("import / baseline (medians): {:.2}x", imp.median().as_secs_f64() / base.median().as_secs_f64());
}

/// The engine's connection, for the baseline (same pragmas, same schema).
fn rusqlite_conn(e: Engine) -> rusqlite::Connection {
    let path = e.connection().path().unwrap().to_string();
    drop(e);
    engine::testing::open(std::path::Path::new(&path)).unwrap()
}
