//! Template rendering (strict mode) with hostile prospect values. The input is
//! the template, then NUL-separated values for the fields the template may
//! name; values hold `{{`, `{%`, control characters, or are huge.
#![no_main]

use engine::template::{self, Fields};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = ["first_name", "last_name", "company", "title", "email", "signature", "opt_out", "x"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\0');
    let src = parts.next().unwrap_or("");
    let mut fields = Fields::new();
    for (name, value) in NAMES.iter().zip(parts) {
        if !value.is_empty() {
            fields.insert(name.to_string(), value.to_string());
        }
    }
    // Every other field the template names gets a hostile value.
    let hostile = [
        "{{ first_name }}".to_string(),
        "{% for a in range(1000000) %}x{% endfor %}".to_string(),
        "\u{0}\u{7}\r\n\u{202e}\u{1b}[2J".to_string(),
        "A".repeat(64 * 1024),
    ];
    for (i, name) in template::referenced_fields(src).into_iter().enumerate() {
        fields.entry(name).or_insert_with(|| hostile[i % hostile.len()].clone());
    }
    let _ = template::check_syntax(src);
    let _ = template::render(src, &fields);
});
