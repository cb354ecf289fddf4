//! CSV import, the pure part: decoding, header mapping and row validation,
//! with the automatic mapping and with a mapping override derived from the
//! input (as `--map "Header=field"` or the wizard would give).
#![no_main]

use std::collections::{HashMap, HashSet};

use engine::import::{self, Field};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = import::parse(data, &HashMap::new(), &HashSet::new());

    let Some((&ctrl, rest)) = data.split_first() else { return };
    // Overrides: each header of the first line gets a field chosen by the
    // control byte; a bit also adds a header the file does not have.
    let (text, _) = import::decode(rest);
    let first = text.lines().next().unwrap_or("");
    let mut overrides = HashMap::new();
    for (i, h) in first.split(',').enumerate().take(64) {
        let k = (ctrl as usize).wrapping_add(i * 7) % (Field::NAMES.len() + 1);
        let field = match Field::NAMES.get(k) {
            Some(name) => Field::parse(name).expect("a known field name"),
            None => Field::Custom(import::headers_snake(h)),
        };
        overrides.insert(h.trim().to_string(), field);
    }
    if ctrl & 0x80 != 0 {
        overrides.insert("No Such Header".to_string(), Field::Email);
    }
    let dnc: HashSet<String> = ["kim@acme.com", "@example.com"].iter().map(|s| s.to_string()).collect();
    if let Ok(parsed) = import::parse(rest, &overrides, &dnc) {
        let _ = import::custom_fields(&parsed.mapping);
    }
});
