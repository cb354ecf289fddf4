//! Signals through the application layer: the watched folder (each settled
//! file read once, moved to done/ with its report; a file still being
//! written, a hidden one and another kind of file left alone; a file that is
//! not signals moved with the reason), a folder that is not one refused, a
//! signals file imported by path, and the window told what changed.

mod common;

use std::time::{Duration, SystemTime};

use common::{Host, LEADS};
use dto::SignalRuleInput;
use workspace::PathImport;

const TUESDAY: &str = "2026-11-24T14:00:00Z";

fn settled(path: &std::path::Path) {
    let past = SystemTime::now() - Duration::from_secs(10);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(past).unwrap();
}

#[test]
fn the_watched_folder_reads_each_file_once_and_moves_it_with_its_report() {
    let h = Host::new(Some(TUESDAY));
    let leads = h.file("leads.csv", LEADS);
    h.ws.import_path(&leads, &PathImport::default(), &mut |_, _| {}).unwrap();
    h.ws.set_signal_rule(&SignalRuleInput {
        kind: "funding".into(),
        sequence: "cold-short-14d".into(),
        enroll: false,
        cooldown_days: None,
    })
    .unwrap();
    assert!(h.ws.scan_signals_folder().unwrap().is_empty(), "no folder chosen: nothing to read");

    let folder = h.dir.path().join("drop");
    std::fs::create_dir(&folder).unwrap();
    let relative = Host::error(h.ws.set_signals_folder(Some("drop")));
    assert!(relative.message.contains("not a full path"), "{}", relative.message);
    let missing = Host::error(h.ws.set_signals_folder(Some(&folder.join("nope").display().to_string())));
    assert!(missing.message.contains("is not a folder"), "{}", missing.message);
    let s = h.ws.set_signals_folder(Some(&folder.display().to_string())).unwrap();
    assert_eq!(s.folder.as_deref(), Some(folder.display().to_string().as_str()));
    h.events();

    let good = folder.join("funding.csv");
    std::fs::write(&good, "kind,domain,text,when\nfunding,lumenfield.com,Raised a Series B,2026-11-20\nfunding,,No one,2026-11-20\n")
        .unwrap();
    settled(&good);
    let fresh = folder.join("being-written.csv");
    std::fs::write(&fresh, "kind,domain,text\nfunding,harborlabs.io,Seed\n").unwrap();
    let hidden = folder.join(".partial.csv");
    std::fs::write(&hidden, "kind,domain,text\n").unwrap();
    settled(&hidden);
    let other = folder.join("notes.md");
    std::fs::write(&other, "not signals").unwrap();
    settled(&other);
    let wrong = folder.join("people.csv");
    std::fs::write(&wrong, "email,name\na@b.io,A\n").unwrap();
    settled(&wrong);

    let read = h.ws.scan_signals_folder().unwrap();
    let names: Vec<&str> = read.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(names, ["funding.csv", "people.csv"], "settled signals files only");
    let r = read[0].report.as_ref().unwrap();
    assert_eq!((r.stored, r.proposed, r.rejected), (1, 1, 1));
    assert!(read[1].error.as_deref().unwrap().contains("no \"kind\" column"), "{:?}", read[1].error);
    let done = folder.join("done");
    assert!(!good.exists() && done.join("funding.csv").exists(), "moved");
    let report = std::fs::read_to_string(done.join("funding.csv.report.txt")).unwrap();
    assert!(report.contains("1 proposed") && report.contains("line 3: rejected: no one named"), "{report}");
    let why = std::fs::read_to_string(done.join("people.csv.report.txt")).unwrap();
    assert!(why.starts_with("people.csv was not read as signals"), "{why}");
    assert!(fresh.exists() && hidden.exists() && other.exists(), "left where they are");
    assert!(h.changed().contains(&"signals".to_string()), "the window refreshes Signals");
    assert_eq!(h.ws.signals().unwrap().proposals.len(), 1);

    // Read once: a second pass finds nothing new; the same file dropped
    // again is moved beside the first, its signals duplicates.
    assert!(h.ws.scan_signals_folder().unwrap().is_empty());
    std::fs::copy(done.join("funding.csv"), &good).unwrap();
    settled(&good);
    let again = h.ws.scan_signals_folder().unwrap();
    assert_eq!(again[0].report.as_ref().unwrap().duplicates, 1);
    assert!(done.join("funding-2.csv").exists(), "{:?}", std::fs::read_dir(&done).unwrap().collect::<Vec<_>>());
    assert_eq!(h.ws.signals().unwrap().proposals.len(), 1, "never twice for the same signal");
}

#[test]
fn a_signals_file_by_path_and_the_rules_through_the_layer() {
    let h = Host::new(Some(TUESDAY));
    let leads = h.file("leads.csv", LEADS);
    h.ws.import_path(&leads, &PathImport::default(), &mut |_, _| {}).unwrap();
    let set =
        h.ws.set_signal_rule(&SignalRuleInput {
            kind: "Job change".into(),
            sequence: "cold-outbound-21d".into(),
            enroll: true,
            cooldown_days: Some(14),
        })
        .unwrap();
    assert_eq!((set.rule.kind, set.rule.cooldown_days), ("job_change", 14));
    assert_eq!(
        set.findings.len(),
        1,
        "the playbook never quotes the signal: {:?}",
        set.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    let bad = Host::error(h.ws.set_signal_rule(&SignalRuleInput {
        kind: "promotion".into(),
        sequence: "cold-outbound-21d".into(),
        enroll: false,
        cooldown_days: None,
    }));
    assert!(bad.message.contains("not a signal kind"), "{}", bad.message);
    let file = h.file("moves.jsonl", "{\"kind\":\"job_change\",\"email\":\"omar@harborlabs.io\",\"text\":\"Now Head of Growth\"}\n");
    let r = h.ws.import_signals_path(&file).unwrap();
    assert_eq!((r.stored, r.enrolled), (1, 1), "a direct rule enrolls");
    let by = h.ws.results_by_source(None).unwrap();
    assert!(
        by.iter().any(|s| s.kind == Some("job_change") && s.enrolled == 1),
        "{:?}",
        by.iter().map(|s| (s.kind, s.enrolled)).collect::<Vec<_>>()
    );
    h.ws.remove_signal_rule("job change").unwrap();
    assert!(h.ws.signals().unwrap().rules.is_empty());
    assert_eq!(Host::error(h.ws.remove_signal_rule("job_change")).code, "not_found");
}
