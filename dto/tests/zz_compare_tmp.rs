// TEMPORARY (helper's check): old (HEAD) conversions against the new ones.
#[path = "/tmp/old_dto/lib.rs"]
#[allow(dead_code, unused)]
mod old;

use chrono::{TimeZone, Utc};
use engine::api::{QueueOptions, SampleOptions, SendState, Span};

fn same<A: serde::Serialize, B: serde::Serialize>(what: &str, a: A, b: B) {
    let a = serde_json::to_value(a).unwrap();
    let b = serde_json::to_value(b).unwrap();
    assert_eq!(a, b, "{what} differs");
}

#[test]
fn old_and_new_json_agree() {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let mut e = engine::Engine::open_in_memory(now).unwrap();
    e.generate_sample(&SampleOptions { past: 400, ..SampleOptions::new(60, 7) }, now).unwrap();
    let q = e.queue(now, &QueueOptions::default()).unwrap();
    assert!(!q.items.is_empty());
    same("queue", old::QueueDto::new(&q), dto::QueueDto::new(&q));
    let tz = e.settings().unwrap().timezone;
    let mut n = 0;
    for i in &q.items {
        let t = e.touch(i.touch_id).unwrap();
        same("touch", old::TouchDto::new(&t, tz), dto::TouchDto::new(&t, tz));
        same("prospect", old::ProspectDto::from(&t.prospect), dto::ProspectDto::from(&t.prospect));
        for en in e.enrollments_of(t.prospect.id).unwrap() {
            same("enrollment", old::EnrollmentDto::from(&en), dto::EnrollmentDto::from(&en));
        }
        for tl in e.timeline(t.prospect.id).unwrap() {
            n += 1;
            same("timeline", old::TimelineDto::from(&tl), dto::TimelineDto::from(&tl));
        }
    }
    assert!(n > 0);
    let s = e.settings().unwrap();
    same("settings", old::SettingsDto::from(&s), dto::SettingsDto::from(&s));
    for info in e.sequences().unwrap() {
        same("seq summary", old::SequenceDto::summary(&info), dto::SequenceDto::summary(&info));
        let d = e.sequence(&info.slug).unwrap();
        same("seq detail", old::SequenceDto::detail(&d), dto::SequenceDto::detail(&d));
        let r = e.results(&info.slug, Span { from: None, to: None }, now).unwrap();
        same("results", old::SequenceResultsDto::from(&r), dto::SequenceResultsDto::from(&r));
    }
    for s in e.results_overview(Span { from: None, to: None }).unwrap() {
        same("overview", old::SequenceSummaryDto::from(&s), dto::SequenceSummaryDto::from(&s));
    }
    let t = e.today_stats(now).unwrap();
    same("today", old::TodayStatsDto::from(&t), dto::TodayStatsDto::from(&t));
    let rs = e.results_settings().unwrap();
    same("results settings", old::ResultsSettingsDto::from(rs), dto::ResultsSettingsDto::from(rs));
    let inbox = e.inbox(500).unwrap();
    assert!(!inbox.is_empty());
    for r in &inbox {
        same("inbound", old::InboundDto::from(r), dto::InboundDto::from(r));
    }
    let m = e.mailbox().unwrap();
    same("mailbox", old::MailboxDto::new(&m, true), dto::MailboxDto::new(&m, true));
    let sends = e.sends(SendState::ALL, None, 1000).unwrap();
    assert!(!sends.is_empty());
    for (s, em, subj) in &sends {
        same("send", old::SendDto::new(s, em, subj), dto::SendDto::new(s, em, subj));
    }
    // Approve an email to have an outbox.
    let email = q.items.iter().find(|i| i.channel == engine::domain::Channel::Email && i.needs_approval).map(|i| i.touch_id);
    if let Some(id) = email {
        let _ = e.complete(id, engine::api::Outcome::Approve { subject: None, body: None }, now);
    }
    let ob = e.outbox().unwrap();
    eprintln!("outbox {}", ob.len());
    for o in &ob {
        same("outbox", old::OutboxDto::new(o, tz), dto::OutboxDto::new(o, tz));
    }
    // Import and preview.
    let csv = b"email,first_name,company,state,bogus\nana@acme.test,Ana,Acme,CA,x\nbad,,,,\nana@acme.test,Ana,Acme,,\nben@beta.test,Ben,Beta,zz,\n";
    let p = e.preview_csv(csv, &Default::default(), 5).unwrap();
    same("preview", old::ImportPreviewDto::new("f.csv".into(), &p), dto::ImportPreviewDto::new("f.csv".into(), &p));
    let r = e.import_csv("f.csv", csv, &Default::default(), now).unwrap();
    same("import", old::ImportReportDto::from(&r), dto::ImportReportDto::from(&r));
    let r2 = e.import_csv("f.csv", csv, &Default::default(), now).unwrap();
    assert!(!r2.skipped.is_empty());
    same("import again", old::ImportReportDto::from(&r2), dto::ImportReportDto::from(&r2));
    let ids: Vec<i64> = e.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    let slug = e.sequences().unwrap()[0].slug.clone();
    let er = e.enroll(&engine::api::Selection::Prospects(ids), &slug, false, now).unwrap();
    assert!(!er.skipped.is_empty());
    same("enroll", old::EnrollReportDto::from(&er), dto::EnrollReportDto::from(&er));
    // Lint findings.
    let d = e.sequence(&slug).unwrap();
    let mut nf = 0;
    for info in e.sequences().unwrap() { let d = e.sequence(&info.slug).unwrap(); for f in &d.findings { nf += 1; same("finding", old::FindingDto::from(f), dto::FindingDto::from(f)); } }
    eprintln!("findings {nf}");
    for f in &d.findings {
        same("finding", old::FindingDto::from(f), dto::FindingDto::from(f));
    }
    // Classified.
    let raw = b"From: MAILER-DAEMON@x.test\r\nTo: rep@x.test\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x.test\r\n\r\nFinal-Recipient: rfc822; ana@acme.test\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n";
    let c = engine::mail::classify(raw, None, now.date_naive());
    assert!(c.bounce.is_some());
    same("classified", old::ClassifiedDto::from(&c), dto::ClassifiedDto::from(&c));
    // Inputs.
    let pq: dto::ProspectQuery = serde_json::from_str(r#"{"search":" acme ","offset":3,"limit":5000}"#).unwrap();
    let opq: old::ProspectQuery = serde_json::from_str(r#"{"search":" acme ","offset":3,"limit":5000}"#).unwrap();
    assert_eq!(format!("{:?}", pq.filter()), format!("{:?}", opq.filter()));
    for j in [r#"{"sequence":"cold","prospect_ids":[1,2],"matching":null,"import_id":null}"#, r#"{"sequence":"cold","prospect_ids":[],"matching":" x ","import_id":null}"#, r#"{"sequence":"cold","prospect_ids":[],"matching":null,"import_id":4}"#] {
        let a: dto::EnrollInput = serde_json::from_str(j).unwrap();
        let b: old::EnrollInput = serde_json::from_str(j).unwrap();
        assert_eq!(format!("{:?}", a.selection()), format!("{:?}", b.selection()));
    }
    let j = r#"{"path":"/tmp/x.csv","mapping":[["Mail","email"]],"update":true}"#;
    let a: dto::ImportInput = serde_json::from_str(j).unwrap();
    let b: old::ImportInput = serde_json::from_str(j).unwrap();
    assert_eq!(format!("{:?}", a.options().unwrap()), format!("{:?}", b.options().unwrap()));
}
