//! Sequences edited as text in the app: checked without storing, previewed
//! for a prospect, saved as a copy or a new version; built-ins stay as they are.

mod common;

use common::*;
use engine::api::Selection;
use engine::Error;

#[test]
fn a_copy_is_checked_previewed_and_saved_and_running_enrollments_keep_their_version() {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let src = w.engine.sequence_source("cold-outbound-21d").unwrap();
    assert!(src.contains("[[steps]]"));

    // A typo names its line and field; nothing is stored.
    let broken = src.replacen("channel = \"email\"", "channel = \"emial\"", 1);
    let err = w.engine.check_sequence_source("mine", &broken).unwrap_err();
    assert!(matches!(err, Error::Sequence(_)), "{err}");
    assert!(err.to_string().contains("emial") && err.to_string().contains("mine.toml:"), "{err}");

    // The copy reads, and its first email previews for Lucía.
    let mine = src.replacen("name = \"Cold outbound, three weeks\"", "name = \"My cold outbound\"", 1);
    let (seq, _) = w.engine.check_sequence_source("my-cold", &mine).unwrap();
    assert_eq!(seq.name, "My cold outbound");
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap().id;
    let steps = w.engine.preview_sequence("my-cold", &mine, lucia).unwrap();
    assert_eq!(steps.len(), 10);
    let first = &steps[0].draft;
    assert!(first.body.starts_with("Hi Lucía,"), "{}", first.body);
    assert_eq!(first.subject.as_deref(), Some("Nubaria and fewer dropped hand-offs"));

    // Saved as a new sequence; then enrolled; then a new version.
    assert!(w.engine.save_sequence_source("Not A Slug", &mine, now).is_err());
    assert!(matches!(w.engine.save_sequence_source("cold-outbound-21d", &mine, now), Err(Error::Conflict(_))), "built-ins stay");
    assert_eq!(w.engine.save_sequence_source("my-cold", &mine, now).unwrap().info.version, 1);
    w.engine.enroll(&Selection::Prospects(vec![lucia]), "my-cold", false, now).unwrap();
    let v2 = mine.replacen("Hi {{ first_name }},", "Hello {{ first_name }},", 1);
    assert_eq!(w.engine.save_sequence_source("my-cold", &v2, now).unwrap().info.version, 2);
    let running = w.engine.enrollment_views(lucia).unwrap();
    assert_eq!(running[0].version, 1, "the running enrollment keeps version 1");
    assert!(w.engine.sequence_source("my-cold").unwrap().contains("Hello {{ first_name }},"));
}
