//! The TOML sequence format (documented in sequences/README.md). Every error
//! names the file, the line and the field, and says what was expected.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{NaiveTime, Weekday};
use serde::Deserialize;
use toml::Spanned;

use super::{branch_keys, Branch, Sequence, SequenceKind, SequenceSettings, Step, Thread, Variant};
use crate::domain::Channel;
use crate::error::SequenceError;
use crate::template;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSequence {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    kind: Spanned<String>,
    #[serde(default)]
    settings: Option<Spanned<RawSettings>>,
    #[serde(default)]
    defaults: BTreeMap<String, String>,
    steps: Spanned<Vec<Spanned<RawStep>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    working_days: Option<Spanned<Vec<String>>>,
    window: Option<Spanned<String>>,
    call_hours: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    channel: Spanned<String>,
    delay: Spanned<i64>,
    approval: Option<bool>,
    thread: Option<Spanned<String>>,
    #[serde(default)]
    breakup: bool,
    label: Option<String>,
    subject: Option<Spanned<String>>,
    body: Option<Spanned<String>>,
    script: Option<Spanned<String>>,
    message: Option<Spanned<String>>,
    instructions: Option<Spanned<String>>,
    #[serde(default)]
    variants: Vec<Spanned<RawVariant>>,
    /// `[steps.next]`: outcome = "label of a later step" or "end".
    #[serde(default)]
    next: BTreeMap<String, Spanned<String>>,
    /// A connection request that branches on `accepted`: business days to wait.
    accept_within: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: Option<String>,
    subject: Option<Spanned<String>>,
    body: Spanned<String>,
}

/// Turns byte offsets into the errors the user reads.
struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
}

impl Ctx<'_> {
    fn line_of(&self, offset: usize) -> usize {
        1 + self.src[..offset.min(self.src.len())].bytes().filter(|b| *b == b'\n').count()
    }
    fn err(&self, span: Range<usize>, field: impl Into<String>, message: impl Into<String>) -> SequenceError {
        SequenceError { file: self.file.to_string(), line: self.line_of(span.start), field: field.into(), message: message.into() }
    }
    /// For a TOML or serde error: name the key on the offending line, inside
    /// its `[[steps]]` entry when there is one.
    fn toml_error(&self, e: &toml::de::Error) -> SequenceError {
        let span = e.span().unwrap_or(0..0);
        let line = self.line_of(span.start);
        let text = self.src.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let key = text.split_once('=').map(|(k, _)| k.trim().to_string());
        let step = self.src[..span.start.min(self.src.len())].matches("[[steps]]").count();
        let field = match (key, step) {
            (Some(k), 0) => k,
            (Some(k), n) => format!("steps[{n}].{k}"),
            (None, 0) => text.trim().trim_matches(['[', ']']).to_string(),
            (None, n) => format!("steps[{n}]"),
        };
        let message = e.message().trim().replace('\n', " ");
        SequenceError { file: self.file.to_string(), line, field, message }
    }
}

/// Parses and validates one sequence file. `file` is the name used in errors.
pub fn parse_sequence(file: &str, src: &str) -> Result<Sequence, SequenceError> {
    let cx = Ctx { file, src };
    let raw: RawSequence = toml::from_str(src).map_err(|e| cx.toml_error(&e))?;

    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(cx.err(raw.name.span(), "name", "expected a non-empty name"));
    }
    let kind = SequenceKind::parse(raw.kind.get_ref()).ok_or_else(|| {
        cx.err(raw.kind.span(), "kind", format!("unknown kind `{}`, expected one of: {}", raw.kind.get_ref(), SequenceKind::expected()))
    })?;
    let settings = match raw.settings {
        Some(s) => parse_settings(&cx, s.into_inner())?,
        None => SequenceSettings::default(),
    };
    let steps_span = raw.steps.span();
    let raw_steps = raw.steps.into_inner();
    if raw_steps.is_empty() {
        return Err(cx.err(steps_span, "steps", "expected at least one [[steps]] entry"));
    }
    let mut steps = Vec::with_capacity(raw_steps.len());
    let mut targets = Vec::new();
    for (i, raw_step) in raw_steps.into_iter().enumerate() {
        let (step, spans) = parse_step(&cx, i + 1, raw_step, &steps)?;
        targets.push(spans);
        steps.push(step);
    }
    resolve_branches(&cx, &mut steps, &targets)?;
    let seq = Sequence { name, description: raw.description.trim().to_string(), kind, settings, defaults: raw.defaults, steps };
    Ok(seq)
}

fn parse_settings(cx: &Ctx, raw: RawSettings) -> Result<SequenceSettings, SequenceError> {
    let mut s = SequenceSettings::default();
    if let Some(days) = raw.working_days {
        let mut out = Vec::new();
        for d in days.get_ref() {
            let day = parse_weekday(d).ok_or_else(|| {
                cx.err(days.span(), "settings.working_days", format!("unknown day `{d}`, expected mon, tue, wed, thu, fri, sat or sun"))
            })?;
            if !out.contains(&day) {
                out.push(day);
            }
        }
        if out.is_empty() {
            return Err(cx.err(days.span(), "settings.working_days", "expected at least one working day"));
        }
        s.working_days = out;
    }
    if let Some(w) = raw.window {
        s.window = parse_hours(w.get_ref()).ok_or_else(|| {
            cx.err(w.span(), "settings.window", format!("expected a time range like \"08:30-11:30\", got \"{}\"", w.get_ref()))
        })?;
    }
    if let Some(w) = raw.call_hours {
        s.call_hours = parse_hours(w.get_ref()).ok_or_else(|| {
            cx.err(w.span(), "settings.call_hours", format!("expected a time range like \"09:00-17:00\", got \"{}\"", w.get_ref()))
        })?;
    }
    Ok(s)
}

pub fn parse_weekday(text: &str) -> Option<Weekday> {
    match text.trim().to_ascii_lowercase().get(..3)? {
        "mon" => Some(Weekday::Mon),
        "tue" => Some(Weekday::Tue),
        "wed" => Some(Weekday::Wed),
        "thu" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// "08:30-11:30" into two times, start before end.
pub fn parse_hours(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = text.split_once('-')?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
    let end = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
    (start < end).then_some((start, end))
}

/// Points each branch at its step, by label: a later step, or "end". A
/// branch back to the same or an earlier step would loop, and is refused.
fn resolve_branches(cx: &Ctx, steps: &mut [Step], spans: &[Vec<Range<usize>>]) -> Result<(), SequenceError> {
    let labels: Vec<Option<String>> = steps.iter().map(|s| s.label.clone()).collect();
    for (i, step) in steps.iter_mut().enumerate() {
        for (b, span) in step.next.iter_mut().zip(&spans[i]) {
            let field = format!("steps[{}].next.{}", i + 1, b.when);
            if b.label == "end" {
                b.to = None;
                continue;
            }
            let Some(to) = labels.iter().position(|l| l.as_deref() == Some(b.label.as_str())) else {
                let known: Vec<&str> = labels.iter().flatten().map(String::as_str).collect();
                return Err(cx.err(
                    span.clone(),
                    field,
                    format!("no step is labelled \"{}\"; expected \"end\" or one of: {}", b.label, known.join(", ")),
                ));
            };
            if to <= i {
                return Err(cx.err(
                    span.clone(),
                    field,
                    format!("\"{}\" is step {}, not after this one: branches go forward only (a loop would never end)", b.label, to + 1),
                ));
            }
            b.to = Some(to);
        }
    }
    Ok(())
}

fn parse_step(cx: &Ctx, n: usize, raw: Spanned<RawStep>, earlier: &[Step]) -> Result<(Step, Vec<Range<usize>>), SequenceError> {
    let span = raw.span();
    let raw = raw.into_inner();
    let f = |name: &str| format!("steps[{n}].{name}");
    let channel = Channel::parse(raw.channel.get_ref()).ok_or_else(|| {
        cx.err(
            raw.channel.span(),
            f("channel"),
            format!("unknown channel `{}`, expected one of: {}", raw.channel.get_ref(), Channel::expected()),
        )
    })?;
    let delay = *raw.delay.get_ref();
    if !(0..=60).contains(&delay) {
        return Err(cx.err(raw.delay.span(), f("delay"), format!("expected a number of business days from 0 to 60, got {delay}")));
    }
    let thread = match &raw.thread {
        None => Thread::New,
        Some(t) => Thread::parse(t.get_ref())
            .ok_or_else(|| cx.err(t.span(), f("thread"), format!("expected \"new\" or \"reply\", got \"{}\"", t.get_ref())))?,
    };
    // Which text field each channel takes.
    let (wanted, text) = match channel {
        Channel::Email => ("body", &raw.body),
        Channel::Call => ("script", &raw.script),
        Channel::LinkedinMessage | Channel::Sms | Channel::LinkedinConnect => ("message", &raw.message),
        Channel::LinkedinView | Channel::Task => ("instructions", &raw.instructions),
    };
    for (name, present) in [("body", &raw.body), ("script", &raw.script), ("message", &raw.message), ("instructions", &raw.instructions)] {
        if name != wanted {
            if let Some(v) = present {
                return Err(cx.err(v.span(), f(name), format!("a {channel} step takes `{wanted}`, not `{name}`")));
            }
        }
    }
    let optional_text = matches!(channel, Channel::LinkedinView | Channel::LinkedinConnect);
    let text = match text {
        Some(t) if !t.get_ref().trim().is_empty() => t.clone(),
        _ if optional_text => Spanned::new(span.clone(), String::new()),
        _ => return Err(cx.err(span, f(wanted), format!("a {channel} step needs `{wanted}`"))),
    };
    check_template(cx, &text, &f(wanted))?;

    if channel != Channel::Email {
        if let Some(s) = &raw.subject {
            return Err(cx.err(s.span(), f("subject"), format!("only email steps have a subject; this is a {channel} step")));
        }
        if let Some(t) = &raw.thread {
            return Err(cx.err(t.span(), f("thread"), format!("only email steps have a thread; this is a {channel} step")));
        }
        if let Some(v) = raw.variants.first() {
            return Err(cx.err(v.span(), f("variants"), "only email steps have A/B variants"));
        }
    }
    let subject = match (&raw.subject, channel, thread) {
        (Some(s), _, _) => {
            check_template(cx, s, &f("subject"))?;
            Some(s.get_ref().trim().to_string())
        }
        (None, Channel::Email, Thread::New) => {
            return Err(cx.err(span, f("subject"), "an email that starts a new thread needs `subject`"));
        }
        _ => None,
    };
    if channel == Channel::Email && thread == Thread::Reply && !earlier.iter().any(|s| s.channel == Channel::Email) {
        return Err(cx.err(span, f("thread"), "this email replies in a thread, but no earlier step is an email"));
    }
    let mut variants = Vec::new();
    for (i, v) in raw.variants.into_iter().enumerate() {
        let vspan = v.span();
        let v = v.into_inner();
        let vf = |name: &str| format!("steps[{n}].variants[{}].{name}", i + 1);
        check_template(cx, &v.body, &vf("body"))?;
        if let Some(s) = &v.subject {
            check_template(cx, s, &vf("subject"))?;
        }
        if v.body.get_ref().trim().is_empty() {
            return Err(cx.err(vspan, vf("body"), "expected a non-empty body"));
        }
        let name = v.name.unwrap_or_else(|| variant_name(i + 1));
        variants.push(Variant { name, subject: v.subject.map(|s| s.into_inner().trim().to_string()), text: v.body.into_inner() });
    }
    let keys = branch_keys(channel);
    let mut next = Vec::new();
    let mut spans = Vec::new();
    for (when, to) in raw.next {
        if !keys.contains(&when.as_str()) {
            return Err(cx.err(
                to.span(),
                f(&format!("next.{when}")),
                format!(
                    "a {channel} step branches on {}, not `{when}`",
                    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        spans.push(to.span());
        next.push(Branch { when, label: to.into_inner().trim().to_string(), to: None });
    }
    let accepts = next.iter().any(|b: &Branch| b.when == "accepted");
    let accept_within = match raw.accept_within {
        None if accepts => super::ACCEPT_WITHIN_DEFAULT,
        None => 0,
        Some(w) if !accepts => {
            return Err(cx.err(
                w.span(),
                f("accept_within"),
                "only a linkedin_connect step that branches on `accepted` waits for an acceptance",
            ))
        }
        Some(w) if !(1..=30).contains(w.get_ref()) => {
            return Err(cx.err(
                w.span(),
                f("accept_within"),
                format!("expected a number of business days from 1 to 30, got {}", w.get_ref()),
            ))
        }
        Some(w) => *w.get_ref() as u32,
    };
    let step = Step {
        channel,
        delay: delay as u32,
        // Emails wait for a human unless the file says otherwise; other
        // channels are done by the rep anyway.
        approval: raw.approval.unwrap_or(channel.needs_approval_by_default()),
        thread,
        breakup: raw.breakup,
        label: raw.label.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
        subject,
        text: text.into_inner(),
        variants,
        next,
        accept_within,
    };
    Ok((step, spans))
}

/// The default name of variant `index` (0 is the step's own, "A"): A to Z,
/// then AA, AB, ... like spreadsheet columns, so there is no last one.
pub fn variant_name(index: usize) -> String {
    let mut n = index + 1;
    let mut name = Vec::new();
    while n > 0 {
        n -= 1;
        name.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

fn check_template(cx: &Ctx, t: &Spanned<String>, field: &str) -> Result<(), SequenceError> {
    template::check_syntax(t.get_ref()).map_err(|(line, msg)| {
        let mut e = cx.err(t.span(), field, format!("template error: {msg}"));
        // A multi-line string starts on the line of its key; point into it.
        e.line += line.saturating_sub(1) + usize::from(t.get_ref().starts_with('\n') || cx.src[t.span()].starts_with("\"\"\"\n"));
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "Test"
kind = "cold"

[[steps]]
channel = "email"
delay = 0
subject = "Hello {{ company }}"
body = "Hi {{ first_name | default('there') }}"

[[steps]]
channel = "call"
delay = 2
script = "Ask about {{ company }}"
"#;

    fn err(src: &str) -> SequenceError {
        parse_sequence("t.toml", src).expect_err("should fail")
    }

    #[test]
    fn parses_a_good_file() {
        let s = parse_sequence("t.toml", GOOD).unwrap();
        assert_eq!(s.steps.len(), 2);
        assert!(s.steps[0].approval);
        assert!(!s.steps[1].approval);
        assert_eq!(s.steps[1].delay, 2);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let check = |src: String, line: usize, field: &str, needle: &str| {
            let e = err(&src);
            assert_eq!((e.file.as_str(), e.line, e.field.as_str()), ("t.toml", line, field), "{e}");
            assert!(e.message.contains(needle), "{e}");
        };
        check(GOOD.replace("\"call\"", "\"phone\""), 12, "steps[2].channel", "expected one of: email, call");
        check(GOOD.replace("delay = 2", "delay = \"two\""), 13, "steps[2].delay", "");
        check(GOOD.replace("delay = 2", "delay = -1"), 13, "steps[2].delay", "0 to 60");
        check(GOOD.replace("kind = \"cold\"", "kind = \"warm\""), 3, "kind", "expected one of: cold");
        check(GOOD.replace("script =", "scrpt ="), 14, "steps[2].scrpt", "unknown field");
        check(GOOD.replace("subject = \"Hello {{ company }}\"\n", ""), 5, "steps[1].subject", "needs `subject`");
        check(GOOD.replace("{{ company }}\"\nbody", "{{ company \"\nbody"), 8, "steps[1].subject", "template error");
        check(GOOD.replace("script = \"Ask", "body = \"Ask"), 14, "steps[2].body", "takes `script`");
        check(GOOD.replace("name = \"Test\"", "name = \"Test"), 2, "name", "");
    }

    #[test]
    fn variant_names_go_past_z() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 190, 191, 701, 702].into_iter().map(variant_name).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "GI", "GJ", "ZZ", "AAA"]);
    }
}
