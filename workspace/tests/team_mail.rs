//! The team's word at the last moment (T2): desktop B has not pulled the
//! team's feed, but before its email goes out through the real mail servers
//! it asks the team server, which says the address is listed: the email is
//! held with the reason, nothing is sent, and B's next sync ends the
//! sequence. Runs in the `mail-servers` group (the rep mailbox is shared).

mod common;

use common::live::use_test_servers;
use common::Host;
use dto::{OutcomeInput, PasswordInput, SendsKind};
use workspace::PathImport;

fn port() -> u16 {
    std::env::var("TEAM_PG_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(55432)
}

fn admin(db: &str) -> String {
    let run = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/team-pg/run").canonicalize().expect("scripts/team-pg start");
    format!("host={} port={} user=postgres dbname={db}", run.display(), port())
}

#[test]
fn a_listed_address_is_held_at_send_time_even_before_the_feed_is_pulled() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let db = format!("m_hold_{}", std::process::id());
    rt.block_on(async {
        let (c, conn) = tokio_postgres::connect(&admin("postgres"), tokio_postgres::NoTls).await.expect("the test team server");
        tokio::spawn(conn);
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
        c.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
    });
    rt.block_on(workspace::team::team_init(&admin(&db))).unwrap();
    let public = format!("postgres://127.0.0.1:{}/{db}", port());
    let line = |name: &str| {
        rt.block_on(workspace::team::team_add_member(&admin(&db), &format!("{name}{}", std::process::id()), false, &public))
            .unwrap()
            .secret_url
            .unwrap()
    };
    let (a_line, b_line) = (line("ana"), line("bo"));

    let a = Host::new(None);
    let b = Host::new(None);
    for (k, v) in
        [("working_days", "mon,tue,wed,thu,fri,sat,sun"), ("hours", "00:00-23:59"), ("sender_name", "Alex Rivera"), ("timezone", "UTC")]
    {
        b.ws.set_setting(k, v).unwrap();
    }
    use_test_servers(&b.ws, "rep@example.test");
    b.ws.save_password(&PasswordInput::new("rep-secret".into())).unwrap();
    rt.block_on(a.ws.join_team(&a_line)).unwrap();
    rt.block_on(b.ws.join_team(&b_line)).unwrap();
    rt.block_on(b.ws.team_sync()).unwrap();

    let seq = b.file("all-day.toml", include_str!("../../mail/tests/fixtures/all-day.toml"));
    b.ws.add_sequence(&seq).unwrap();
    let who = format!("prospect+team{}@example.test", std::process::id());
    let csv = b.file("one.csv", &format!("email,first_name,company,timezone\n{who},Pat,Harbor Labs,UTC\n"));
    b.ws.import_path(&csv, &PathImport { enroll: Some("all-day"), ..Default::default() }, &mut |_, _| {}).unwrap();
    let touch = b.ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == who).unwrap();
    b.ws.complete(touch.touch_id, OutcomeInput::Approve { subject: None, body: None }).unwrap();

    // A hears "stop" from Pat and lists the address; only A syncs.
    a.ws.add_do_not_contact(&who, "asked to stop").unwrap();
    rt.block_on(a.ws.team_sync()).unwrap();

    let pass = rt.block_on(b.ws.sync()).unwrap();
    assert_eq!((pass.sent, pass.held), (0, 1));
    let held = b.ws.sends(SendsKind::Held).unwrap();
    assert_eq!(held.len(), 1);
    assert!(held[0].reason.as_deref().is_some_and(|r| r.contains("on the team do-not-contact list")), "{:?}", held[0].reason);
    assert!(b.ws.sends(SendsKind::Sent).unwrap().is_empty(), "nothing went");

    // B's next sync brings the entry: the sequence ends, the email with it.
    let r = rt.block_on(b.ws.team_sync()).unwrap();
    assert_eq!((r.listed, r.ended), (1, 1), "{r:?}");
    assert!(b.ws.sends(SendsKind::Waiting).unwrap().is_empty());
}
