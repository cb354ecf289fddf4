//! Output for people. Prospect data is printed as text; control characters
//! from files are replaced so a CSV cannot drive the terminal.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use engine::api::{EnrollReport, ImportReport, OutboxItem, Queue, QueueItem, SequenceDetail, SequenceInfo, TimelineEntry, TouchDetail};
use engine::domain::{Channel, Prospect};
use engine::sequence::Finding;
use engine::settings::RepSettings;
use engine::store::enrollments::Enrollment;

/// Untrusted text, made safe for a terminal.
pub fn safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\n' { '·' } else { c }).collect()
}

fn icon(c: Channel) -> &'static str {
    match c {
        Channel::Email => "✉",
        Channel::Call => "☎",
        Channel::LinkedinView | Channel::LinkedinConnect | Channel::LinkedinMessage => "in",
        Channel::Sms => "✆",
        Channel::Task => "✓",
    }
}

pub fn when(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%a %-d %b %H:%M %Z").to_string()
}

pub fn queue(q: &Queue) {
    println!("Today · {} ({}) · {} due, {} overdue", q.day.format("%a %-d %b %Y"), q.rep_timezone.name(), q.total, q.overdue);
    if q.total == 0 {
        println!("\nNothing due. Import prospects (`cadence import file.csv`) and enroll them (`cadence enroll <sequence> --import <id>`).");
        return;
    }
    let counts: Vec<String> = q.counts.iter().map(|c| format!("{} {} {}", icon(c.channel), c.channel.as_str(), c.due)).collect();
    println!("{}", counts.join("   "));
    // Overdue first, then one group per channel in the order the day is
    // worked; within a group the engine's order (soonest-closing window first).
    let groups: [(&str, fn(&QueueItem) -> bool); 5] = [
        ("OVERDUE", |i| i.overdue),
        ("EMAIL", |i| !i.overdue && i.channel == Channel::Email),
        ("CALLS", |i| !i.overdue && i.channel == Channel::Call),
        ("LINKEDIN", |i| !i.overdue && i.channel.is_linkedin()),
        ("TASKS AND SMS", |i| !i.overdue && matches!(i.channel, Channel::Task | Channel::Sms)),
    ];
    for (title, belongs) in groups {
        let members: Vec<&QueueItem> = q.items.iter().filter(|i| belongs(i)).collect();
        if !members.is_empty() {
            println!("\n{title} ({})", members.len());
            for i in members {
                item(i, q.rep_timezone);
            }
        }
    }
    if q.items.len() < q.total {
        println!("\n… and {} more (use --limit).", q.total - q.items.len());
    }
    println!("\nWork a touch: cadence touch <id> · approve <id> · call <id> --outcome … · done <id> · skip <id> · snooze <id> --for 2h");
}

fn item(i: &QueueItem, rep: Tz) {
    let who = match &i.company {
        Some(c) => format!("{} · {}", safe(&i.name), safe(c)),
        None => safe(&i.name),
    };
    let timing = if i.overdue {
        format!("{}d late", i.days_late)
    } else {
        let mine = i.due_at.with_timezone(&rep).format("%H:%M").to_string();
        match i.prospect_timezone {
            Some(z) if i.channel == Channel::Email || i.channel == Channel::Call => format!("{mine} ({} theirs)", i.due_at.with_timezone(&z).format("%H:%M")),
            None if i.channel == Channel::Email => format!("{mine} (their zone unknown)"),
            _ => mine,
        }
    };
    println!("  #{:<6} {:<2} {:<42} step {:>2}/{:<2} {}", i.touch_id, icon(i.channel), truncate(&who, 42), i.step + 1, i.steps, timing);
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

pub fn import(r: &ImportReport) {
    println!("Imported {} ({}): {} new, {} updated, {} already known and skipped, {} rejected.", safe(&r.file), r.encoding.as_str(), r.imported, r.updated, r.skipped.len(), r.rejected.len());
    let mapped: Vec<String> = r.mapping.iter().map(|m| format!("{} → {}", safe(&m.header), m.field.name())).collect();
    println!("Columns: {}", mapped.join(", "));
    if r.timezone_unknown > 0 {
        println!("{} prospect(s) have no known time zone; their emails use your zone until you set one.", r.timezone_unknown);
    }
    for x in &r.rejected {
        println!("  line {:>6}: {}{}", x.line, x.email.as_deref().map(|e| format!("{} – ", safe(e))).unwrap_or_default(), safe(&x.reason));
    }
    for w in &r.warnings {
        println!("  line {:>6}: note: {}", w.line, safe(&w.message));
    }
    println!("Import id: {} (enroll them all with `cadence enroll <sequence> --import {}`)", r.import_id, r.import_id);
}

pub fn enroll(r: &EnrollReport, slug: &str) {
    println!("Enrolled {} prospect(s) in {slug}; {} skipped.", r.enrolled.len(), r.skipped.len());
    for s in r.skipped.iter().take(20) {
        println!("  {}: {}", safe(&s.email), s.reason);
    }
    if r.skipped.len() > 20 {
        println!("  … and {} more", r.skipped.len() - 20);
    }
}

pub fn prospects(list: &[Prospect]) {
    if list.is_empty() {
        println!("No prospects match.");
    }
    for p in list {
        let tz = p.timezone.map(|t| t.name().to_string()).unwrap_or_else(|| "zone unknown".into());
        println!("{:>7}  {:<28} {:<34} {:<22} {}", p.id, truncate(&safe(&p.full_name()), 28), truncate(&safe(&p.email), 34), truncate(&safe(p.company.as_deref().unwrap_or("")), 22), tz);
    }
}

pub fn prospect(p: &Prospect, enrollments: &[Enrollment], timeline: &[TimelineEntry]) {
    println!("{} <{}>  (id {})", safe(&p.full_name()), safe(&p.email), p.id);
    for (label, v) in [("Title", &p.title), ("Company", &p.company), ("Phone", &p.phone), ("LinkedIn", &p.linkedin), ("City", &p.city), ("Country", &p.country)] {
        if let Some(v) = v {
            println!("  {label:<9} {}", safe(v));
        }
    }
    println!("  {:<9} {} ({})", "Zone", p.timezone.map(|t| t.name().to_string()).unwrap_or_else(|| "unknown".into()), p.tz_source.as_str());
    for (k, v) in &p.extra {
        println!("  {:<9} {}", safe(k), safe(v));
    }
    println!("Enrollments:");
    for e in enrollments {
        let exit = e.exit_reason.map(|r| format!(" ({})", r.as_str())).unwrap_or_default();
        println!("  #{} {}{exit}, at step {}", e.id, e.state.as_str(), e.step + 1);
    }
    println!("Timeline:");
    for t in timeline {
        let seq = t.sequence.as_deref().map(|s| format!(" · {s}")).unwrap_or_default();
        let step = t.step.map(|s| format!(" step {}", s + 1)).unwrap_or_default();
        let data = if t.data.as_object().is_some_and(|o| !o.is_empty()) { format!(" {}", safe(&t.data.to_string())) } else { String::new() };
        println!("  {} {}{seq}{step}{data}", t.at.format("%Y-%m-%d %H:%M"), t.kind);
    }
}

pub fn sequences(list: &[SequenceInfo]) {
    for s in list {
        let q = &s.sequence;
        let active: i64 = s.enrollments.iter().filter(|(k, _)| k == "active").map(|(_, n)| n).sum();
        println!("{:<22} {:<40} {:>2} touches · {:>2} business days · {} · {} active", s.slug, q.name, q.steps.len(), q.span_business_days(), q.channel_families().join("/"), active);
    }
}

pub fn sequence(d: &SequenceDetail) {
    let s = &d.info.sequence;
    println!("{} ({}, version {}) · {}", s.name, d.info.slug, d.info.version, s.kind);
    println!("{}\n", s.description);
    let mut day = 0;
    for (i, st) in s.steps.iter().enumerate() {
        day += st.delay;
        let label = st.label.as_deref().unwrap_or("");
        let extra = if st.breakup { " · break-up" } else { "" };
        println!("  {:>2}. day +{:<2} {:<2} {:<28} {label}{extra}", i + 1, day, icon(st.channel), st.channel.label());
    }
    println!();
    lint(&s.name, &d.findings);
}

pub fn lint(name: &str, findings: &[Finding]) {
    if findings.is_empty() {
        println!("{name}: no warnings.");
        return;
    }
    println!("{name}: {} warning(s)", findings.len());
    for f in findings {
        let step = f.step.map(|s| format!(" (step {s})")).unwrap_or_default();
        println!("  - [{}]{step} {}\n      why: {}", f.rule.as_str(), f.message, f.reason);
    }
}

pub fn touch(d: &TouchDetail) {
    let p = &d.prospect;
    println!("Touch #{} · {} · step {}/{} of {} · {}", d.touch.id, d.touch.channel.label(), d.touch.step + 1, d.steps, d.sequence_name, d.touch.state.as_str());
    println!("{} <{}>{}", safe(&p.full_name()), safe(&p.email), p.company.as_deref().map(|c| format!(" · {}", safe(c))).unwrap_or_default());
    if let Some(phone) = &p.phone {
        println!("Phone: {}", safe(phone));
    }
    if d.touch.channel.is_linkedin() {
        if let Some(l) = &p.linkedin {
            println!("Profile: {}", safe(l));
        }
    }
    println!();
    if let Some(s) = &d.draft.subject {
        println!("Subject: {}", safe(s));
    }
    if d.draft.is_blocked() {
        if !d.draft.missing.is_empty() {
            println!("BLOCKED: {} has no value for {}. Fill it with `cadence prospect set {} <field> <value>`, or approve with your own text.", safe(&p.full_name()), d.draft.missing.join(", "), p.id);
        }
        if let Some(problem) = &d.draft.problem {
            println!("BLOCKED: {problem}.");
        }
    } else {
        println!("{}", safe(&d.draft.body));
    }
}

pub fn outbox(list: &[OutboxItem], tz: Tz) {
    if list.is_empty() {
        println!("The outbox is empty.");
    }
    for o in list {
        println!("  #{:<6} {:<34} {:<44} {}", o.touch_id, truncate(&safe(&o.email), 34), truncate(&safe(&o.subject), 44), when(o.send_at, tz));
    }
}

pub fn settings(s: &RepSettings) {
    let days: Vec<String> = s.working_days.iter().map(|d| d.to_string()).collect();
    println!("timezone         {}", s.timezone.name());
    println!("working_days     {}", days.join(","));
    println!("hours            {}-{}", s.day_start.format("%H:%M"), s.day_end.format("%H:%M"));
    println!("holiday_country  {}", s.holiday_country.as_deref().unwrap_or("none"));
    for a in &s.away {
        println!("away             {} to {}", a.from, a.to);
    }
    println!("sender_name      {}", s.sender_name);
    println!("sender_company   {}", s.sender_company);
    println!("signature        {}", s.signature.replace('\n', "\\n"));
    println!("opt_out          {}", s.opt_out);
}
