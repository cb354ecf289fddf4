//! Sequence files: parse, lint, then render every step's variants with
//! hostile prospect values, as the app does for a colleague's file.
#![no_main]

use engine::draft;
use engine::sequence::{lint, parse_sequence};
use engine::template::{self, Fields};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(seq) = parse_sequence("fuzz.toml", src) else { return };
    let _ = lint(&seq);
    let hostile = [
        "{{ first_name }}".to_string(),
        "{% for a in range(1000000) %}x{% endfor %}".to_string(),
        "\u{0}\u{7}\r\n\u{202e}\u{1b}[2J ⟦x⟧".to_string(),
        "Ä".repeat(32 * 1024),
    ];
    let mut fields = Fields::new();
    for (k, v) in &seq.defaults {
        if !v.trim().is_empty() {
            fields.insert(k.clone(), v.trim().to_string());
        }
    }
    for step in &seq.steps {
        let srcs = std::iter::once(step.text.as_str())
            .chain(step.subject.as_deref())
            .chain(step.variants.iter().flat_map(|v| std::iter::once(v.text.as_str()).chain(v.subject.as_deref())));
        for s in srcs {
            for (i, name) in template::referenced_fields(s).into_iter().enumerate() {
                fields.entry(name).or_insert_with(|| hostile[i % hostile.len()].clone());
            }
        }
    }
    let empty = Fields::new();
    for step in &seq.steps {
        for v in 0..step.variant_count() {
            let _ = draft::render(step, v, &fields, None);
            let _ = draft::render(step, v, &empty, Some("Re: \u{202e}hostile {{ x }}"));
        }
    }
});
