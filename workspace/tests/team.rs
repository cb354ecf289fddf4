//! Two desktops on one team server (PostgreSQL from `scripts/team-pg`,
//! a database of its own), each its own workspace on its own file and its
//! own rep role, with the secrets in the real keyring: an entry on A's
//! do-not-contact list ends B's sequence and cancels B's approved email;
//! a server that cannot be reached keeps the ops waiting (and says why),
//! then they go once; past the grace, B's emails wait with the reason.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{Host, LEADS};
use dto::{EnrollInput, OutcomeInput};
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use workspace::PathImport;

const TUESDAY: &str = "2026-11-24T14:00:00Z";

fn port() -> u16 {
    std::env::var("TEAM_PG_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(55432)
}

fn admin(db: &str) -> String {
    let run = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/team-pg/run");
    let run = run.canonicalize().unwrap_or_else(|_| panic!("no team server at {}: start it with scripts/team-pg start", run.display()));
    format!("host={} port={} user=postgres dbname={db}", run.display(), port())
}

/// A fresh team database, set up; the admin connection string.
async fn team_db(name: &str) -> (String, String) {
    let db = format!("w_{name}_{}", std::process::id());
    let (c, conn) = tokio_postgres::connect(&admin("postgres"), tokio_postgres::NoTls).await.expect("the test team server");
    tokio::spawn(conn);
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
    workspace::team::team_init(&admin(&db)).await.unwrap();
    (db.clone(), admin(&db))
}

/// A loopback proxy to the team server that can be cut and restored.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let on = up.clone();
        let server = self::port();
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { break };
                if !on.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let on = on.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", server)).await else { return };
                    let copy = copy_bidirectional(&mut inbound, &mut outbound);
                    tokio::select! {
                        _ = copy => {}
                        _ = async { while on.load(Ordering::SeqCst) { tokio::time::sleep(Duration::from_millis(20)).await } } => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }
}

/// A desktop with the leads imported and everyone enrolled; the first
/// email approved and waiting in the outbox.
fn desktop() -> (Host, i64) {
    let h = Host::new(Some(TUESDAY));
    h.ws.set_setting("timezone", "America/New_York").unwrap();
    h.ws.set_setting("sender_name", "Alex Rivera").unwrap();
    let leads = h.file("leads.csv", LEADS);
    h.ws.import_path(&leads, &PathImport::default(), &mut |_, _| {}).unwrap();
    let dana = h.ws.prospect("dana@lumenfield.com").unwrap().prospect.id;
    h.ws.enroll(&EnrollInput { sequence: "cold-short-14d".into(), prospect_ids: vec![dana], matching: None, import_id: None }).unwrap();
    let q = h.ws.queue(None, None).unwrap();
    let email = q.items.iter().find(|i| i.prospect_id == dana && i.channel == "email").expect("Dana's first email due").touch_id;
    h.ws.complete(email, OutcomeInput::Approve { subject: None, body: None }).unwrap();
    assert_eq!(h.ws.outbox().unwrap().len(), 1);
    (h, dana)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_on_one_desktop_stops_the_other_desktops_email() {
    let (db, admin) = team_db("fanout").await;
    let public = format!("postgres://127.0.0.1:{}/{db}", port());
    let a_line =
        workspace::team::team_add_member(&admin, &format!("ana{}", std::process::id()), false, &public).await.unwrap().secret_url.unwrap();
    let b_line =
        workspace::team::team_add_member(&admin, &format!("bo{}", std::process::id()), false, &public).await.unwrap().secret_url.unwrap();
    let (a, _) = desktop();
    let (b, dana) = desktop();
    a.ws.join_team(&a_line).await.unwrap();
    let joined = b.ws.join_team(&b_line).await.unwrap();
    assert!(
        joined.joined && joined.url.as_deref().is_some_and(|u| !u.contains(b_line.split(':').nth(2).unwrap().split('@').next().unwrap())),
        "the secret is not in the settings: {joined:?}"
    );
    b.ws.team_sync().await.unwrap();
    b.events();

    a.ws.add_do_not_contact("dana@lumenfield.com", "asked to stop").unwrap();
    let pushed = a.ws.team_sync().await.unwrap();
    assert_eq!(pushed.pushed, 1);
    let pulled = b.ws.team_sync().await.unwrap();
    assert_eq!((pulled.listed, pulled.ended, pulled.cancelled), (1, 1, 1), "{pulled:?}");
    assert!(b.ws.outbox().unwrap().is_empty(), "B's approved email to Dana will not go");
    let d = b.ws.prospect(&dana.to_string()).unwrap();
    assert_eq!(d.enrollments[0].exit_reason, Some("do_not_contact"));
    assert!(d.timeline.iter().any(|t| t.kind == "do_not_contact" && t.data["team"] == true), "B's screen can say why");
    assert!(b.changed().contains(&"outbox".to_string()), "B's window refreshes its outbox");
    // Synced again: nothing twice.
    let again = b.ws.team_sync().await.unwrap();
    assert_eq!((again.pulled, again.listed, again.ended), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_cannot_be_reached_keeps_the_ops_waiting_then_they_go_once() {
    let (db, admin) = team_db("down").await;
    let proxy = Proxy::start().await;
    let public = format!("postgres://127.0.0.1:{}/{db}", proxy.port);
    let line =
        workspace::team::team_add_member(&admin, &format!("cy{}", std::process::id()), false, &public).await.unwrap().secret_url.unwrap();
    let (a, _) = desktop();
    a.ws.join_team(&line).await.unwrap();
    a.ws.add_do_not_contact("@harborlabs.io", "competitor").unwrap();
    assert_eq!(a.ws.team_status().unwrap().pending, 1, "the op waits in the outbox, written with the entry");

    proxy.up.store(false, Ordering::SeqCst);
    let e = Host::error(a.ws.team_sync().await);
    assert!(e.message.contains("cannot be reached"), "{}", e.message);
    let s = a.ws.team_status().unwrap();
    assert_eq!(s.pending, 1, "nothing lost");
    assert!(s.problem.as_deref().is_some_and(|p| p.contains("cannot be reached")), "{s:?}");

    proxy.up.store(true, Ordering::SeqCst);
    let r = a.ws.team_sync().await.unwrap();
    assert_eq!((r.pushed, r.status.pending), (1, 0));
    assert_eq!(r.status.problem, None);
    let (c, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let n: i64 = c.query_one("SELECT count(*) FROM team.dnc_adds WHERE entry = '@harborlabs.io'", &[]).await.unwrap().get(0);
    assert_eq!(n, 1, "applied once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_grace_emails_wait_with_the_reason() {
    let (db, admin) = team_db("grace").await;
    let public = format!("postgres://127.0.0.1:{}/{db}", port());
    let line =
        workspace::team::team_add_member(&admin, &format!("di{}", std::process::id()), false, &public).await.unwrap().secret_url.unwrap();
    let (h, _) = desktop();
    for (k, v) in
        [("address", "rep@example.test"), ("smtp_host", "127.0.0.1"), ("imap_host", "127.0.0.1"), ("spacing_s", "0"), ("jitter_pct", "0")]
    {
        h.ws.set_mailbox(k, v).unwrap();
    }
    h.ws.join_team(&line).await.unwrap();
    h.ws.team_sync().await.unwrap();
    assert!(!h.ws.team_status().unwrap().stale, "just synced");
    // Hours on, with no word from the server since: the email's send
    // time has come, but it waits, and says why.
    let later = common::at("2026-11-24T16:45:00Z");
    let ws = workspace::Workspace::open(&h.db(), Some(later)).unwrap();
    let status = ws.team_status().unwrap();
    assert!(status.stale, "{status:?}");
    let next = ws.engine().lock().unwrap().next_send(later).unwrap();
    match next {
        engine::api::NextSend::Wait { why, .. } => assert!(why.starts_with("team do-not-contact list not checked since 09:00"), "{why}"),
        other => panic!("the email must wait: {other:?}"),
    }
    let out = ws.outbox().unwrap();
    assert!(
        out[0].reason.as_deref().is_some_and(|r| r.contains("team do-not-contact list not checked")),
        "the Outbox says why: {:?}",
        out[0].reason
    );
    // A sync brings the list up to date and the email may go.
    ws.team_sync().await.unwrap();
    assert!(matches!(ws.engine().lock().unwrap().next_send(later).unwrap(), engine::api::NextSend::Send(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_publishes_a_sequence_and_reps_enroll_in_the_version_they_have() {
    let (db, admin) = team_db("library").await;
    let public = format!("postgres://127.0.0.1:{}/{db}", port());
    let pid = std::process::id();
    let lead_line = workspace::team::team_add_member(&admin, &format!("lead{pid}"), true, &public).await.unwrap().secret_url.unwrap();
    let rep_line = workspace::team::team_add_member(&admin, &format!("rep{pid}"), false, &public).await.unwrap().secret_url.unwrap();
    let (lead, _) = desktop();
    let (rep, dana) = desktop();
    lead.ws.join_team(&lead_line).await.unwrap();
    rep.ws.join_team(&rep_line).await.unwrap();

    let v1 = include_str!("../../sequences/cold-short-14d.toml").replace("Cold outbound, short (two weeks)", "Team cold, short");
    let file = lead.file("team-cold.toml", &v1);
    let published = lead.ws.team_publish(std::slice::from_ref(&file)).await.unwrap();
    assert_eq!((published[0].slug.as_str(), published[0].version), ("team-cold", Some(1)), "{published:?}");
    let bad = lead.file("broken.toml", "name = \"Broken\"\nkind = \"cold\"\n\n[[steps]]\nchannel = \"emial\"\ndelay = 0\n");
    let refused = rep.ws.team_publish(std::slice::from_ref(&bad)).await.unwrap();
    assert!(
        refused[0].version.is_none() && refused[0].problem.as_deref().is_some_and(|p| p.contains("emial")),
        "parsed first: {refused:?}"
    );

    rep.ws.team_sync().await.unwrap();
    let listed = rep.ws.sequences().unwrap();
    let team_cold = listed.iter().find(|s| s.slug == "team-cold").expect("the rep has the team's sequence");
    assert!(team_cold.team && team_cold.version == 1, "{:?}", (team_cold.team, team_cold.version));
    let omar = rep.ws.prospect("omar@harborlabs.io").unwrap().prospect.id;
    rep.ws.enroll(&EnrollInput { sequence: "team-cold".into(), prospect_ids: vec![omar], matching: None, import_id: None }).unwrap();
    let edit = Host::error(rep.ws.save_sequence("team-cold", &v1.replace("Quick question", "A question")));
    assert!(edit.message.contains("is a team sequence: ask your manager"), "{}", edit.message);

    // Version 2; a rep publishing is refused; the rep's running enrollment keeps version 1.
    std::fs::write(&file, v1.replace("Quick question", "One question")).unwrap();
    assert_eq!(lead.ws.team_publish(std::slice::from_ref(&file)).await.unwrap()[0].version, Some(2));
    let not_manager = Host::error(rep.ws.team_publish(std::slice::from_ref(&file)).await);
    assert!(not_manager.message.contains("only a manager"), "{}", not_manager.message);
    rep.ws.team_sync().await.unwrap();
    rep.ws.remove(&workspace::EnrollmentRef::Prospect(dana.to_string())).unwrap();
    rep.ws.enroll(&EnrollInput { sequence: "team-cold".into(), prospect_ids: vec![dana], matching: None, import_id: None }).unwrap();
    let versions: Vec<i64> = [omar, dana]
        .iter()
        .map(|p| rep.ws.prospect(&p.to_string()).unwrap().enrollments.iter().find(|e| e.sequence == "team-cold").unwrap().sequence_version)
        .collect();
    let numbers: Vec<i64> = versions
        .iter()
        .map(|id| {
            rep.ws
                .engine()
                .lock()
                .unwrap()
                .connection()
                .query_row("SELECT version FROM sequences WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, [1, 2], "Omar stays on version 1; Dana starts on version 2");

    // Retired: version 2 takes no new enrollments.
    lead.ws.team_retire("team-cold", 2).await.unwrap();
    rep.ws.team_sync().await.unwrap();
    assert_eq!(rep.ws.sequences().unwrap().iter().find(|s| s.slug == "team-cold").unwrap().version, 1);
}
