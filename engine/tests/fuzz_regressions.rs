//! Inputs the fuzzers (fuzz/, scripts/fuzz) found, replayed through the
//! public API under the normal test harness: each must come back with an
//! answer, not a panic.

use chrono::NaiveDate;
use engine::mail::{classify, Kind};
use engine::sequence::parse_sequence;
use engine::template::{self, Fields, RenderError};

fn regression(target: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/../fuzz/regressions/{target}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A delivery report whose multipart structure is broken mid-header trips a
/// `debug_assert!` in mail-parser 0.11.9 ("Invalid part ID, could not find
/// multipart"): in a debug build (the test suite; `scripts/run` before issue 16) that was a panic in the mail
/// reader. The message is now unparseable, taken as a plain reply.
#[test]
fn a_broken_multipart_report_is_unparseable_not_a_panic() {
    let raw = regression("classify", "mail-parser-debug-assert-multipart.eml");
    let c = classify(&raw, Some("unsubscribe@example.test"), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    assert!(matches!(c.kind, Kind::Reply | Kind::Bounce), "{:?}: {}", c.kind, c.evidence);
}

/// String repetition in a constant expression (`'x' * … * 10000410. * …`):
/// minijinja's compiler folds constants with no fuel, so compiling it ran for
/// seconds (and longer chains would exhaust memory) before the construct rules
/// refused it, in `check_syntax` (every sequence file parsed), `render` and
/// `referenced_fields`. The rules now come first.
#[test]
fn constant_string_repetition_is_refused_before_compiling() {
    let src = String::from_utf8(regression("template", "compile-time-string-repetition.txt")).unwrap();
    let (_, msg) = template::check_syntax(&src).unwrap_err();
    assert!(msg.contains("not allowed"), "{msg}");
    assert!(matches!(template::render(&src, &Fields::new()), Err(RenderError::Other(m)) if m.contains("not allowed")));
    assert!(template::referenced_fields(&src).is_empty());
    let file = format!(
        "name = \"Fuzz\"\nkind = \"cold\"\n\n[[steps]]\nchannel = \"email\"\ndelay = 0\nsubject = {}\nbody = \"Hi {{{{ opt_out }}}}\"\n",
        toml_string(&src)
    );
    let e = parse_sequence("fuzz.toml", &file).unwrap_err();
    assert_eq!(e.field, "steps[1].subject", "{e}");
    assert!(e.message.contains("not allowed"), "{e}");
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out += &format!("\\u{:04X}", c as u32),
            c => out.push(c),
        }
    }
    out + "\""
}
