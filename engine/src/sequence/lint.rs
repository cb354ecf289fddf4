//! Checks a sequence against outbound best practice (see shared facts in
//! sequences/README.md). Every finding says what and why.

use std::collections::BTreeSet;

use super::{Sequence, SequenceKind};
use crate::domain::{str_enum, Channel};
use crate::template::{self, Fields};

str_enum!(
    Rule {
        TouchCount = "touch_count",
        Span = "span",
        Channels = "channels",
        Spacing = "spacing",
        EmailRun = "email_run",
        FirstEmailLength = "first_email_length",
        NoBreakup = "no_breakup",
        RepeatedCopy = "repeated_copy",
        NoOptOut = "no_opt_out",
        UnknownField = "unknown_field",
        CaseChange = "case_change",
        Possessive = "possessive",
        Unreachable = "unreachable",
        SignalUnused = "signal_unused",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// 1-based step number, when the finding is about one step.
    pub step: Option<usize>,
    /// What is wrong, concretely.
    pub message: String,
    /// Why it matters.
    pub reason: String,
}

/// Fields every prospect can have (from the import) plus what the rep's
/// settings supply. Anything else must come from a custom CSV column.
pub const PROSPECT_FIELDS: &[&str] =
    &["first_name", "last_name", "full_name", "email", "company", "title", "phone", "linkedin", "city", "state", "country"];
pub const SENDER_FIELDS: &[&str] = &["sender_name", "sender_first_name", "sender_company", "signature", "opt_out"];
/// What an enrollment made from a signal knows about it (see `draft::signal_fields`).
pub const SIGNAL_FIELDS: &[&str] = &["signal.text", "signal.kind", "signal.when", "signal.source"];

struct Ranges {
    touches: (usize, usize),
    /// Days covered from the first touch to the last (first day is day 1).
    days: (u32, u32),
    business_days: bool,
    /// Fewest business days between two touches that reach the prospect.
    min_gap: u32,
}

fn ranges(kind: SequenceKind) -> Ranges {
    match kind {
        SequenceKind::Cold => Ranges { touches: (6, 12), days: (14, 28), business_days: false, min_gap: 2 },
        SequenceKind::ColdShort => Ranges { touches: (4, 6), days: (10, 18), business_days: false, min_gap: 2 },
        SequenceKind::Inbound => Ranges { touches: (6, 8), days: (10, 15), business_days: true, min_gap: 1 },
        SequenceKind::Reengagement => Ranges { touches: (5, 7), days: (9, 16), business_days: false, min_gap: 2 },
        SequenceKind::PostDemo => Ranges { touches: (4, 8), days: (7, 21), business_days: false, min_gap: 2 },
    }
}

const FIRST_EMAIL_MAX_WORDS: usize = 125;
const SIMILARITY_LIMIT: f64 = 0.5;
const OPT_OUT_PHRASES: &[&str] = &[
    "unsubscribe",
    "opt out",
    "opt-out",
    "not interested",
    "won't follow up",
    "will not follow up",
    "no more emails",
    "reply \"stop\"",
    "reply stop",
];

/// The steps no path from the first one reaches: a step leads to each of
/// its branches' targets, and to the next step unless its branches cover
/// every way it can turn out.
fn unreachable(seq: &Sequence) -> Vec<usize> {
    let n = seq.steps.len();
    let mut seen = vec![false; n];
    let mut todo = vec![0];
    while let Some(i) = todo.pop() {
        if i >= n || seen[i] {
            continue;
        }
        seen[i] = true;
        todo.extend(seq.steps[i].successors(i, n).into_iter().flatten());
    }
    (0..n).filter(|&i| !seen[i]).collect()
}

/// The rules that follow a prospect's way through the sequence, on one path.
fn path_rules(seq: &Sequence, path: &[usize], out: &mut Vec<Finding>) {
    let on = Sequence { steps: path.iter().map(|&i| seq.steps[i].clone()).collect(), ..seq.clone() };
    let mut add =
        |rule, step: Option<usize>, message: String, reason: &str| out.push(Finding { rule, step, message, reason: reason.to_string() });
    let r = ranges(seq.kind);
    let n = on.steps.len();

    if n < r.touches.0 || n > r.touches.1 {
        add(
            Rule::TouchCount,
            None,
            format!("{n} touches; a {} sequence works best with {} to {}", seq.kind, r.touches.0, r.touches.1),
            "Too few touches leave replies on the table (about 42% of replies come from follow-ups); too many read as pestering.",
        );
    }
    let (days, unit) = if r.business_days { (on.span_business_days() + 1, "business days") } else { (on.span_calendar_days(), "days") };
    if days < r.days.0 || days > r.days.1 {
        add(
            Rule::Span,
            None,
            format!("spans about {days} {unit}; a {} sequence should span {} to {} {unit}", seq.kind, r.days.0, r.days.1),
            "Squeezed sequences feel like spam; stretched ones lose the thread and the prospect's memory of you.",
        );
    }
    let fams = on.channel_families();
    if fams.len() < 3 {
        add(
            Rule::Channels,
            None,
            format!("uses {} channel(s) ({}); use at least three (email, phone, LinkedIn)", fams.len(), fams.join(", ")),
            "Multi-channel sequences (email, phone and LinkedIn) draw markedly more replies than single-channel ones.",
        );
    }

    // Spacing between touches that actually reach the prospect. A touch
    // reached because a call connected follows a conversation the prospect
    // had: the "as discussed" note the same day is expected, not pushy.
    let mut last_contact: Option<(usize, u32)> = None;
    let mut day = 0;
    for (k, (&i, s)) in path.iter().zip(&on.steps).enumerate() {
        day += s.delay;
        let after_talking = k > 0 && seq.steps[path[k - 1]].next.iter().any(|b| b.when == "connected" && b.to == Some(i));
        if !s.channel.is_light_touch() {
            if let Some((j, prev_day)) = last_contact.filter(|_| !after_talking) {
                if day - prev_day < r.min_gap {
                    add(
                        Rule::Spacing,
                        Some(i + 1),
                        format!(
                            "step {} ({}) comes {} business day(s) after step {} ({}); leave at least {}",
                            i + 1,
                            s.channel.label(),
                            day - prev_day,
                            j + 1,
                            seq.steps[j].channel.label(),
                            r.min_gap
                        ),
                        "Touches two to three days apart keep you present; daily contact reads as desperate and draws spam complaints.",
                    );
                }
            }
            last_contact = Some((i, day));
        }
    }

    // Runs of emails with no other channel between.
    let mut run_start = 0;
    let mut run = 0;
    for (k, (&i, s)) in path.iter().zip(&on.steps).enumerate() {
        if s.channel == Channel::Email {
            if run == 0 {
                run_start = i;
            }
            run += 1;
            let next_is_email = on.steps.get(k + 1).is_some_and(|n| n.channel == Channel::Email);
            if run >= 4 && !next_is_email {
                add(
                    Rule::EmailRun,
                    Some(run_start + 1),
                    format!("steps {} to {} are {run} emails in a row; put a call or LinkedIn touch between them", run_start + 1, i + 1),
                    "Four or more emails in a row roughly triple unsubscribe and spam-complaint rates.",
                );
            }
        } else {
            run = 0;
        }
    }

    if !on.steps.iter().any(|s| s.breakup) {
        add(
            Rule::NoBreakup,
            None,
            "no step is marked `breakup = true`; end with a polite last touch that offers an off-ramp".into(),
            "A break-up email that closes the loop often draws the late replies a sequence was waiting for.",
        );
    }
}

pub fn lint(seq: &Sequence) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add =
        |rule, step: Option<usize>, message: String, reason: &str| out.push(Finding { rule, step, message, reason: reason.to_string() });
    let n = seq.steps.len();

    for i in unreachable(seq) {
        add(
            Rule::Unreachable,
            Some(i + 1),
            format!(
                "no path from the first step reaches step {}{}",
                i + 1,
                seq.steps[i].label.as_deref().map(|l| format!(" ({l})")).unwrap_or_default()
            ),
            "Every branch before it goes around it, so no prospect will ever get it: point a branch at its label, or remove it.",
        );
    }

    // Count, span, channels, spacing, runs and the closing touch hold along
    // the way a prospect goes: the file, or each path through its branches.
    let paths = seq.paths();
    let branching = paths.len() > 1 || paths.first().is_some_and(|p| p.len() != n);
    for path in &paths {
        let before = out.len();
        path_rules(seq, path, &mut out);
        if branching {
            let names: Vec<String> = path.iter().map(|i| (i + 1).to_string()).collect();
            for f in &mut out[before..] {
                f.message = format!("on the path {}: {}", names.join(" → "), f.message);
            }
        }
    }
    let mut add =
        |rule, step: Option<usize>, message: String, reason: &str| out.push(Finding { rule, step, message, reason: reason.to_string() });

    if let Some((i, first)) = seq.steps.iter().enumerate().find(|(_, s)| s.channel == Channel::Email) {
        for v in 0..first.variant_count() {
            let (name, _, text) = first.variant(v);
            let words = word_count(text);
            if words > FIRST_EMAIL_MAX_WORDS {
                let which = if first.variant_count() > 1 { format!(" (variant {name})") } else { String::new() };
                add(
                    Rule::FirstEmailLength,
                    Some(i + 1),
                    format!("the first email{which} is about {words} words; keep it to {FIRST_EMAIL_MAX_WORDS} or fewer"),
                    "The first email draws the most replies when it is short (75-125 words), relevant and asks for little.",
                );
            }
        }
    }

    // Follow-ups with near-identical copy.
    let texts: Vec<(usize, String, BTreeSet<String>)> = seq
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.channel, Channel::Email | Channel::LinkedinMessage | Channel::Sms))
        .flat_map(|(i, s)| (0..s.variant_count()).map(move |v| (i, s.variant(v).2.to_string())))
        .map(|(i, t)| (i, t.clone(), shingles(&t)))
        .collect();
    let mut reported = BTreeSet::new();
    for (a, (i, _, sa)) in texts.iter().enumerate() {
        for (j, _, sb) in texts.iter().skip(a + 1) {
            if i != j && jaccard(sa, sb) >= SIMILARITY_LIMIT && reported.insert((*i, *j)) {
                add(
                    Rule::RepeatedCopy,
                    Some(j + 1),
                    format!("step {} repeats most of the copy of step {}", j + 1, i + 1),
                    "Each follow-up should bring a new angle or new value; a repeat reads as \"just following up\".",
                );
            }
        }
    }

    if matches!(seq.kind, SequenceKind::Cold | SequenceKind::ColdShort | SequenceKind::Reengagement) {
        for (i, s) in seq.steps.iter().enumerate().filter(|(_, s)| s.channel == Channel::Email) {
            for v in 0..s.variant_count() {
                let (name, _, text) = s.variant(v);
                if !has_opt_out(text) {
                    let which = if s.variant_count() > 1 { format!(" (variant {name})") } else { String::new() };
                    add(
                        Rule::NoOptOut,
                        Some(i + 1),
                        format!(
                            "the email in step {}{which} has no opt-out line; add `{{{{ opt_out }}}}` or say how to stop emails",
                            i + 1
                        ),
                        "Every cold email must offer a way out; it is the law in many countries and it keeps complaints down.",
                    );
                }
            }
        }
    }

    for (i, field, name, filter) in case_changes(seq) {
        add(
            Rule::CaseChange,
            Some(i + 1),
            format!("step {} {field} changes the case of `{name}` with `| {filter}`", i + 1),
            "Prospect values are written the way their owner wants them (\"VP of RevOps\", \"McKinsey\"); lower-cased into a sentence they read like a mail merge. Use the value as written, or write words of your own.",
        );
    }
    for (i, field, name) in possessives(seq) {
        add(
            Rule::Possessive,
            Some(i + 1),
            format!("step {} {field} writes `{{{{ {name} }}}}'s`; use `{{{{ {name} | possessive }}}}`", i + 1),
            "Names that end in s take only an apostrophe (\"Velaworks'\", not \"Velaworks's\"); the filter gets both right.",
        );
    }
    for (i, field, name) in unknown_fields(seq) {
        add(
            Rule::UnknownField,
            Some(i + 1),
            format!(
                "step {} {field} uses `{name}`, which prospects only have if the CSV brings a `{name}` column, and it has no default",
                i + 1
            ),
            "A draft with an unfilled field is blocked rather than sent; add `| default(\"...\")` or a [defaults] entry.",
        );
    }
    out
}

/// Words a reader sees: template tags dropped, each `{{ ... }}` one word.
fn word_count(text: &str) -> usize {
    let mut s = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        s.push_str(&rest[..start]);
        rest = rest[start..].find("%}").map_or("", |end| &rest[start + end + 2..]);
    }
    s.push_str(rest);
    // Placeholders for the opt-out line and signature are not the pitch.
    let s = s.replace("{{ opt_out }}", "").replace("{{ signature }}", "");
    let mut words = 0;
    let mut in_expr = false;
    for token in s.split_whitespace() {
        if in_expr {
            in_expr = !token.contains("}}");
            continue;
        }
        if token.contains("{{") && !token.contains("}}") {
            in_expr = true;
        }
        if token.chars().any(|c| c.is_alphanumeric() || c == '{') {
            words += 1;
        }
    }
    words
}

fn shingles(text: &str) -> BTreeSet<String> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.windows(3).map(|w| w.join(" ")).collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

fn has_opt_out(text: &str) -> bool {
    if template::referenced_fields(text).contains("opt_out") {
        return true;
    }
    let lower = text.to_lowercase();
    OPT_OUT_PHRASES.iter().any(|p| lower.contains(p))
}

/// (step index, "body"/"subject", field) for fields that are neither standard
/// nor defaulted, and whose absence stops the render.
/// Every template of every step and variant: (step index, which part, source).
fn templates(seq: &Sequence) -> Vec<(usize, &'static str, &str)> {
    let mut out = Vec::new();
    for (i, s) in seq.steps.iter().enumerate() {
        for v in 0..s.variant_count() {
            let (_, subject, text) = s.variant(v);
            out.push((i, "subject", subject.unwrap_or("")));
            out.push((i, if s.channel == Channel::Email { "body" } else { "text" }, text));
        }
    }
    out
}

/// Prospect fields whose case a template changes: (step, part, field, filter).
fn case_changes(seq: &Sequence) -> Vec<(usize, &'static str, String, String)> {
    let mut out: Vec<(usize, &'static str, String, String)> = Vec::new();
    for (i, part, src) in templates(seq) {
        for (name, filter) in template::case_changed(src) {
            let sender = SENDER_FIELDS.contains(&name.as_str());
            if !sender && !out.iter().any(|(j, _, n, _)| *j == i && *n == name) {
                out.push((i, part, name, filter));
            }
        }
    }
    out
}

/// `{{ field }}'s` written by hand: (step, part, field).
fn possessives(seq: &Sequence) -> Vec<(usize, &'static str, String)> {
    let mut out: Vec<(usize, &'static str, String)> = Vec::new();
    for (i, part, src) in templates(seq) {
        let mut rest = src;
        while let Some(end) = rest.find("}}") {
            let after = &rest[end + 2..];
            if after.starts_with("'s") || after.starts_with("\u{2019}s") {
                let expr = rest[..end].rsplit("{{").next().unwrap_or("").trim();
                let name = expr.split(['|', ' ']).next().unwrap_or("").to_string();
                if !name.is_empty() && !out.iter().any(|(j, _, n)| *j == i && *n == name) {
                    out.push((i, part, name));
                }
            }
            rest = after;
        }
    }
    out
}

fn unknown_fields(seq: &Sequence) -> Vec<(usize, &'static str, String)> {
    let mut base: Fields =
        PROSPECT_FIELDS.iter().chain(SENDER_FIELDS).chain(SIGNAL_FIELDS).map(|f| (f.to_string(), "x".to_string())).collect();
    base.extend(seq.defaults.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut out = Vec::new();
    for (i, s) in seq.steps.iter().enumerate() {
        for v in 0..s.variant_count() {
            let (_, subject, text) = s.variant(v);
            for (field, src) in [("subject", subject.unwrap_or("")), ("body", text)] {
                for name in template::referenced_fields(src) {
                    if base.contains_key(&name) {
                        continue;
                    }
                    if let Err(template::RenderError::Missing(m)) = template::render(src, &base) {
                        if m.contains(&name) && !out.iter().any(|(j, _, n)| *j == i && *n == name) {
                            out.push((i, field, name));
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sequence::parse_sequence;

    #[test]
    fn counts_words_like_a_reader() {
        assert_eq!(word_count("Hi {{ first_name | default('there') }}, quick one.\n{{ opt_out }}"), 4);
        assert_eq!(word_count("{% if company is defined %}At {{ company }}{% endif %} we -- do"), 4);
    }

    #[test]
    fn similarity() {
        let a = shingles("We help revenue teams book more meetings with less busywork every week");
        let b = shingles("We help revenue teams book more meetings with less busywork every single week");
        let c = shingles("A case study: how a logistics firm cut its onboarding time in half");
        assert!(jaccard(&a, &b) >= SIMILARITY_LIMIT);
        assert!(jaccard(&a, &c) < 0.1);
    }

    fn rules(src: &str) -> Vec<Rule> {
        lint(&parse_sequence("t.toml", src).unwrap()).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_bad_sequence_gets_every_warning() {
        let email = |delay: u32, body: &str| {
            format!("[[steps]]\nchannel = \"email\"\ndelay = {delay}\nsubject = \"s\"\nbody = \"\"\"{body}\"\"\"\n")
        };
        let long: String = (0..140).map(|i| format!("word{i} ")).collect();
        let same = "We help revenue teams book more meetings with less busywork every single week of the year";
        let src = format!(
            "name = \"Bad\"\nkind = \"cold\"\n{}{}{}{}",
            email(0, &long),
            email(1, same),
            email(1, same),
            email(1, "Hi {{ pain_point }} there. We help {{ title | default('leaders') | lower }} at {{ company }}'s size."),
        );
        let got = rules(&src);
        for r in [
            Rule::TouchCount,
            Rule::Span,
            Rule::Channels,
            Rule::Spacing,
            Rule::EmailRun,
            Rule::FirstEmailLength,
            Rule::NoBreakup,
            Rule::RepeatedCopy,
            Rule::NoOptOut,
            Rule::UnknownField,
            Rule::CaseChange,
            Rule::Possessive,
        ] {
            assert!(got.contains(&r), "missing {r}: {got:?}");
        }
    }

    #[test]
    fn case_filters_on_the_reps_own_fields_and_possessive_filters_are_fine() {
        let src = "name = \"Ok\"\nkind = \"cold\"\n[[steps]]\nchannel = \"email\"\ndelay = 0\nsubject = \"{{ company | possessive }} plan\"\nbody = \"\"\"Hi {{ first_name }}, {{ sender_company | upper }}\"\"\"\n";
        let got = rules(src);
        assert!(!got.contains(&Rule::CaseChange) && !got.contains(&Rule::Possessive), "{got:?}");
    }
}
