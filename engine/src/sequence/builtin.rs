//! The playbooks in `sequences/`, embedded in the binary.
use include_dir::{include_dir, Dir};

static DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../sequences");

pub struct BuiltinSequence {
    /// The file stem, e.g. `cold-outbound-21d`; the sequence's stable id.
    pub slug: &'static str,
    pub file: &'static str,
    pub source: &'static str,
}

pub fn builtin_sequences() -> Vec<BuiltinSequence> {
    let mut out: Vec<BuiltinSequence> = DIR
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| {
            let file = f.path().to_str()?;
            let slug = f.path().file_stem()?.to_str()?;
            Some(BuiltinSequence { slug, file, source: f.contents_utf8()? })
        })
        .collect();
    out.sort_by_key(|b| b.slug);
    out
}
