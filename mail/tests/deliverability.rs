//! Every built-in playbook's emails, rendered for a sample prospect and built
//! exactly as they go on the wire, score at most 1.0 with SpamAssassin run
//! offline (the local-mail recipe's checker; no network tests, no Bayes).

mod common;

use chrono::Utc;
use engine::api::{ImportOptions, Outgoing};
use engine::domain::Channel;
use engine::sequence::{builtin_sequences, parse_sequence, Thread};
use engine::settings::RepSettings;
use engine::Engine;

fn score(raw: &[u8]) -> (f64, String) {
    use std::io::Write;
    let checker = common::mail_root().join("sa-check.pl");
    assert!(checker.exists(), "scripts/mail-server start copies the checker to {}", checker.display());
    let mut child = std::process::Command::new("perl")
        .arg(&checker)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(raw).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (s, rules) = text.trim().split_once('\t').unwrap_or((text.trim(), ""));
    (s.parse().unwrap_or_else(|_| panic!("sa-check said: {text}")), rules.to_string())
}

#[test]
fn every_playbook_email_scores_at_most_one_with_spamassassin() {
    let now = Utc::now();
    let mut eng = Engine::open_in_memory(now).unwrap();
    let rep = RepSettings {
        sender_name: "Alex Rivera".into(),
        sender_company: "Northwind Labs".into(),
        signature: "Alex Rivera\nNorthwind Labs".into(),
        ..Default::default()
    };
    eng.set_settings(&rep).unwrap();
    let csv = "email,first_name,last_name,company,title,city,country\ndana@lumenfield.example,Dana,Brooks,Lumenfield,VP Sales,Austin,United States\n";
    eng.import_csv("p.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
    let p = eng.find_prospect("dana@lumenfield.example").unwrap();
    let mut checked = 0;
    let mut worst = (0.0, String::new());
    for b in builtin_sequences() {
        let seq = parse_sequence(b.file, b.source).unwrap();
        let fields = engine::draft::fields(&p, &rep, &seq);
        let mut thread: Vec<String> = Vec::new();
        let mut subject = None;
        for (i, step) in seq.steps.iter().enumerate().filter(|(_, s)| s.channel == Channel::Email) {
            for v in 0..step.variant_count() {
                let replies = step.thread == Thread::Reply && subject.is_some();
                let d = engine::draft::render(step, v, &fields, if replies { subject.as_deref() } else { None });
                assert!(!d.is_blocked(), "{} step {}: {:?}", b.slug, i + 1, d.missing);
                let id = format!("cadence.{checked}.test@northwind.example");
                let out = Outgoing {
                    touch_id: checked as i64,
                    prospect_id: p.id,
                    enrollment_id: 1,
                    message_id: id.clone(),
                    from_name: rep.sender_name.clone(),
                    from: "alex@northwind.example".into(),
                    to_name: p.full_name(),
                    to: p.email.clone(),
                    subject: d.subject.clone().unwrap_or_default(),
                    body: d.body.clone(),
                    in_reply_to: replies.then(|| thread.last().cloned()).flatten(),
                    references: if replies { thread.clone() } else { vec![] },
                    unsubscribe: Some("mailto:alex@northwind.example?subject=unsubscribe".into()),
                    since: now,
                    company_domain: None,
                    attempt: 1,
                };
                let raw = mail::compose::compose(&out, false, now).unwrap().bytes;
                let (s, rules) = score(&raw);
                eprintln!("{:<22} step {:>2} variant {v}: {s:.1} {rules}", b.slug, i + 1);
                assert!(s <= 1.0, "{} step {} variant {v} scores {s} ({rules})", b.slug, i + 1);
                if s > worst.0 {
                    worst = (s, format!("{} step {}: {rules}", b.slug, i + 1));
                }
                if v == 0 {
                    subject = subject.or(d.subject.clone());
                    thread.push(id);
                }
                checked += 1;
            }
        }
    }
    eprintln!("{checked} emails checked; worst {:.1} ({})", worst.0, worst.1);
    assert!(checked >= 15, "all playbooks' emails were checked ({checked})");
}
