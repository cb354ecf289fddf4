//! Team benchmarks on loopback (the test server from `scripts/team-pg`):
//!
//! - do-not-contact fan-out: desktop A lists an address (its engine writes
//!   the op in the same transaction), pushes it; desktop B, LISTENing, is
//!   woken, pulls and applies it (its enrollment there ends). Timed from the
//!   start of A's write to the end of B's apply, over 200 entries.
//! - `may_send`: the server's answer for one address, as the mail loop asks
//!   before each email, against the local list check it adds to.
//!
//! Run with the test server up:
//!
//! ```text
//! scripts/team-pg start
//! cargo run --release -p cadence-team --example team_bench -- [--entries 200]
//! ```

use std::time::Instant;

use chrono::{DateTime, Utc};
use engine::api::{ImportOptions, Selection, TeamAck, TeamChange, TeamSettings};
use engine::Engine;
use team::{add_member, init, Client, Op, Target};
use tokio_postgres::NoTls;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn quantiles(mut v: Vec<f64>) -> (f64, f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    (q(0.5), q(0.95), v[0], v[v.len() - 1])
}

fn admin(db: &str) -> String {
    let run = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/team-pg/run").canonicalize().expect("scripts/team-pg start");
    format!("host={} port=55432 user=postgres dbname={db}", run.display())
}

/// Pushes everything waiting in `e`'s outbox.
async fn push(e: &mut Engine, c: &Client, now: DateTime<Utc>) {
    let ops = e.team_ops(100).unwrap();
    let fix: Vec<(i64, String)> = ops.iter().filter(|o| o.uid.is_none()).map(|o| (o.id, uuid::Uuid::now_v7().to_string())).collect();
    e.team_fix_uids(&fix).unwrap();
    let ops = e.team_ops(100).unwrap();
    let sent: Vec<Op> = ops.iter().map(|o| Op { uid: o.uid.clone().unwrap(), kind: o.kind.clone(), body: o.body.clone() }).collect();
    let r = c.push(&sent).await.unwrap();
    let acks: Vec<TeamAck> = ops.iter().zip(r).map(|(o, r)| TeamAck { id: o.id, retry: r.retry, result: r.raw }).collect();
    e.team_acked(&acks, now).unwrap();
}

/// Pulls and applies everything after `e`'s cursor; how many enrollments ended.
async fn pull(e: &mut Engine, c: &Client, now: DateTime<Utc>) -> usize {
    let after = e.team_status(now).unwrap().position;
    let rows = c.pull(after, 500).await.unwrap();
    let changes: Vec<TeamChange> = rows.into_iter().map(|r| TeamChange { seq: r.seq, kind: r.kind, key: r.key, body: r.body }).collect();
    e.team_apply(&changes, now).unwrap().ended
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n = arg("--entries", 200);
    let now: DateTime<Utc> = "2026-11-24T15:00:00Z".parse().unwrap();
    let db = format!("bench_{}", std::process::id());
    let (su, conn) = tokio_postgres::connect(&admin("postgres"), NoTls).await.unwrap();
    tokio::spawn(conn);
    su.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
    su.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
    let (adm, _) = Target::parse(&admin(&db)).unwrap();
    init(&adm, None).await.unwrap();
    let public = format!("postgres://127.0.0.1:55432/{db}");
    let dir = tempfile::tempdir().unwrap();
    let mut people = String::from("email,first_name,company\n");
    for i in 0..n {
        people += &format!("p{i}@co{i}.example,P{i},Co {i}\n");
    }
    let mut desk = Vec::new();
    for name in ["a", "b"] {
        let m = add_member(&adm, None, &format!("{name}{}", std::process::id()), false, &public).await.unwrap();
        let (target, secret) = Target::parse(&m.secret_url).unwrap();
        let client = Client::connect(&target, secret.as_deref()).await.unwrap();
        let mut e = Engine::open(&dir.path().join(format!("{name}.db")), now).unwrap();
        e.import_csv("people.csv", people.as_bytes(), &ImportOptions::default(), now).unwrap();
        e.enroll(&Selection::All, "cold-outbound-21d", false, now).unwrap();
        e.join_team(&TeamSettings { url: target.url.clone(), role: target.role().into(), grace_s: 900 }, now).unwrap();
        desk.push((e, client, target, secret));
    }
    let (mut b_engine, b_client, b_target, b_secret) = desk.pop().unwrap();
    let (mut a_engine, a_client, _, _) = desk.pop().unwrap();
    let mut woken = team::listen(&b_target, b_secret.as_deref()).await.unwrap();

    let mut fanout = Vec::new();
    for i in 0..n {
        let t = Instant::now();
        a_engine.add_do_not_contact(&format!("p{i}@co{i}.example"), "asked to stop", now).unwrap();
        push(&mut a_engine, &a_client, now).await;
        assert_eq!(woken.recv().await, Some(true), "B is told");
        let ended = pull(&mut b_engine, &b_client, now).await;
        fanout.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(ended, 1, "B's enrollment there ended");
    }
    let (p50, p95, lo, hi) = quantiles(fanout);
    println!(
        "do-not-contact fan-out, A's write to B's applied exit, {n} entries: p50 {p50:.2} ms, p95 {p95:.2} ms (range {lo:.2}-{hi:.2})"
    );

    let mut remote = Vec::new();
    let mut local = Vec::new();
    for i in 0..1000 {
        let address = format!("someone{i}@co{}.example", i % (2 * n));
        let t = Instant::now();
        let m = b_client.may_send(&address).await.unwrap();
        remote.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(m.ok || (i % (2 * n)) < n);
        let t = Instant::now();
        let _ = b_engine.connection().query_row(
            "SELECT email FROM do_not_contact WHERE email IN (?1, ?2)",
            [address.as_str(), format!("@{}", address.split('@').nth(1).unwrap()).as_str()],
            |r| r.get::<_, String>(0),
        );
        local.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (m50, m95, mlo, mhi) = quantiles(remote);
    let (l50, _, _, _) = quantiles(local);
    println!("may_send per email, 1000 addresses: median {m50:.3} ms, p95 {m95:.3} ms (range {mlo:.3}-{mhi:.3}); the local list check alone: median {l50:.4} ms");
    su.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
}
