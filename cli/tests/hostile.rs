//! Hostile arguments and input for every `cadence` subcommand: the real
//! binary must answer each with a result (exit code 0) or an error (exit code
//! 1, `error: ...`), never a panic (101, "panicked"), and its human output
//! never carries control characters or bidirectional overrides from outside.
//! The network commands (`mailbox test|sync|run`) and those that write the
//! OS keyring (`mailbox password|forget-password`) are left out.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Std, Output, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

const NOW: &str = "2026-11-24T14:00:00Z";

/// Numbers where a count, an id or a span goes.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "99999999999",
    "4294967295",
    "-9223372036854775808",
    "9223372036854775807",
    "18446744073709551615",
    "99999999999999999999999",
    "1e9",
    "NaN",
];

/// Text where a name, a key, a date or a choice goes.
fn texts() -> Vec<String> {
    let mut t: Vec<String> = [
        "",
        " ",
        "é",
        "2é",
        "日本語",
        "\u{202E}evil\u{202C}",
        "\u{2066}x\u{2069}\u{200F}\u{061C}",
        "\x1b[31mred\x1b[0m\x1b]0;title\x07",
        "\t\r\n\x08\x7f\u{9b}",
        "../../../../etc/passwd",
        "+262142-12-31",
        "-262143-01-01",
        "2026-02-30",
        "@",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    t.push("x".repeat(10_000));
    t
}

/// A workspace with sample data, copied for each command so one hostile
/// write does not hide the next command's behaviour.
struct Seed {
    dir: tempfile::TempDir,
}

impl Seed {
    fn new() -> Seed {
        let seed = Seed { dir: tempfile::tempdir().unwrap() };
        let db = seed.dir.path().join("seed.db");
        let out = run(&db, &["sample", "--prospects", "30"].map(String::from), b"");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        seed
    }

    /// A fresh copy of the seeded database in its own folder.
    fn copy(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cadence.db");
        std::fs::copy(self.dir.path().join("seed.db"), &db).unwrap();
        for ext in ["-wal", "-shm"] {
            let from = self.dir.path().join(format!("seed.db{ext}"));
            if from.exists() {
                std::fs::copy(&from, dir.path().join(format!("cadence.db{ext}"))).unwrap();
            }
        }
        (dir, db)
    }
}

fn run(db: &Path, args: &[String], stdin: &[u8]) -> Output {
    Command::cargo_bin("cadence")
        .unwrap()
        .arg("--db")
        .arg(db)
        .arg("--now")
        .arg(NOW)
        .args(args)
        .write_stdin(stdin.to_vec())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap_or_else(|e| panic!("cadence {args:?}: {e}"))
}

/// Exit code 0 or 1, no panic, and an error says so on stderr.
fn check(db: &Path, args: &[String], stdin: &[u8]) -> Output {
    let out = run(db, args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    assert!(matches!(code, Some(0 | 1)), "cadence {args:?} ended with {:?}:\n{stderr}", out.status);
    assert!(!stderr.contains("panicked"), "cadence {args:?} panicked:\n{stderr}");
    if code == Some(1) {
        assert!(stderr.contains("error: "), "cadence {args:?} failed without saying why:\n{stderr}");
    }
    out
}

/// Command templates: `{}` is replaced by each hostile value in turn.
const WITH_NUMBER: &[&[&str]] = &[
    &["demo", "--prospects={}"],
    &["sample", "--prospects={}"],
    &["sample", "--past={}"],
    &["sample", "--active-percent={}"],
    &["sample", "--prospects=1", "--seed={}"],
    &["stats", "--days={}"],
    &["stats", "--csv", "--days={}"],
    &["stats-settings", "--window-days={}"],
    &["stats-settings", "--reply-floor={}"],
    &["prospects", "--limit={}"],
    &["prospects", "--offset={}"],
    &["prospects", "--import={}"],
    &["enroll", "cold-outbound-21d", "--import={}"],
    &["queue", "--limit={}"],
    &["touch", "{}"],
    &["approve", "{}"],
    &["call", "{}", "--outcome", "connected"],
    &["call", "1", "--outcome", "connected", "--duration={}"],
    &["done", "{}"],
    &["skip", "{}"],
    &["snooze", "{}", "--for", "1h"],
    &["snooze", "1", "--for={}m"],
    &["snooze", "1", "--for={}d"],
    &["snooze", "1", "--for={}w"],
    &["pause", "{}"],
    &["resume", "{}"],
    &["remove", "{}"],
    &["prospect", "show", "{}"],
    &["mailbox", "sends", "--limit={}"],
    &["mailbox", "inbox", "--limit={}"],
    &["mailbox", "correct", "{}", "reply"],
    &["mailbox", "tag", "{}", "positive"],
    &["mailbox", "meeting", "{}"],
    &["mailbox", "retry", "{}"],
    &["mailbox", "set", "smtp_port", "{}"],
    &["mailbox", "set", "daily_cap", "{}"],
];

const WITH_TEXT: &[&[&str]] = &[
    &["--now={}", "queue"],
    &["stats", "--sequence={}"],
    &["stats", "--since={}"],
    &["stats", "--until={}"],
    &["prospects", "--search={}"],
    &["prospects", "--tag={}"],
    &["prospect", "show", "{}"],
    &["prospect", "set", "1", "{}", "x"],
    &["prospect", "set", "1", "company", "{}"],
    &["prospect", "set", "1", "timezone", "{}"],
    &["dnc", "add", "{}"],
    &["dnc", "add", "nobody@example.com", "--reason={}"],
    &["sequences", "show", "{}"],
    &["sequences", "lint", "{}"],
    &["enroll", "{}", "--all"],
    &["enroll", "cold-outbound-21d", "--prospect={}"],
    &["enroll", "cold-outbound-21d", "--search={}"],
    &["queue", "--channel={}"],
    &["approve", "1", "--subject={}"],
    &["call", "1", "--outcome={}"],
    &["call", "1", "--outcome", "connected", "--notes={}"],
    &["done", "1", "--notes={}"],
    &["skip", "1", "--reason={}"],
    &["snooze", "1", "--until={}"],
    &["snooze", "1", "--for={}"],
    &["pause", "--prospect={}"],
    &["resume", "--prospect={}"],
    &["remove", "--prospect={}"],
    &["away", "{}", "2026-12-01"],
    &["away", "2026-12-01", "{}"],
    &["settings", "set", "{}", "x"],
    &["settings", "set", "timezone", "{}"],
    &["settings", "set", "working_days", "{}"],
    &["settings", "set", "hours", "{}"],
    &["settings", "set", "holiday_country", "{}"],
    &["settings", "set", "sender_name", "{}"],
    &["settings", "set", "signature", "{}"],
    &["mailbox", "set", "{}", "x"],
    &["mailbox", "set", "address", "{}"],
    &["mailbox", "set", "smtp_host", "{}"],
    &["mailbox", "set", "folders", "{}"],
    &["mailbox", "correct", "1", "{}"],
    &["mailbox", "tag", "1", "{}"],
    &["classify", "--unsubscribe-address={}"],
];

/// Files read: `{}` is each hostile path.
const WITH_INPUT: &[&[&str]] = &[
    &["import", "{}"],
    &["sequences", "lint", "{}"],
    &["sequences", "add", "{}"],
    &["approve", "1", "--body-file={}"],
    &["mailbox", "set", "ca_file", "{}"],
];

/// Files written: never `/dev/null`, which an export would replace.
const WITH_OUTPUT: &[&[&str]] = &[&["stats", "--csv", "--output={}"], &["stats", "--csv", "--activity", "--output={}"]];

/// Everything that prints outside text for people, run after the hostile writes.
const SHOW: &[&[&str]] = &[
    &["queue"],
    &["prospects", "--limit", "1000"],
    &["prospect", "show", "1"],
    &["touch", "1"],
    &["outbox"],
    &["sequences", "list"],
    &["sequences", "show", "cold-outbound-21d"],
    &["sequences", "lint", "cold-outbound-21d"],
    &["settings", "show"],
    &["stats"],
    &["stats", "--csv"],
    &["stats", "--csv", "--activity"],
    &["stats-settings"],
    &["mailbox", "show"],
    &["mailbox", "sends"],
    &["mailbox", "inbox"],
];

fn fill(template: &[&str], value: &str) -> Vec<String> {
    template.iter().map(|a| a.replace("{}", value)).collect()
}

/// Runs each template with each value, every template on its own copy of
/// the seed, spread over two threads; then the read-only commands on each
/// copy, with and without --json.
fn sweep(seed: &Seed, jobs: Vec<(&'static [&'static str], Vec<String>)>) {
    let jobs = std::sync::Mutex::new(jobs);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some((template, values)) = jobs.lock().unwrap().pop() else { return };
                let (_dir, db) = seed.copy();
                for v in &values {
                    check(&db, &fill(template, v), b"");
                    let mut json = vec!["--json".to_string()];
                    json.extend(fill(template, v));
                    let out = check(&db, &json, b"");
                    if out.status.code() == Some(1) {
                        let reply: serde_json::Value = serde_json::from_slice(&out.stdout)
                            .unwrap_or_else(|e| panic!("cadence {json:?}: no JSON error on stdout ({e})"));
                        assert!(reply["error"]["code"].is_string(), "cadence {json:?}: {reply}");
                    }
                }
                for show in SHOW {
                    let args: Vec<String> = show.iter().map(|a| a.to_string()).collect();
                    let out = check(&db, &args, b"");
                    // CSV is data for a spreadsheet, not text for a terminal.
                    if !show.contains(&"--csv") {
                        let text = String::from_utf8_lossy(&out.stdout);
                        let line = text.lines().find(|l| l.contains('\x1b') || l.contains('\u{202E}'));
                        assert!(line.is_none(), "cadence {args:?} after {template:?} printed {line:?}");
                    }
                }
            });
        }
    });
}

#[test]
fn hostile_numbers_and_text_never_panic() {
    let seed = Seed::new();
    let numbers: Vec<String> = NUMBERS.iter().map(|s| s.to_string()).collect();
    let mut jobs: Vec<(&'static [&'static str], Vec<String>)> = WITH_NUMBER.iter().map(|t| (*t, numbers.clone())).collect();
    jobs.extend(WITH_TEXT.iter().map(|t| (*t, texts())));
    sweep(&seed, jobs);
}

#[test]
fn hostile_files_never_panic() {
    let seed = Seed::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let empty = d.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let binary = d.join("binary.csv");
    std::fs::write(&binary, b"\xff\xfe\x00\x1b[31m\xe2\x80\xae,\"\n\"unterminated\r\n\x00\x00").unwrap();
    let named = d.join("\u{202E}vsc.exe\x1b[2J.csv");
    std::fs::write(&named, "Email,First Name\n\u{202E}x@example.com,\x1b[31mEve\n").unwrap();
    let missing = d.join("no such file.csv");
    let inputs: Vec<String> = [missing.as_path(), d, Path::new("/dev/null"), &empty, &binary, &named, Path::new("")]
        .iter()
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    let outputs: Vec<String> =
        [d.join("no such folder").join("out.csv"), d.to_path_buf(), PathBuf::new(), d.join("\u{202E}vsc.txt\x1b[2J")]
            .iter()
            .map(|p| p.to_str().unwrap().to_string())
            .collect();
    let mut jobs: Vec<(&'static [&'static str], Vec<String>)> = WITH_INPUT.iter().map(|t| (*t, inputs.clone())).collect();
    jobs.extend(WITH_OUTPUT.iter().map(|t| (*t, outputs.clone())));
    sweep(&seed, jobs);
    // A directory given as the database, and a database in a missing folder.
    for db in [d.to_path_buf(), d.join("missing").join("x.db")] {
        check(&db, &["queue".to_string()], b"");
    }
}

#[test]
fn classify_takes_hostile_messages_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let classify = ["classify".to_string()];
    let messages: [&[u8]; 5] = [
        b"",
        b"\xff\xfe\x00\x01garbage",
        b"From: \xe2\x80\xae\x1b[31mmallory@example.com\r\nSubject: \x1b]0;pwned\x07\r\n\r\nhello",
        b"Subject: Mail delivery failed\r\n\r\nceo@example.com 550 5.1.1",
        b"From: a@b\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n",
    ];
    for m in messages {
        check(&db, &classify, m);
    }
}

#[test]
fn bidi_and_escapes_in_a_name_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "First Name,Last Name,Email,Company\n\u{202E}Eve\x1b[31m,Mallory\x1b[0m,eve@example.com,\u{2066}Acme\u{2069}\n")
        .unwrap();
    let s = |a: &[&str]| a.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let out = check(&db, &s(&["import", csv.to_str().unwrap()]), b"");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for args in [s(&["prospects"]), s(&["prospect", "show", "eve@example.com"])] {
        let out = check(&db, &args, b"");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Mallory"), "cadence {args:?}:\n{text}");
        for c in ['\u{202E}', '\x1b', '\u{2066}', '\u{2069}'] {
            assert!(!text.contains(c), "cadence {args:?} printed {c:?}:\n{text}");
        }
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    check(&db, &["sample", "--prospects", "1000"].map(String::from), b"");
    // Far more than a pipe's buffer, then the reader goes away after a few bytes.
    for args in [&["--json", "prospects", "--limit", "100000"][..], &["prospects", "--limit", "100000"], &["stats", "--csv", "--activity"]]
    {
        let mut child = Std::cargo_bin("cadence")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .arg("--now")
            .arg(NOW)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "cadence {args:?} said something on a closed pipe:\n{stderr}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            // Killed by SIGPIPE (13) like `cat`; the shell reports 141.
            assert_eq!(out.status.signal(), Some(13), "cadence {args:?}: {:?}", out.status);
        }
    }
}
