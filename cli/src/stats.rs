//! `cadence stats`: results as a summary, as JSON (the same DTO the app
//! shows), or as CSV (the figures, or the activity log).

use std::path::Path;

use chrono::NaiveDate;
use dto::{SequenceResultsDto, StepResultsDto};
use engine::domain::Channel;
use workspace::{ExportKind, Period, Result, Workspace};

use crate::human::safe;

/// The period from --days, or --since/--until (whole days in the rep's zone).
pub fn period(days: Option<u32>, since: Option<NaiveDate>, until: Option<NaiveDate>) -> Period {
    if days.is_some() || (since.is_none() && until.is_none()) {
        Period::LastDays(days)
    } else {
        Period::Dates { since, until }
    }
}

pub fn run(ws: &Workspace, slug: Option<&str>, period: Period, csv: bool, activity: bool, output: Option<&Path>, json: bool) -> Result<()> {
    if csv {
        let kind = if activity { ExportKind::Activity } else { ExportKind::Figures };
        match output {
            Some(path) => {
                let done = ws.export_to(kind, slug, period, path)?;
                eprintln!("Wrote {} rows to {}.", done.rows, safe(&done.path));
            }
            None => {
                ws.export(kind, slug, period, &mut std::io::stdout().lock())?;
            }
        }
        return Ok(());
    }
    let results = ws.results_all(slug, period)?;
    if json {
        let text = match (slug, results.as_slice()) {
            (Some(_), [one]) => serde_json::to_string_pretty(one),
            _ => serde_json::to_string_pretty(&results),
        };
        println!("{}", text.expect("DTOs serialise"));
        return Ok(());
    }
    for r in &results {
        human(r);
    }
    println!("{}", engine::api::NO_OPENS);
    Ok(())
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn human(r: &SequenceResultsDto) {
    let f = &r.figures;
    println!("{} ({})", safe(&r.name), safe(&r.slug));
    println!(
        "  enrolled {}  ·  emails sent {}  ·  replies {} ({})  ·  positive {} ({})  ·  meetings {} ({})",
        f.enrolled,
        f.emails_sent,
        f.replies,
        pct(f.reply_rate),
        f.positive_replies,
        pct(f.positive_rate),
        f.meetings,
        pct(f.meeting_rate)
    );
    println!(
        "  bounces {} hard, {} soft  ·  unsubscribes {}  ·  complaints {}  ·  calls {} ({} connected, {})",
        f.bounces_hard,
        f.bounces_soft,
        f.unsubscribes,
        f.complaints,
        f.calls,
        f.calls_connected,
        pct(f.connect_rate)
    );
    if !r.exits.is_empty() {
        let exits: Vec<String> = r.exits.iter().map(|(k, n)| format!("{} {n}", safe(&k.replace('_', " ")))).collect();
        println!("  exits: {}", exits.join(", "));
    }
    for v in r.versions.iter().filter(|v| v.figures.enrolled > 0 || v.figures.emails_sent > 0 || v.figures.replies > 0) {
        if r.versions.len() > 1 {
            println!("  version {}", v.version);
        }
        for s in &v.steps {
            step(s);
        }
    }
    if !r.paths.is_empty() {
        println!("  paths taken (steps in order; took it, still on it, replies, meetings):");
        for p in &r.paths {
            let steps: Vec<String> = p.steps.iter().map(usize::to_string).collect();
            let v = if r.versions.len() > 1 { format!("v{}: ", p.version) } else { String::new() };
            println!("    {v}{:<28} {:>5} {:>5} {:>5} {:>5}", steps.join(" → "), p.enrolled, p.running, p.replies, p.meetings);
        }
    }
    for a in &r.advice {
        println!("  → {}", safe(&a.text));
    }
    println!();
}

fn step(s: &StepResultsDto) {
    let f = &s.figures;
    let done = match Channel::parse(&s.channel) {
        Some(Channel::Email) => format!("{} sent", f.emails_sent),
        Some(Channel::Call) => format!("{} calls, {} connected", f.calls, f.calls_connected),
        _ => format!("{} done", f.linkedin + f.tasks),
    };
    let label = s.label.as_deref().map(|l| format!(" {}", safe(l))).unwrap_or_default();
    let name: String = format!("{}{label}", s.channel).chars().take(16).collect();
    println!(
        "    {:>2}. {:<17}{:<24} replies {:>4} ({:>6})  positive {:>3}  meetings {:>3}  unsub {:>3}  bounces {:>3}",
        s.step,
        name,
        done,
        f.replies,
        pct(f.reply_rate),
        f.positive_replies,
        f.meetings,
        f.unsubscribes,
        f.bounces_hard + f.bounces_soft
    );
    for v in &s.variants {
        let vf = &v.figures;
        println!("        variant {}: {} sent, {} replies ({})", safe(&v.name), vf.emails_sent, vf.replies, pct(vf.reply_rate));
    }
    if let Some(ab) = &s.ab {
        println!("        {}", safe(&ab.summary));
    }
}
