//! Hostile sequence files (issue 14): templates that would run for hours or
//! eat memory are refused with an error naming the file, line and step, and a
//! draft of one (a sequence stored before the checks) is blocked; unnamed
//! variants past Z get names.

use engine::domain::Channel;
use engine::draft;
use engine::sequence::{lint, parse_sequence, Step, Thread};
use engine::template::{self, Fields, RenderError};

const NESTED_LOOPS: &str = "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}";
const REPEAT: &str = "{{ 'x'*100000000 }}";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/sequences/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn fields() -> Fields {
    [("first_name", "Ana"), ("company", "Acme"), ("opt_out", "Reply stop to opt out.")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn nested_loops_are_refused_naming_the_step() {
    let e = parse_sequence("nested-loops.toml", &fixture("nested-loops.toml")).unwrap_err();
    assert_eq!((e.file.as_str(), e.line, e.field.as_str()), ("nested-loops.toml", 14, "steps[2].body"), "{e}");
    assert!(e.message.contains("too much work"), "{e}");
}

#[test]
fn string_repetition_is_refused_naming_the_step() {
    let e = parse_sequence("repeat.toml", &fixture("repeat.toml")).unwrap_err();
    assert_eq!((e.file.as_str(), e.line, e.field.as_str()), ("repeat.toml", 18, "steps[3].subject"), "{e}");
    assert!(e.message.contains("`*`"), "{e}");
}

#[test]
fn rendering_is_bounded() {
    let f = fields();
    for src in [NESTED_LOOPS, REPEAT] {
        assert!(matches!(template::render(src, &f), Err(RenderError::Other(_))), "{src}");
    }
    // Within the construct rules but past the limits.
    let loops = "{% for a in range(100000) %}{% for b in range(100000) %}{{ company }}{% endfor %}{% endfor %}";
    assert!(matches!(template::render(loops, &f), Err(RenderError::Other(m)) if m.contains("too much work")));
    let long = "{% for a in range(20000) %}{{ company }}{{ company }}{% endfor %}";
    assert!(matches!(template::render(long, &f), Err(RenderError::Other(m)) if m.contains("more than 100 KB")));
    // What blows up values in a few instructions is refused outright.
    for src in [
        "{% set s = company ~ company %}{{ s }}",
        "{{ company|replace('', company) }}",
        "{{ company|center(100000000) }}",
        "{{ namespace(a=1) }}",
        "{{ company ** 3 }}",
    ] {
        let (_, msg) = template::check_syntax(src).unwrap_err();
        assert!(msg.contains("not allowed"), "{src}: {msg}");
    }
    // Ordinary templates are untouched.
    assert_eq!(template::render("{% for i in range(3) %}{{ i + 1 }}{% endfor %} {{ 2 * 3 }}", &f), Ok("123 6".to_string()));
    assert!(template::check_syntax("Hi {{ first_name | default('there') | title }},").is_ok());
}

/// A sequence stored before these checks still cannot produce an approvable draft.
#[test]
fn a_hostile_draft_is_blocked() {
    for (subject, body) in [("Hi", NESTED_LOOPS), (REPEAT, "Hi {{ first_name }}")] {
        let step = Step {
            channel: Channel::Email,
            delay: 0,
            approval: true,
            thread: Thread::New,
            breakup: false,
            label: None,
            subject: Some(subject.to_string()),
            text: body.to_string(),
            variants: vec![],
            next: vec![],
            accept_within: 0,
        };
        let d = draft::render(&step, 0, &fields(), None);
        assert!(d.is_blocked(), "{d:?}");
        let problem = d.problem.unwrap();
        let part = if body == NESTED_LOOPS { "the body" } else { "the subject" };
        assert!(problem.starts_with(part), "{problem}");
    }
}

#[test]
fn unnamed_variants_past_z_are_named() {
    let mut src = String::from(
        "name = \"Many\"\nkind = \"cold\"\n\n[[steps]]\nchannel = \"email\"\ndelay = 0\nsubject = \"Hi\"\nbody = \"A {{ opt_out }}\"\n",
    );
    for i in 0..200 {
        src.push_str(&format!("\n[[steps.variants]]\nbody = \"Variant {i} {{{{ opt_out }}}}\"\n"));
    }
    let seq = parse_sequence("many.toml", &src).unwrap();
    let step = &seq.steps[0];
    assert_eq!(step.variant_count(), 201);
    let names: Vec<&str> = (0..step.variant_count()).map(|v| step.variant(v).0).collect();
    assert_eq!(&names[..3], ["A", "B", "C"]);
    assert_eq!(names[25], "Z");
    assert_eq!(names[26], "AA");
    assert_eq!(names[191], "GJ", "the 191st unnamed variant");
    assert_eq!(names[200], "GS");
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
    let _ = lint(&seq);
}
