//! Rendering a step for one prospect: the fields a template sees, and the
//! draft (or the reason it is blocked).

use crate::domain::Prospect;
use crate::sequence::{Sequence, Step, Thread};
use crate::settings::RepSettings;
use crate::template::{self, Fields, RenderError};

/// What a touch shows the rep: rendered text, or why it cannot be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub variant: String,
    pub subject: Option<String>,
    pub body: String,
    /// Fields with no value and no default. Non-empty means blocked.
    pub missing: Vec<String>,
    /// Another reason the text cannot go out as is (e.g. an empty greeting).
    pub problem: Option<String>,
}

impl Draft {
    pub fn is_blocked(&self) -> bool {
        !self.missing.is_empty() || self.problem.is_some()
    }
}

/// The values a template can use for `p`: the prospect's non-empty fields,
/// custom CSV columns, the rep's sender fields, then the sequence's defaults
/// for whatever is still missing.
pub fn fields(p: &Prospect, rep: &RepSettings, seq: &Sequence) -> Fields {
    let mut f = Fields::new();
    let put = |f: &mut Fields, k: &str, v: Option<&str>| {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            f.insert(k.to_string(), v.to_string());
        }
    };
    put(&mut f, "email", Some(&p.email));
    put(&mut f, "first_name", p.first_name.as_deref());
    put(&mut f, "last_name", p.last_name.as_deref());
    if p.first_name.is_some() || p.last_name.is_some() {
        put(&mut f, "full_name", Some(&p.full_name()));
    }
    put(&mut f, "company", p.company.as_deref());
    put(&mut f, "title", p.title.as_deref());
    put(&mut f, "phone", p.phone.as_deref());
    put(&mut f, "linkedin", p.linkedin.as_deref());
    put(&mut f, "city", p.city.as_deref());
    put(&mut f, "state", p.state.as_deref());
    put(&mut f, "country", p.country.as_deref());
    for (k, v) in &p.extra {
        put(&mut f, k, Some(v));
    }
    put(&mut f, "sender_name", Some(&rep.sender_name));
    put(&mut f, "sender_first_name", rep.sender_name.split_whitespace().next());
    put(&mut f, "sender_company", Some(&rep.sender_company));
    let signature = if rep.signature.trim().is_empty() { rep.sender_name.clone() } else { rep.signature.clone() };
    put(&mut f, "signature", Some(&signature));
    put(&mut f, "opt_out", Some(&rep.opt_out));
    for (k, v) in &seq.defaults {
        if !v.trim().is_empty() {
            f.entry(k.clone()).or_insert_with(|| v.trim().to_string());
        }
    }
    f
}

/// The signal an enrollment was made from, as template fields:
/// `signal.text`, `signal.kind` (in words), `signal.when` ("3 December",
/// with the year when it is not the year it came in) and `signal.source`.
pub fn signal_fields(f: &mut Fields, s: &crate::store::signals::Signal, tz: chrono_tz::Tz) {
    let when = s.happened_at.with_timezone(&tz);
    let same_year = when.format("%Y").to_string() == s.received_at.with_timezone(&tz).format("%Y").to_string();
    let when = if same_year { when.format("%-d %B").to_string() } else { when.format("%-d %B %Y").to_string() };
    f.insert("signal.text".into(), s.text.clone());
    f.insert("signal.kind".into(), s.kind.words().into());
    f.insert("signal.when".into(), when);
    f.insert("signal.source".into(), s.source.clone());
}

/// Whether any step of `seq` quotes the signal (a `signal.` field).
pub fn mentions_signal(seq: &Sequence) -> bool {
    seq.steps.iter().any(|s| {
        (0..s.variant_count()).any(|v| {
            let (_, subject, text) = s.variant(v);
            [subject.unwrap_or(""), text].iter().any(|src| template::referenced_fields(src).iter().any(|f| f.starts_with("signal")))
        })
    })
}

/// Renders variant `variant` of `step`. `thread_subject` is the subject of
/// the thread a reply continues (already rendered), if any.
/// Around a missing field's name in a blocked draft's preview text.
pub const MARK_OPEN: char = '⟦';
pub const MARK_CLOSE: char = '⟧';

/// Fields that come from the rep's settings, not from the prospect.
pub const REP_FIELDS: [&str; 5] = ["sender_name", "sender_first_name", "sender_company", "signature", "opt_out"];

pub fn render(step: &Step, variant: usize, fields: &Fields, thread_subject: Option<&str>) -> Draft {
    let (name, subject_src, text_src) = step.variant(variant);
    let mut missing = Vec::new();
    let mut problem = None;
    let mut run = |part: &str, src: &str| match template::render(src, fields) {
        Ok(text) => text,
        Err(RenderError::Missing(m)) => {
            // Shown, never sent: the draft with each missing field marked.
            let mut marked = fields.clone();
            for f in &m {
                marked.insert(f.clone(), format!("{MARK_OPEN}{f}{MARK_CLOSE}"));
            }
            missing.extend(m);
            template::render(src, &marked).unwrap_or_default()
        }
        Err(RenderError::EmptyGreeting(line)) => {
            problem = Some(format!("the greeting \"{line}\" has no name in it"));
            String::new()
        }
        Err(RenderError::Other(e)) => {
            // Includes the limits on a render (work done, text produced).
            let which = if variant > 0 { format!(" of variant {name}") } else { String::new() };
            problem = Some(format!("the {part}{which} cannot be rendered: {e}"));
            String::new()
        }
    };
    let subject = match (step.thread, thread_subject, subject_src) {
        (Thread::Reply, Some(prev), _) => Some(reply_subject(prev)),
        (_, _, Some(src)) => Some(run("subject", src)),
        _ => None,
    };
    // An email's paragraphs flow; call scripts and notes keep their lines.
    let body = if step.channel == crate::domain::Channel::Email { run("body", &template::reflow(text_src)) } else { run("text", text_src) };
    missing.sort();
    missing.dedup();
    Draft { variant: name.to_string(), subject, body, missing, problem }
}

fn reply_subject(prev: &str) -> String {
    let lower = prev.to_ascii_lowercase();
    if lower.starts_with("re:") {
        prev.to_string()
    } else {
        format!("Re: {prev}")
    }
}

/// Checks text the rep typed over a draft: no template syntax left, no
/// nameless greeting.
pub fn check_edited(text: &str) -> Result<(), String> {
    if text.contains("{{") || text.contains("{%") {
        return Err("the text still holds a template placeholder ({{ ... }})".into());
    }
    if text.contains(MARK_OPEN) || text.contains(MARK_CLOSE) {
        return Err(format!("the text still holds a missing field ({MARK_OPEN}...{MARK_CLOSE}); fill it in or reword that part"));
    }
    if let Some(line) = template::empty_greeting(text) {
        return Err(format!("the greeting \"{line}\" has no name in it"));
    }
    Ok(())
}
