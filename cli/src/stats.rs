//! `cadence stats`: results as a summary, as JSON (the same DTO the app
//! shows), or as CSV (the figures, or the activity log).

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use dto::SequenceResultsDto;
use engine::api::{SequenceResults, Span, StepResults};
use engine::schedule::local_to_utc;
use engine::{Engine, Error};

use crate::human::safe;

/// The period from --days, or --since/--until (whole days in the rep's zone).
pub fn span(eng: &Engine, days: Option<u32>, since: Option<NaiveDate>, until: Option<NaiveDate>, now: DateTime<Utc>) -> Result<Span, Error> {
    if days.is_some() {
        return Ok(dto::last_days(days, now));
    }
    let tz = eng.settings()?.timezone;
    if let (Some(a), Some(b)) = (since, until) {
        if b < a {
            return Err(Error::Invalid(format!("--until {b} is before --since {a}")));
        }
    }
    Ok(Span {
        from: since.map(|d| local_to_utc(tz, d, NaiveTime::MIN)),
        to: until.map(|d| local_to_utc(tz, d + Duration::days(1), NaiveTime::MIN)),
    })
}

#[allow(clippy::too_many_arguments)]
pub fn run(eng: &Engine, slug: Option<&str>, span: Span, csv: bool, activity: bool, output: Option<&Path>, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    if csv {
        return write_csv(output, |out| {
            if activity {
                return eng.export_activity(span, slug, out);
            }
            eng.export_figures(slug, span, now, out)
        });
    }
    let results = slugs(eng, slug)?.iter().map(|s| eng.results(s, span, now)).collect::<Result<Vec<_>, _>>()?;
    if json {
        let dtos: Vec<SequenceResultsDto> = results.iter().map(SequenceResultsDto::from).collect();
        let text = match (slug, dtos.as_slice()) {
            (Some(_), [one]) => serde_json::to_string_pretty(one),
            _ => serde_json::to_string_pretty(&dtos),
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

fn slugs(eng: &Engine, slug: Option<&str>) -> Result<Vec<String>, Error> {
    Ok(match slug {
        Some(s) => vec![s.to_string()],
        None => eng.sequences()?.into_iter().map(|s| s.slug).collect(),
    })
}

/// To a file (whole or not at all) or to standard output.
fn write_csv(output: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> Result<u64, Error>) -> Result<(), Error> {
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        write(&mut lock)?;
        return Ok(());
    };
    let n = engine::api::write_atomically(path, write)?;
    eprintln!("Wrote {n} rows to {}.", path.display());
    Ok(())
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn human(r: &SequenceResults) {
    let f = &r.figures;
    println!("{} ({})", safe(&r.name), r.slug);
    println!(
        "  enrolled {}  ·  emails sent {}  ·  replies {} ({})  ·  positive {} ({})  ·  meetings {} ({})",
        f.enrolled,
        f.emails_sent,
        f.replies,
        pct(f.reply_rate()),
        f.positive,
        pct(f.positive_rate()),
        f.meetings,
        pct(f.meeting_rate())
    );
    println!(
        "  bounces {} hard, {} soft  ·  unsubscribes {}  ·  calls {} ({} connected, {})",
        f.bounces_hard,
        f.bounces_soft,
        f.unsubscribes,
        f.calls,
        f.calls_connected,
        pct(f.connect_rate())
    );
    if !r.exits.is_empty() {
        let exits: Vec<String> = r.exits.iter().map(|(k, n)| format!("{} {n}", k.replace('_', " "))).collect();
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
    for a in &r.advice {
        println!("  → {}", safe(&a.text));
    }
    println!();
}

fn step(s: &StepResults) {
    let f = &s.figures;
    let done = match s.channel {
        engine::domain::Channel::Email => format!("{} sent", f.emails_sent),
        engine::domain::Channel::Call => format!("{} calls, {} connected", f.calls, f.calls_connected),
        _ => format!("{} done", f.linkedin + f.tasks),
    };
    let label = s.label.as_deref().map(|l| format!(" {}", safe(l))).unwrap_or_default();
    println!("    {:>2}. {:<17}{:<24} replies {:>4} ({:>6})  positive {:>3}  meetings {:>3}  unsub {:>3}  bounces {:>3}", s.step + 1, format!("{}{label}", s.channel.as_str()).chars().take(16).collect::<String>(), done, f.replies, pct(f.reply_rate()), f.positive, f.meetings, f.unsubscribes, f.bounces_hard + f.bounces_soft);
    for v in &s.variants {
        let vf = &v.figures;
        println!("        variant {}: {} sent, {} replies ({})", safe(&v.name), vf.emails_sent, vf.replies, pct(vf.reply_rate()));
    }
    if let Some(ab) = &s.ab {
        println!("        {}", ab.summary);
    }
}
