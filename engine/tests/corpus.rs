//! The classifier against its corpus (`tests/corpus/*/`): messages written
//! from the documented formats of mail systems, providers, feedback loops
//! and autoresponders in thirteen languages, each with the kind, reason,
//! fault (and so the action), return date and referral Cadence must find.
//! Prints accuracy per kind and per reason (`--nocapture`, or in the
//! nextest output on failure); BENCHMARKS.md quotes it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use engine::mail::{classify, Classified, Kind};

struct Case {
    dir: String,
    file: String,
    kind: String,
    reason: String,
    fault: String,
    return_date: String,
    referral: String,
}

fn corpus() -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        if !dir.join("expected.csv").exists() {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("expected.csv")).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("file,kind,reason,fault,lang,return_date,referral"), "{}", dir.display());
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            assert_eq!(f.len(), 7, "{}: {line}", dir.display());
            cases.push(Case {
                dir: dir.file_name().unwrap().to_string_lossy().into_owned(),
                file: f[0].into(),
                kind: f[1].into(),
                reason: f[2].into(),
                fault: f[3].into(),
                return_date: f[5].into(),
                referral: f[6].into(),
            });
        }
    }
    cases
}

fn read(case: &Case) -> Classified {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(&case.dir).join(&case.file);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    classify(&raw, Some("alex@brightpath.example"), NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())
}

/// What the classifier found, in the corpus's words.
fn found(c: &Classified) -> (String, String, String, String, String) {
    let kind = c.kind.as_str().to_string();
    let b = c.bounce.as_ref();
    let reason = match c.kind {
        Kind::Bounce => b.and_then(|b| b.reason).map_or("", |r| r.as_str()).to_string(),
        Kind::Notice => b.and_then(|b| b.notice).map_or("", |n| n.as_str()).to_string(),
        Kind::Complaint => c.complaint.as_ref().map_or(String::new(), |x| x.feedback_type.clone()),
        _ => String::new(),
    };
    let fault =
        if c.kind == Kind::Bounce { b.and_then(|b| b.reason).map_or("", |r| r.fault().as_str()).to_string() } else { String::new() };
    let back = if c.kind == Kind::AutoReply { c.return_date.map(|d| d.to_string()).unwrap_or_default() } else { String::new() };
    let referral = c.referral.as_ref().map(|r| r.email.clone()).unwrap_or_default();
    (kind, reason, fault, back, referral)
}

#[derive(Default)]
struct Tally {
    right: usize,
    all: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.all += 1;
        self.right += usize::from(ok);
    }
    fn pct(&self) -> f64 {
        100.0 * self.right as f64 / self.all.max(1) as f64
    }
}

#[test]
fn the_corpus_is_read_as_expected() {
    let cases = corpus();
    assert!(cases.len() >= 120, "the corpus holds {} messages; it should hold at least 120", cases.len());
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut kinds, mut reasons, mut faults, mut dates, mut referrals) =
        (Tally::default(), Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let mut wrong = Vec::new();
    for case in &cases {
        let c = read(case);
        let (kind, reason, fault, back, referral) = found(&c);
        let kind_ok = kind == case.kind;
        kinds.add(kind_ok);
        by_kind.entry(case.kind.clone()).or_default().add(kind_ok);
        let mut miss = Vec::new();
        if !kind_ok {
            miss.push(format!("kind {kind}, not {}", case.kind));
        }
        if !case.reason.is_empty() {
            let ok = kind_ok && reason == case.reason;
            reasons.add(ok);
            by_reason.entry(format!("{}:{}", case.kind, case.reason)).or_default().add(ok);
            if !ok && kind_ok {
                miss.push(format!("reason {reason}, not {}", case.reason));
            }
        }
        if !case.fault.is_empty() {
            let ok = kind_ok && fault == case.fault;
            faults.add(ok);
            if !ok && kind_ok {
                miss.push(format!("fault {fault}, not {}", case.fault));
            }
        }
        if case.kind == "auto_reply" {
            let ok = kind_ok && back == case.return_date;
            dates.add(ok);
            if !ok && kind_ok {
                miss.push(format!("return date {back:?}, not {:?}", case.return_date));
            }
        }
        if case.kind == "left_company" {
            let ok = kind_ok && referral == case.referral;
            referrals.add(ok);
            if !ok && kind_ok {
                miss.push(format!("referral {referral:?}, not {:?}", case.referral));
            }
        }
        if !miss.is_empty() {
            wrong.push(format!("{}/{}: {} ({})", case.dir, case.file, miss.join("; "), c.evidence));
        }
    }
    println!("corpus: {} messages", cases.len());
    println!("kind     {:5.1}% ({}/{})", kinds.pct(), kinds.right, kinds.all);
    println!("reason   {:5.1}% ({}/{})", reasons.pct(), reasons.right, reasons.all);
    println!("fault    {:5.1}% ({}/{})  (the action taken)", faults.pct(), faults.right, faults.all);
    println!("back on  {:5.1}% ({}/{})", dates.pct(), dates.right, dates.all);
    println!("referral {:5.1}% ({}/{})", referrals.pct(), referrals.right, referrals.all);
    println!("per kind:");
    for (k, t) in &by_kind {
        println!("  {k:14} {:5.1}% ({}/{})", t.pct(), t.right, t.all);
    }
    println!("per reason:");
    for (k, t) in &by_reason {
        println!("  {k:28} {:5.1}% ({}/{})", t.pct(), t.right, t.all);
    }
    println!("misread ({}):", wrong.len());
    for w in &wrong {
        println!("  {w}");
    }
    // Floors, not targets: a change that reads the corpus worse fails here.
    assert!(kinds.pct() >= 95.0, "kind accuracy {:.1}%", kinds.pct());
    assert!(faults.pct() >= 90.0, "fault accuracy {:.1}%", faults.pct());
    assert!(reasons.pct() >= 85.0, "reason accuracy {:.1}%", reasons.pct());
    assert!(dates.pct() >= 85.0, "return-date accuracy {:.1}%", dates.pct());
    assert!(referrals.pct() >= 85.0, "referral accuracy {:.1}%", referrals.pct());
    // Never an action that hurts the prospect for the rep's own fault, or a
    // reply taken for a bounce.
    assert!(!wrong.iter().any(|w| w.contains("fault address, not sender")), "a sender-fault bounce invalidated an address");
}
