//! One prospect as their panel shows them: enrollments by sequence name,
//! step label and next touch; tags set as a list.

mod common;

use common::*;
use engine::api::Selection;
use engine::domain::Channel;

#[test]
fn enrollments_read_by_name_and_step_and_tags_are_set_whole() {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![lucia]), "cold-outbound-21d", false, now).unwrap();
    let v = w.engine.enrollment_views(lucia).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].sequence_slug.as_str(), v[0].sequence_name.as_str()), ("cold-outbound-21d", "Cold outbound, three weeks"));
    assert_eq!((v[0].steps, v[0].step_label.as_deref()), (10, Some("opener")));
    let (channel, due) = v[0].next.expect("the opener is next");
    assert_eq!(channel, Channel::Email);
    assert!(due > now);

    let p = w.engine.set_prospect_field(lucia, "tags", " priority, q1 ,priority,, ", now).unwrap();
    assert_eq!(p.tags, vec!["priority".to_string(), "q1".to_string()], "trimmed, no repeats, no empties");
    let p = w.engine.set_prospect_field(lucia, "tags", "", now).unwrap();
    assert!(p.tags.is_empty(), "cleared");
    assert!(w.engine.set_prospect_field(lucia, "tags", &"x".repeat(61), now).is_err());
    assert!(w.engine.set_prospect_field(lucia, "email", "new@nubaria.es", now).unwrap_err().to_string().contains("cannot be changed"));
}
