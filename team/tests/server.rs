//! The team server for real: PostgreSQL from `scripts/team-pg start` (the
//! test command starts it), a database of its own per test. Set-up and its
//! refusals, what a rep's role may do, ops applied once, the feed in commit
//! order (and the test that proves it would catch a skipped row), the
//! add-wins list, and `may_send`.

use std::time::Duration;

use serde_json::json;
use team::{add_member, init, Client, Error, Op, Target};
use tokio_postgres::NoTls;

/// The test server's superuser over its unix socket.
fn admin_conn(db: &str) -> String {
    let run = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/team-pg/run");
    let run = run.canonicalize().unwrap_or_else(|_| panic!("no team server at {}: start it with scripts/team-pg start", run.display()));
    format!("host={} port={} user=postgres dbname={db}", run.display(), port())
}

fn port() -> u16 {
    std::env::var("TEAM_PG_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(55432)
}

/// A fresh database on the test server, set up; its name and admin target.
async fn fresh(name: &str) -> (String, Target) {
    let db = format!("t_{name}_{}", std::process::id());
    let (c, conn) = tokio_postgres::connect(&admin_conn("postgres"), NoTls).await.expect("the test team server (scripts/team-pg start)");
    tokio::spawn(conn);
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
    let (admin, _) = Target::parse(&admin_conn(&db)).unwrap();
    init(&admin, None).await.unwrap();
    (db, admin)
}

fn public(db: &str) -> String {
    format!("postgres://127.0.0.1:{}/{db}", port())
}

/// A member's client, from the secret the admin was shown.
async fn member(admin: &Target, db: &str, name: &str, manager: bool) -> (Client, String) {
    let m = add_member(admin, None, &format!("{name}-{}", std::process::id()), manager, &public(db)).await.unwrap();
    let (target, password) = Target::parse(&m.secret_url).unwrap();
    (Client::connect(&target, password.as_deref()).await.unwrap(), m.secret_url)
}

fn op(uid: &str, kind: &str, entry: &str) -> Op {
    Op { uid: uid.into(), kind: kind.into(), body: json!({ "entry": entry, "reason": "unsubscribed" }) }
}

async fn superuser(db: &str) -> tokio_postgres::Client {
    let (c, conn) = tokio_postgres::connect(&admin_conn(db), NoTls).await.unwrap();
    tokio::spawn(conn);
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_is_idempotent_and_refuses_a_newer_schema() {
    let (db, admin) = fresh("init").await;
    let again = init(&admin, None).await.unwrap();
    assert_eq!((again.from, again.to), (3, 3), "a second init changes nothing");
    let su = superuser(&db).await;
    su.batch_execute("UPDATE team.meta SET value = '99' WHERE key = 'schema'").await.unwrap();
    match init(&admin, None).await {
        Err(Error::TooNew { server: 99, known: 3 }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    let (_, secret) = {
        su.batch_execute("UPDATE team.meta SET value = '3' WHERE key = 'schema'").await.unwrap();
        member(&admin, &db, "ana", false).await
    };
    su.batch_execute("UPDATE team.meta SET value = '4' WHERE key = 'schema'").await.unwrap();
    let (t, p) = Target::parse(&secret).unwrap();
    let e = Client::connect(&t, p.as_deref()).await.err().expect("a newer server refused");
    assert!(e.to_string().contains("schema version 4") && e.to_string().contains("update Cadence"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_may_only_run_the_team_functions_and_a_wrong_secret_is_said_plainly() {
    let (db, admin) = fresh("roles").await;
    let (ana, secret) = member(&admin, &db, "ana", false).await;
    assert!(ana.may_send("someone@acme.example").await.unwrap().ok);
    let (t, p) = Target::parse(&secret).unwrap();
    // No table grants: the rep's own login cannot read or write the tables.
    let raw = t.connect(p.as_deref()).await.unwrap();
    for sql in
        ["SELECT * FROM team.dnc_adds", "INSERT INTO team.changes VALUES (1, now(), 'x', 'x', '{}')", "SELECT team.feed('x', 'x', '{}')"]
    {
        let e = raw.batch_execute(sql).await.expect_err(sql);
        assert_eq!(e.as_db_error().map(|d| d.code().code().to_string()).as_deref(), Some("42501"), "{sql}: {e}");
    }
    let wrong = Client::connect(&t, Some("not-the-secret")).await.err().unwrap();
    assert!(matches!(wrong, Error::Auth(_)), "{wrong:?}");
    assert!(wrong.to_string().contains("secret is wrong"), "{wrong}");
    // Taken off the team: the role still logs in, but every call is refused.
    superuser(&db).await.batch_execute("DELETE FROM team.reps").await.unwrap();
    let gone = ana.pull(0, 10).await.err().unwrap();
    assert!(gone.to_string().contains("is not on this team"), "{gone}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_op_pushed_twice_after_a_lost_reply_is_applied_once() {
    let (db, admin) = fresh("once").await;
    let (ana, _) = member(&admin, &db, "ana", false).await;
    let uid = "0192f0c0-0000-7000-8000-000000000001";
    let first = ana.push(&[op(uid, "dnc_add", "stop@acme.example")]).await.unwrap();
    // The reply was lost: the desktop pushes the same op again.
    let again = ana.push(&[op(uid, "dnc_add", "stop@acme.example")]).await.unwrap();
    assert_eq!(first, again, "the stored result comes back");
    assert!(first[0].ok);
    let su = superuser(&db).await;
    let adds: i64 = su.query_one("SELECT count(*) FROM team.dnc_adds", &[]).await.unwrap().get(0);
    let feed: i64 = su.query_one("SELECT count(*) FROM team.changes", &[]).await.unwrap().get(0);
    assert_eq!((adds, feed), (1, 1));
    let unknown = ana.push(&[op("0192f0c0-0000-7000-8000-000000000002", "claim", "acme.example")]).await.unwrap();
    assert!(unknown[0].retry && !unknown[0].ok, "{unknown:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_is_add_wins_and_may_send_reads_it() {
    let (db, admin) = fresh("addwins").await;
    let (ana, _) = member(&admin, &db, "ana", false).await;
    let (bo, _) = member(&admin, &db, "bo", false).await;
    let (lead, _) = member(&admin, &db, "lead", true).await;
    ana.push(&[op("0192f0c0-0000-7000-8000-0000000000a1", "dnc_add", "Dana@Lumenfield.example")]).await.unwrap();
    bo.push(&[op("0192f0c0-0000-7000-8000-0000000000b1", "dnc_add", "dana@lumenfield.example")]).await.unwrap();
    ana.push(&[op("0192f0c0-0000-7000-8000-0000000000c1", "dnc_add", "@competitor.example")]).await.unwrap();
    let m = ana.may_send("dana@lumenfield.example").await.unwrap();
    assert!(!m.ok && m.why.as_deref().unwrap().contains("dana@lumenfield.example is on the team do-not-contact list"), "{m:?}");
    assert!(!ana.may_send("anyone@competitor.example").await.unwrap().ok, "a listed domain");
    assert!(ana.may_send("omar@harbor.example").await.unwrap().ok);
    // Ana takes back her own entry; Bo's stays, so Dana stays listed.
    let r = ana.push(&[op("0192f0c0-0000-7000-8000-0000000000a2", "dnc_remove", "dana@lumenfield.example")]).await.unwrap();
    assert!(!r[0].ok && r[0].why.as_deref().unwrap().contains("only a manager"), "{r:?}");
    assert!(!ana.may_send("dana@lumenfield.example").await.unwrap().ok);
    // A manager can take it off.
    let r = lead.push(&[op("0192f0c0-0000-7000-8000-0000000000d1", "dnc_remove", "dana@lumenfield.example")]).await.unwrap();
    assert!(r[0].ok, "{r:?}");
    assert!(ana.may_send("dana@lumenfield.example").await.unwrap().ok);
    let feed = bo.pull(0, 100).await.unwrap();
    let kinds: Vec<(&str, &str)> = feed.iter().map(|f| (f.kind.as_str(), f.key.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("dnc_add", "dana@lumenfield.example"),
            ("dnc_add", "dana@lumenfield.example"),
            ("dnc_add", "@competitor.example"),
            ("dnc_remove", "dana@lumenfield.example")
        ]
    );
    assert!(feed.windows(2).all(|w| w[0].seq < w[1].seq));
}

/// 50 writers commit feed rows in random order while a reader pulls after
/// its cursor as fast as it can; returns how many rows the reader missed.
async fn race(db: &str, function: &str) -> usize {
    let reader = superuser(db).await;
    let start: i64 = reader.query_one("SELECT coalesce(max(seq), 0) FROM team.changes", &[]).await.unwrap().get(0);
    let mut writers = Vec::new();
    for i in 0..50 {
        let db = db.to_string();
        let function = function.to_string();
        writers.push(tokio::spawn(async move {
            let mut c = superuser(&db).await;
            let tx = c.transaction().await.unwrap();
            tx.execute(&format!("SELECT {function}('race', $1, '{{}}')"), &[&format!("w{i}")]).await.unwrap();
            // Commit after a while: the later numbers may commit first.
            tx.execute("SELECT pg_sleep($1)", &[&((i * 7 % 50) as f64 / 1000.0)]).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    let mut cursor = start;
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        // Whether every writer had committed before this read: only then
        // does an empty read mean the reader is done.
        let done = writers.iter().all(|w| w.is_finished());
        let rows = reader.query("SELECT seq FROM team.changes WHERE seq > $1 ORDER BY seq", &[&cursor]).await.unwrap();
        for r in &rows {
            let s: i64 = r.get(0);
            seen.push(s);
            cursor = s;
        }
        if done && rows.is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the race did not finish");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for w in writers {
        w.await.unwrap();
    }
    let all: Vec<i64> = reader
        .query("SELECT seq FROM team.changes WHERE seq > $1 AND kind = 'race' ORDER BY seq", &[&start])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(all.len(), 50);
    all.iter().filter(|s| !seen.contains(s)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_is_read_in_commit_order_and_the_test_catches_a_skip_without_the_lock() {
    let (db, _admin) = fresh("order").await;
    assert_eq!(race(&db, "team.feed").await, 0, "with the lock, a reader after its cursor misses nothing");
    // The same feed writer without the ordering lock: numbers are taken in
    // one order and committed in another, and a cursor reader skips rows.
    let su = superuser(&db).await;
    su.batch_execute(
        "CREATE FUNCTION team.feed_unordered(k text, feed_key text, feed_body jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
         DECLARE s bigint; BEGIN s := nextval('team.changes_seq');
         INSERT INTO team.changes (seq, kind, key, body) VALUES (s, k, feed_key, feed_body); RETURN s; END $$",
    )
    .await
    .unwrap();
    let mut skipped = 0;
    for _ in 0..3 {
        skipped = race(&db, "team.feed_unordered").await;
        if skipped > 0 {
            break;
        }
    }
    assert!(skipped > 0, "without the lock the reader must miss a late commit; the test would not catch a regression");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_is_a_compare_and_set_and_only_managers_publish() {
    let (db, admin) = fresh("publish").await;
    let (lead, _) = member(&admin, &db, "lead", true).await;
    let (lead2, _) = member(&admin, &db, "lead2", true).await;
    let (ana, _) = member(&admin, &db, "ana", false).await;
    let refused = ana.publish("cold", 0, "Cold", "name = 'x'", "sha").await.err().unwrap();
    assert!(refused.to_string().contains("only a manager"), "{refused}");
    // Two managers publish version 1 at once: one wins, the other is told.
    let (a, b) = tokio::join!(lead.publish("cold", 0, "Cold", "v1 by lead", "s1"), lead2.publish("cold", 0, "Cold", "v1 by lead2", "s2"));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.ok != b.ok, "exactly one wins: {a:?} {b:?}");
    let lost = if a.ok { &b } else { &a };
    assert!(lost.why.as_deref().unwrap().contains("at version 1 on the team, not 0"), "{lost:?}");
    let v2 = lead.publish("cold", 1, "Cold", "v2", "s3").await.unwrap();
    assert_eq!((v2.ok, v2.version), (true, Some(2)));
    assert!(lead.retire("cold", 1).await.unwrap().ok);
    assert!(!lead.retire("cold", 9).await.unwrap().ok);
    let su = superuser(&db).await;
    let changed = su.batch_execute("UPDATE team.sequences SET source = 'tampered' WHERE version = 2").await.unwrap_err();
    assert!(changed.to_string().contains("never changes") || format!("{changed:?}").contains("never changes"), "{changed:?}");
    let kinds: Vec<String> = ana.pull(0, 100).await.unwrap().into_iter().map(|f| format!("{} {}", f.kind, f.body["version"])).collect();
    assert_eq!(kinds, ["sequence_published 1", "sequence_published 2", "sequence_retired 1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_rep_holds_an_account_and_a_stale_holder_cannot_mail_it() {
    let (db, admin) = fresh("claims").await;
    let pid = std::process::id();
    let mut reps = Vec::new();
    for i in 0..20 {
        reps.push(member(&admin, &db, &format!("r{i}"), false).await.0);
    }
    let (lead, _) = member(&admin, &db, "lead", true).await;
    // Twenty reps claim the same account at once: exactly one holds it.
    let claims = futures::future::join_all(reps.iter().map(|r| r.claim("Lumenfield.example", 30))).await;
    let won: Vec<usize> = claims.iter().enumerate().filter(|(_, c)| c.as_ref().unwrap().ok).map(|(i, _)| i).collect();
    assert_eq!(won.len(), 1, "{claims:?}");
    let holder = claims[won[0]].as_ref().unwrap().holder.clone().unwrap();
    let loser = if won[0] == 0 { 1 } else { 0 };
    let refused = claims[loser].as_ref().unwrap();
    assert_eq!(refused.why.as_deref(), Some(format!("account owned by {holder}").as_str()));
    // Fencing: the loser's desktop cannot mail anyone there; the holder can.
    let m = reps[loser].may_send("dana@lumenfield.example").await.unwrap();
    assert!(!m.ok && m.why.as_deref() == Some(format!("account owned by {holder}").as_str()), "{m:?}");
    assert!(reps[won[0]].may_send("dana@lumenfield.example").await.unwrap().ok);
    // Renewing keeps the epoch; a reassignment by a manager raises it.
    let renewed = reps[won[0]].claim("lumenfield.example", 30).await.unwrap();
    assert_eq!((renewed.ok, renewed.epoch), (true, Some(1)));
    let to = format!("r{loser}-{pid}");
    assert!(reps[loser].reassign("lumenfield.example", &to, 30).await.err().unwrap().to_string().contains("only a manager"));
    let moved = lead.reassign("lumenfield.example", &to, 30).await.unwrap();
    assert_eq!((moved.ok, moved.epoch), (true, Some(2)));
    assert!(!reps[won[0]].may_send("dana@lumenfield.example").await.unwrap().ok, "the old holder is fenced off");
    assert!(reps[loser].may_send("dana@lumenfield.example").await.unwrap().ok);
    // An expired lease can be taken (epoch up); the holder can release.
    superuser(&db).await.batch_execute("UPDATE team.claims SET lease_until = now() - interval '1 second'").await.unwrap();
    let taken = reps[2].claim("lumenfield.example", 30).await.unwrap();
    assert_eq!((taken.ok, taken.epoch), (true, Some(3)));
    assert!(!reps[3].release("lumenfield.example").await.unwrap().ok, "not theirs to release");
    assert!(reps[2].release("lumenfield.example").await.unwrap().ok);
    assert!(reps[3].claim("lumenfield.example", 30).await.unwrap().ok, "released: free to claim");
    let fed: Vec<String> =
        lead.pull(0, 100).await.unwrap().into_iter().filter(|f| f.kind == "claimed").map(|f| f.body["epoch"].to_string()).collect();
    assert_eq!(fed, ["1", "1", "2", "3", "4", "5"], "every change of hands is in the feed");
}
