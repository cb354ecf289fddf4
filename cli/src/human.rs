//! Output for people, from the same DTOs `--json` prints. Every piece of
//! outside text (prospect data, sequence files, mail, settings, what a
//! person typed) goes through [`safe`] or [`safe_text`]: control characters
//! and bidirectional overrides are replaced so a CSV, a sequence file or a
//! message cannot drive the terminal or reorder what it shows.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use dto::{
    BackupDto, CompletedDto, EnrollReportDto, FindingDto, ImportReportDto, OutboxDto, ProspectDetailDto, ProspectDto, QueueDto,
    QueueItemDto, RestoredDto, SequenceDto, SettingsDto, TouchDto,
};
use engine::domain::{Channel, Timing};
use workspace::{Error, Result};

/// Characters that reorder text on screen: the bidirectional embeddings and
/// overrides (U+202A–U+202E), isolates (U+2066–U+2069) and marks (U+200E,
/// U+200F, U+061C). A U+202E in a name can make "exe.txt" read "txt.exe".
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn replaced(s: &str, keep_newlines: bool) -> String {
    s.chars().map(|c| if (c.is_control() && !(keep_newlines && c == '\n')) || is_bidi_control(c) { '·' } else { c }).collect()
}

/// Untrusted text for one line: control characters (newlines and escape
/// sequences included) and bidirectional controls become `·`.
pub fn safe(s: &str) -> String {
    replaced(s, false)
}

/// Untrusted text that may run over several lines (a draft's body, a
/// signature, an error naming a file's line): as [`safe`], keeping `\n`.
pub fn safe_text(s: &str) -> String {
    replaced(s, true)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

pub fn name(p: &ProspectDto) -> String {
    engine::domain::display_name(p.first_name.as_deref(), p.last_name.as_deref(), &p.email)
}

fn channel(name: &str) -> Channel {
    Channel::parse(name).unwrap_or(Channel::Task)
}

fn icon(c: &str) -> &'static str {
    match channel(c) {
        Channel::Email => "✉",
        Channel::Call => "☎",
        Channel::LinkedinView | Channel::LinkedinConnect | Channel::LinkedinMessage => "in",
        Channel::Sms => "✆",
        Channel::Task => "✓",
    }
}

fn parse(t: &str) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(t).ok()
}

/// A UTC instant from a DTO, in `zone`: "Tue 24 Nov 09:30 EST".
pub fn when_utc(t: &str, zone: &str) -> String {
    match (parse(t), zone.parse::<Tz>()) {
        (Some(t), Ok(z)) => t.with_timezone(&Utc).with_timezone(&z).format("%a %-d %b %H:%M %Z").to_string(),
        _ => t.to_string(),
    }
}

fn hour(t: &str) -> String {
    parse(t).map_or_else(|| t.to_string(), |t| t.format("%H:%M").to_string())
}

/// `--map "Header=field"`: the header (which may itself hold `=`) and the
/// field; the workspace checks the field.
pub fn header_mapping(m: &str) -> Result<(String, String)> {
    let (h, f) = m.rsplit_once('=').ok_or_else(|| Error::Invalid(format!("--map \"{m}\": expected \"Header=field\"")))?;
    Ok((h.to_string(), f.to_string()))
}

/// A heading of the queue and who belongs under it.
type Group = (&'static str, fn(&QueueItemDto) -> bool);

pub fn queue(q: &QueueDto) {
    let day =
        chrono::NaiveDate::parse_from_str(&q.day, "%Y-%m-%d").map_or_else(|_| q.day.clone(), |d| d.format("%a %-d %b %Y").to_string());
    println!("Today · {} ({}) · {} due, {} overdue", safe(&day), safe(&q.timezone), q.total, q.overdue);
    if q.total == 0 {
        println!(
            "\nNothing due. Import prospects (`cadence import file.csv`) and enroll them (`cadence enroll <sequence> --import <id>`)."
        );
        return;
    }
    let counts: Vec<String> = q.counts.iter().map(|c| format!("{} {} {}", icon(c.channel), c.channel, c.due)).collect();
    println!("{}", counts.join("   "));
    // Overdue first, then one group per channel in the order the day is
    // worked; within a group the engine's order (soonest-closing window first).
    let groups: [Group; 5] = [
        ("OVERDUE", |i| i.overdue),
        ("EMAIL", |i| !i.overdue && channel(i.channel) == Channel::Email),
        ("CALLS", |i| !i.overdue && channel(i.channel) == Channel::Call),
        ("LINKEDIN", |i| !i.overdue && channel(i.channel).is_linkedin()),
        ("TASKS AND SMS", |i| !i.overdue && matches!(channel(i.channel), Channel::Task | Channel::Sms)),
    ];
    for (title, belongs) in groups {
        let members: Vec<&QueueItemDto> = q.items.iter().filter(|i| belongs(i)).collect();
        if !members.is_empty() {
            println!("\n{title} ({})", members.len());
            for i in members {
                item(i);
            }
        }
    }
    if q.items.len() < q.total {
        println!("\n… and {} more (use --limit).", q.total - q.items.len());
    }
    println!("\nWork a touch: cadence touch <id> · approve <id> · call <id> --outcome … · done <id> · skip <id> · snooze <id> --for 2h");
}

fn item(i: &QueueItemDto) {
    let who = match &i.company {
        Some(c) => format!("{} · {}", safe(&i.name), safe(c)),
        None => safe(&i.name),
    };
    let c = channel(i.channel);
    let timing = if i.overdue {
        format!("{}d late", i.days_late)
    } else {
        let mine = hour(&i.due_rep_local);
        match &i.due_prospect_local {
            // Emails and calls keep the prospect's hours: show theirs too.
            Some(theirs) if c.timing() != Timing::RepHours => format!("{mine} ({} theirs)", hour(theirs)),
            None if c.timing() == Timing::ProspectWindow => format!("{mine} (their zone unknown)"),
            _ => mine,
        }
    };
    println!("  #{:<6} {:<2} {:<42} step {:>2}/{:<2} {}", i.touch_id, icon(i.channel), truncate(&who, 42), i.step, i.steps, timing);
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

pub fn import(r: &ImportReportDto) {
    println!(
        "Imported {} ({}): {} new, {} updated, {} already known and skipped, {} rejected.",
        safe(&r.file),
        r.encoding,
        r.imported,
        r.updated,
        r.skipped.len(),
        r.rejected.len()
    );
    let mapped: Vec<String> = r.mapping.iter().map(|(h, f)| format!("{} → {}", safe(h), safe(f))).collect();
    println!("Columns: {}", mapped.join(", "));
    if r.timezone_unknown > 0 {
        println!("{} prospect(s) have no known time zone; their emails use your zone until you set one:", r.timezone_unknown);
        for x in &r.no_timezone {
            println!("  line {}: {}", x.line, safe(x.email.as_deref().unwrap_or("")));
        }
    }
    for x in &r.rejected {
        println!("  line {:>6}: {}{}", x.line, x.email.as_deref().map(|e| format!("{} – ", safe(e))).unwrap_or_default(), safe(&x.reason));
    }
    for w in &r.warnings {
        println!("  line {:>6}: note: {}", w.line, safe(&w.reason));
    }
    println!("Import id: {} (enroll them all with `cadence enroll <sequence> --import {}`)", r.import_id, r.import_id);
}

pub fn enroll(r: &EnrollReportDto, slug: &str) {
    println!("Enrolled {} prospect(s) in {}; {} skipped.", r.enrolled, safe(slug), r.skipped.len());
    for s in r.skipped.iter().take(20) {
        println!("  {}: {}", safe(s.email.as_deref().unwrap_or("")), safe(&s.reason));
    }
    if r.skipped.len() > 20 {
        println!("  … and {} more", r.skipped.len() - 20);
    }
}

pub fn prospects(list: &[ProspectDto]) {
    if list.is_empty() {
        println!("No prospects match.");
    }
    for p in list {
        let tz = safe(p.timezone.as_deref().unwrap_or("zone unknown"));
        println!(
            "{:>7}  {:<28} {:<34} {:<22} {}",
            p.id,
            truncate(&safe(&name(p)), 28),
            truncate(&safe(&p.email), 34),
            truncate(&safe(p.company.as_deref().unwrap_or("")), 22),
            tz
        );
    }
}

pub fn prospect(d: &ProspectDetailDto) {
    let p = &d.prospect;
    println!("{} <{}>  (id {})", safe(&name(p)), safe(&p.email), p.id);
    for (label, v) in [
        ("Title", &p.title),
        ("Company", &p.company),
        ("Phone", &p.phone),
        ("LinkedIn", &p.linkedin),
        ("City", &p.city),
        ("Country", &p.country),
    ] {
        if let Some(v) = v {
            println!("  {label:<9} {}", safe(v));
        }
    }
    println!("  {:<9} {} ({})", "Zone", safe(p.timezone.as_deref().unwrap_or("unknown")), p.timezone_source);
    for (k, v) in &p.custom {
        println!("  {:<9} {}", safe(k), safe(v));
    }
    println!("Enrollments:");
    for e in &d.enrollments {
        let exit = e.exit_reason.map(|r| format!(" ({r})")).unwrap_or_default();
        println!("  #{} {}{exit}, at step {}", e.id, e.state, e.step);
    }
    println!("Timeline:");
    for t in &d.timeline {
        let seq = t.sequence.as_deref().map(|s| format!(" · {}", safe(s))).unwrap_or_default();
        let step = t.step.map(|s| format!(" step {s}")).unwrap_or_default();
        let data =
            if t.data.as_object().is_some_and(|o| !o.is_empty()) { format!(" {}", safe(&t.data.to_string())) } else { String::new() };
        let at = parse(&t.at).map_or_else(|| t.at.clone(), |a| a.format("%Y-%m-%d %H:%M").to_string());
        println!("  {at} {}{seq}{step}{data}", t.kind);
    }
}

pub fn sequences(list: &[SequenceDto]) {
    for s in list {
        let active = s.enrollments.get("active").copied().unwrap_or(0);
        let range = |lo: String, hi: String| if lo == hi { hi } else { format!("{lo}-{hi}") };
        println!(
            "{:<22} {:<40} {:>2} touches · {:>2} business days · {} · {} active",
            safe(&s.slug),
            safe(&s.name),
            range(s.touches_min.to_string(), s.touches.to_string()),
            range(s.business_days_min.to_string(), s.business_days.to_string()),
            s.channels.join("/"),
            active
        );
    }
}

pub fn sequence(d: &SequenceDto) {
    println!("{} ({}, version {}) · {}", safe(&d.name), safe(&d.slug), d.version, d.kind);
    println!("{}\n", safe_text(&d.description));
    for st in d.steps.as_deref().unwrap_or_default() {
        let label = safe(st.label.as_deref().unwrap_or(""));
        let extra = if st.breakup { " · break-up" } else { "" };
        println!("  {:>2}. day +{:<2} {:<2} {:<28} {label}{extra}", st.number, st.day, icon(st.channel), channel(st.channel).label());
    }
    println!();
    lint(&d.name, d.findings.as_deref().unwrap_or_default());
}

pub fn lint(name: &str, findings: &[FindingDto]) {
    let name = safe(name);
    if findings.is_empty() {
        println!("{name}: no warnings.");
        return;
    }
    println!("{name}: {} warning(s)", findings.len());
    for f in findings {
        let step = f.step.map(|s| format!(" (step {s})")).unwrap_or_default();
        println!("  - [{}]{step} {}\n      why: {}", f.rule, safe(&f.message), safe(&f.reason));
    }
}

pub fn touch(d: &TouchDto) {
    let p = &d.prospect;
    let c = channel(d.channel);
    println!("Touch #{} · {} · step {}/{} of {} · {}", d.touch_id, c.label(), d.step, d.steps, safe(&d.sequence), d.state);
    println!("{} <{}>{}", safe(&name(p)), safe(&p.email), p.company.as_deref().map(|c| format!(" · {}", safe(c))).unwrap_or_default());
    if let Some(phone) = &p.phone {
        println!("Phone: {}", safe(phone));
    }
    if c.is_linkedin() {
        if let Some(l) = &p.linkedin {
            println!("Profile: {}", safe(l));
        }
    }
    println!();
    if let Some(s) = &d.subject {
        println!("Subject: {}", safe(s));
    }
    if d.blocked {
        let missing: Vec<&str> = d.missing_fields.iter().chain(d.missing_settings.iter()).map(String::as_str).collect();
        if !missing.is_empty() {
            println!(
                "BLOCKED: {} has no value for {}. Fill it with `cadence prospect set {} <field> <value>`, or approve with your own text.",
                safe(&name(p)),
                safe(&missing.join(", ")),
                p.id
            );
        }
        if let Some(problem) = &d.problem {
            println!("BLOCKED: {}.", safe(problem));
        }
    } else {
        println!("{}", safe_text(&d.text));
    }
}

/// "Marked done (touch 12); Dana Reyes left the sequence (meeting booked)."
pub fn completed(d: &CompletedDto, what: &str) {
    let tail = match (d.enrollment_state, d.exit_reason) {
        ("exited", Some(r)) => format!("; {} left the sequence ({})", safe(&d.prospect_name), r.replace('_', " ")),
        ("finished", _) => format!("; {} finished the sequence", safe(&d.prospect_name)),
        _ => String::new(),
    };
    println!("{} (touch {}){tail}.", safe(what), d.touch_id);
}

pub fn outbox(list: &[OutboxDto], zone: &str) {
    if list.is_empty() {
        println!("The outbox is empty.");
    }
    for o in list {
        println!(
            "  #{:<6} {:<34} {:<44} {}",
            o.touch_id,
            truncate(&safe(&o.email), 34),
            truncate(&safe(&o.subject), 44),
            when_utc(&o.send_at, zone)
        );
    }
}

pub fn settings(s: &SettingsDto) {
    println!("timezone         {}", safe(&s.timezone));
    let days: Vec<String> = s.working_days.iter().map(|d| capital(d)).collect();
    println!("working_days     {}", safe(&days.join(",")));
    println!("hours            {}", safe(&s.hours));
    println!("holiday_country  {}", safe(s.holiday_country.as_deref().unwrap_or("none")));
    for (from, to) in &s.away {
        println!("away             {} to {}", safe(&from.to_string()), safe(&to.to_string()));
    }
    println!("sender_name      {}", safe(&s.sender_name));
    println!("sender_company   {}", safe(&s.sender_company));
    println!("signature        {}", safe(&s.signature.replace('\n', "\\n")));
    println!("opt_out          {}", safe(&s.opt_out));
    println!("notifications    {}", if s.notifications { "on" } else { "off" });
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

pub fn backup(b: &BackupDto) {
    println!("Backed up to {} ({}).", safe(&b.file), megabytes(b.size_bytes));
}

pub fn backups(list: &[BackupDto], folder: &std::path::Path) {
    if list.is_empty() {
        println!("No backups yet in {}.", safe(&folder.display().to_string()));
        return;
    }
    println!("{:<26} {:<15} {:>9}  file", "taken", "kind", "size");
    for b in list {
        println!("{:<26} {:<15} {:>9}  {}", b.taken_local, b.kind, megabytes(b.size_bytes), safe(&b.file));
    }
}

pub fn restored(r: &RestoredDto) {
    println!("Restored {} prospects from {}.", r.prospects, safe(&r.restored_from));
    if let Some(kept) = &r.previous_kept_as {
        println!("The database as it was is kept at {}.", safe(kept));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_replaces_controls_and_bidi() {
        let hostile = "a\x1b[31mb\u{9b}c\u{202A}\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{061C}d\te\nf";
        assert_eq!(safe(hostile), "a·[31mb·c·······d·e·f");
        assert_eq!(safe_text(hostile), "a·[31mb·c·······d·e\nf");
        assert_eq!(safe("Müller 日本 ✉"), "Müller 日本 ✉");
    }
}
