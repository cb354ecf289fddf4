//! The `cadence` binary against a temporary database file, as a script would use it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        let cli = Cli { dir: tempfile::tempdir().unwrap() };
        cli.ok(&["settings", "set", "timezone", "America/New_York"]);
        cli.ok(&["settings", "set", "holiday_country", "US"]);
        cli.ok(&["settings", "set", "sender_name", "Alex Rivera"]);
        cli
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("cadence.db")
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    fn cmd(&self, now: &str, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("cadence").unwrap().arg("--db").arg(self.db()).arg("--now").arg(now).args(args).assert()
    }
    fn ok(&self, args: &[&str]) -> String {
        self.ok_at("2026-11-24T14:00:00Z", args)
    }
    fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.cmd(now, args).success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
    fn json(&self, now: &str, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.ok_at(now, &a)).unwrap()
    }
    fn fails(&self, args: &[&str]) -> (String, Value) {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let out = self.cmd("2026-11-24T14:00:00Z", &a).failure().code(1);
        let o = out.get_output();
        (String::from_utf8(o.stderr.clone()).unwrap(), serde_json::from_slice(&o.stdout).unwrap())
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

const CSV: &str = "\
First Name,Last Name,Email,Company,Title,City,State,Country,Phone
Dana,Brooks,dana@lumenfield.com,Lumenfield,CRO,Austin,TX,United States,+1 512 555 0100
Jonas,Müller,jonas@kranich.de,Kranich,Head of Sales,Berlin,,Germany,+49 30 1234567
Priya,Raman,priya@tarangam.in,,VP Sales,Bengaluru,,India,+91 80 5555 0000
<img src=x onerror=alert(1)>,Evil,evil@example.com,Evil Corp,Tester,,,,
";

#[test]
fn import_enroll_and_work_the_queue() {
    let cli = Cli::new();
    let csv = cli.file("people.csv", CSV);
    let report = cli.json("2026-11-24T14:00:00Z", &["import", path(&csv), "--tag", "q4", "--enroll", "cold-outbound-21d"]);
    assert_eq!(report["imported"], 4);
    assert_eq!(report["enrollment"]["enrolled"], 4);
    assert_eq!(report["mapping"][2], serde_json::json!(["Email", "email"]));

    // Tuesday 24 Nov, 09:00 New York: the queue for the day.
    let q = cli.json("2026-11-24T14:00:00Z", &["queue"]);
    assert_eq!(q["day"], "2026-11-24");
    assert_eq!(q["timezone"], "America/New_York");
    let items = q["items"].as_array().unwrap();
    let by_email = |e: &str| items.iter().find(|i| i["email"] == e).cloned();
    // Dana (Austin) gets her first email in her morning window; the rep sees both times.
    let dana = by_email("dana@lumenfield.com").expect("Dana's email is due today");
    assert_eq!(dana["channel"], "email");
    assert_eq!(dana["step"], 1);
    assert_eq!(dana["due_prospect_local"], "2026-11-24T08:30:00-06:00");
    assert_eq!(dana["due_rep_local"], "2026-11-24T09:30:00-05:00");
    let evil = by_email("evil@example.com").expect("the XSS name is just a name");
    assert_eq!(evil["name"], "<img src=x onerror=alert(1)> Evil");

    // Show and approve Dana's draft.
    let touch = dana["touch_id"].as_i64().unwrap().to_string();
    let t = cli.json("2026-11-24T14:00:00Z", &["touch", &touch]);
    assert_eq!(t["subject"], "Lumenfield and fewer dropped hand-offs");
    assert!(t["text"].as_str().unwrap().starts_with("Hi Dana,"));
    let approved = cli.json("2026-11-24T14:00:00Z", &["approve", &touch]);
    assert_eq!(approved["send_at"], "2026-11-24T14:30:00Z");
    let outbox = cli.json("2026-11-24T14:00:00Z", &["outbox"]);
    assert_eq!(outbox.as_array().unwrap().len(), 1);

    // Priya has no company: her draft is blocked and says which field.
    let priya = by_email("priya@tarangam.in").expect("Priya is in the queue");
    let ptouch = priya["touch_id"].as_i64().unwrap().to_string();
    let (stderr, err) = cli.fails(&["approve", &ptouch]);
    assert_eq!(err["error"]["code"], "draft_blocked");
    assert!(stderr.contains("`company`"), "{stderr}");
    cli.ok(&["prospect", "set", "priya@tarangam.in", "company", "Tarangam"]);
    cli.ok(&["approve", &ptouch]);

    // Jonas: edit before approving (own subject and body).
    let jonas = by_email("jonas@kranich.de").unwrap();
    let jtouch = jonas["touch_id"].as_i64().unwrap().to_string();
    let body = cli.file("body.txt", "Hallo Jonas,\n\nkurze Frage zu Kranich.\n");
    cli.ok(&["approve", &jtouch, "--subject", "Kurze Frage", "--body-file", path(&body)]);
    let t = cli.json("2026-11-24T14:00:00Z", &["touch", &jtouch]);
    assert_eq!((t["subject"].as_str(), t["state"].as_str()), (Some("Kurze Frage"), Some("approved")));

    // Jonas's and Priya's windows had passed when they were approved, so they
    // go tomorrow morning their time, and their profile views follow them.
    assert_eq!(cli.json("2026-11-24T14:00:00Z", &["touch", &ptouch])["state"], "approved");
    // Next afternoon: three LinkedIn views; mark one done, skip one, snooze one.
    let q = cli.json("2026-11-25T20:00:00Z", &["queue", "--channel", "linkedin_view"]);
    let items = q["items"].as_array().unwrap();
    assert_eq!(items[0]["email"], "dana@lumenfield.com", "Dana's view, a day late, comes first");
    assert_eq!(items[0]["overdue"], true);
    let views: Vec<String> = items.iter().map(|i| i["touch_id"].to_string()).collect();
    assert_eq!(views.len(), 3, "{q}");
    cli.ok_at("2026-11-25T20:00:00Z", &["done", &views[0], "--notes", "posted about hiring"]);
    cli.ok_at("2026-11-25T20:00:00Z", &["skip", &views[1], "--reason", "no profile"]);
    // Snoozed a day: Thursday is Thanksgiving, so Friday at the start of the rep's day.
    let s = cli.json("2026-11-25T20:00:00Z", &["snooze", &views[2], "--for", "1d"]);
    assert_eq!(s["due_at"], "2026-11-27T14:00:00Z");

    // Dana's view was done Wednesday; two business days later (Thanksgiving
    // and the weekend skipped) is Monday: the call, logged with an outcome that ends it.
    let q = cli.json("2026-11-27T15:00:00Z", &["queue", "--channel", "call"]);
    assert!(q["items"].as_array().unwrap().iter().all(|i| i["email"] != "dana@lumenfield.com"), "not on Friday");
    let q = cli.json("2026-11-30T15:00:00Z", &["queue", "--channel", "call"]);
    let call = q["items"].as_array().unwrap().iter().find(|i| i["email"] == "dana@lumenfield.com").expect("Dana's call").clone();
    let ctouch = call["touch_id"].to_string();
    let out =
        cli.ok_at("2026-11-30T15:00:00Z", &["call", &ctouch, "--outcome", "meeting_booked", "--notes", "demo Tue", "--duration", "312"]);
    assert!(out.contains("left the sequence (meeting booked)"), "{out}");
    let p = cli.json("2026-11-30T15:00:00Z", &["prospect", "show", "dana@lumenfield.com"]);
    assert_eq!(p["enrollments"][0]["state"], "exited");
    assert_eq!(p["enrollments"][0]["exit_reason"], "meeting_booked");
    let kinds: Vec<&str> = p["timeline"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert!(kinds.ends_with(&["call_logged", "exited"]), "{kinds:?}");
    let call_entry = p["timeline"].as_array().unwrap().iter().find(|t| t["kind"] == "call_logged").unwrap();
    assert_eq!(call_entry["data"]["notes"], "demo Tue");
    assert_eq!(call_entry["data"]["duration_s"], 312);
}

#[test]
fn pause_resume_remove_and_away() {
    let cli = Cli::new();
    let csv = cli.file("people.csv", CSV);
    cli.ok(&["import", path(&csv)]);
    cli.ok(&["enroll", "inbound-lead", "--all"]);
    let again = cli.json("2026-11-24T14:00:00Z", &["enroll", "re-engagement", "--prospect", "dana@lumenfield.com"]);
    assert_eq!(again["enrolled"], 0);
    assert!(again["skipped"][0]["reason"].as_str().unwrap().contains("already in an active sequence"));
    cli.ok(&["pause", "--prospect", "dana@lumenfield.com"]);
    let q = cli.json("2026-11-24T14:00:00Z", &["queue"]);
    assert!(q["items"].as_array().unwrap().iter().all(|i| i["email"] != "dana@lumenfield.com"));
    cli.ok(&["resume", "--prospect", "dana@lumenfield.com"]);
    cli.ok(&["remove", "--prospect", "jonas@kranich.de"]);
    // Away from today: today's work moves to after the break.
    let moved = cli.json("2026-11-24T14:00:00Z", &["away", "2026-11-24", "2026-12-02"]);
    assert!(moved["touches_moved"].as_u64().unwrap() >= 1, "{moved}");
    let s = cli.json("2026-11-24T14:00:00Z", &["settings", "show"]);
    assert_eq!(s["away"][0], serde_json::json!(["2026-11-24", "2026-12-02"]));
    // Nothing is due today any more; only emails that send on the morning of
    // the return (Thursday 3 Dec) are offered, to approve ahead.
    let q = cli.json("2026-11-24T14:00:00Z", &["queue"]);
    for i in q["items"].as_array().unwrap() {
        assert_eq!(i["channel"], "email", "{i}");
        assert!(i["due_at"].as_str().unwrap() >= "2026-12-03T05:00:00Z", "{i}");
    }
}

#[test]
fn sequences_list_show_and_lint_with_located_errors() {
    let cli = Cli::new();
    let list = cli.json("2026-11-24T14:00:00Z", &["sequences", "list"]);
    let slugs: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["cold-call-branches", "cold-outbound-21d", "cold-short-14d", "inbound-lead", "post-demo-followup", "re-engagement"]);
    for slug in &slugs {
        let lint = cli.json("2026-11-24T14:00:00Z", &["sequences", "lint", slug]);
        assert_eq!(lint["ok"], true, "{slug}: {lint}");
    }
    let show = cli.json("2026-11-24T14:00:00Z", &["sequences", "show", "cold-outbound-21d"]);
    assert_eq!(show["steps"].as_array().unwrap().len(), 10);
    assert_eq!(show["steps"][9]["breakup"], true);

    let broken = cli.file("broken.toml", "name = \"Mine\"\nkind = \"cold\"\n\n[[steps]]\nchannel = \"emial\"\ndelay = 0\n");
    let (stderr, err) = cli.fails(&["sequences", "lint", path(&broken)]);
    assert_eq!(err["error"]["code"], "sequence_file");
    assert!(stderr.contains("broken.toml:5: `steps[1].channel`: unknown channel `emial`, expected one of: email"), "{stderr}");

    let weak = cli.file("weak.toml", "name = \"Weak\"\nkind = \"cold\"\n[[steps]]\nchannel = \"email\"\ndelay = 0\nsubject = \"hi\"\nbody = \"Hi {{ first_name }}, {{ pain_point }}\"\n");
    let lint = cli.json("2026-11-24T14:00:00Z", &["sequences", "lint", path(&weak)]);
    let rules: Vec<&str> = lint["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for r in ["touch_count", "channels", "no_breakup", "no_opt_out", "unknown_field"] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    assert!(lint["findings"][0]["reason"].as_str().unwrap().len() > 20, "each finding explains why");
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let cli = Cli::new();
    let (stderr, _) = cli.fails(&["import", "/nonexistent/file.csv"]);
    assert!(stderr.contains("/nonexistent/file.csv"), "{stderr}");
    let nomail = cli.file("nomail.csv", "Name,Phone\nA,1\n");
    let (stderr, err) = cli.fails(&["import", path(&nomail)]);
    assert_eq!(err["error"]["code"], "bad_csv");
    assert!(stderr.contains("no column holds email addresses"), "{stderr}");
    assert!(stderr.contains("--map \"<header>=email\"") && stderr.contains("--delimiter"), "the command line says how: {stderr}");
    // A semicolon file read with the wrong separator by hand says what it saw.
    let semi = cli.file(
        "semi.csv",
        "email;first_name
lea@example.org;Lea
",
    );
    let (stderr, _) = cli.fails(&["import", path(&semi), "--delimiter", "comma"]);
    assert!(stderr.contains("separated by commas, are: email;first_name"), "{stderr}");
    let (stderr, err) = cli.fails(&["import", path(&semi), "--delimiter", "pipe"]);
    assert_eq!(err["error"]["code"], "invalid");
    assert!(stderr.contains("comma, semicolon or tab"), "{stderr}");
    let (stderr, _) = cli.fails(&["enroll", "no-such-sequence", "--all"]);
    assert!(stderr.contains("no-such-sequence"), "{stderr}");
    let (stderr, _) = cli.fails(&["settings", "set", "timezone", "Mars/Olympus"]);
    assert!(stderr.contains("not an IANA time zone"), "{stderr}");
    let p = cli.json("2026-11-24T14:00:00Z", &["prospects"]);
    assert_eq!(p.as_array().unwrap().len(), 0);
    // Read with the separator it has (sniffed), the same file imports.
    let done = cli.json("2026-11-24T14:00:00Z", &["import", path(&semi)]);
    assert_eq!((done["imported"].as_u64(), done["delimiter"].as_str()), (Some(1), Some("semicolon")), "{done}");
}

#[test]
fn demo_loads_a_sample_workspace_with_every_channel_due() {
    let cli = Cli::new();
    let q = cli.json("2026-11-24T14:00:00Z", &["demo", "--prospects", "120"]);
    let channels: Vec<&str> = q["counts"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
    for c in ["email", "call"] {
        assert!(channels.contains(&c), "{c} missing: {channels:?}");
    }
    assert!(channels.iter().any(|c| c.starts_with("linkedin")), "{channels:?}");
    // Run again: the workspace is not loaded twice.
    let again = cli.json("2026-11-24T14:00:00Z", &["demo", "--prospects", "120"]);
    assert_eq!(q["total"], again["total"]);
    let human = cli.ok(&["queue"]);
    assert!(human.contains("Today · Tue 24 Nov 2026"), "{human}");
}
