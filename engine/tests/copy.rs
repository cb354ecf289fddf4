//! Drafts that read like a person wrote them: paragraphs flow (the sequence
//! file's hard wraps are gone, the signature keeps its lines), titles stay
//! as written, possessives are right for names ending in s.

mod common;

use common::*;
use engine::api::{QueueOptions, Selection};
use engine::domain::Channel;

const VELAWORKS: &str = "\
First Name,Last Name,Email,Company,Title,City,Country
Ines,Moreau,ines@velaworks.example,Velaworks,Founder & CEO,Paris,France
";

/// The first email of `slug` for Ines, as the rep sees it.
fn first_email(slug: &str) -> (String, String) {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(VELAWORKS, now);
    w.engine.set_setting("sender_name", "Alex Rivera").unwrap();
    w.engine.set_setting("signature", "Alex Rivera\nBrightpath · +1 555 0100").unwrap();
    let ines = w.engine.find_prospect("ines@velaworks.example").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![ines]), slug, false, now).unwrap();
    let later = utc("2026-11-26T12:00:00Z");
    let q = w.engine.queue(later, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    let d = w.engine.touch(q.items[0].touch_id).unwrap().draft;
    assert!(d.missing.is_empty() && d.problem.is_none(), "{d:?}");
    (d.subject.unwrap_or_default(), d.body)
}

#[test]
fn paragraphs_flow_and_the_signature_keeps_its_lines() {
    let (_, body) = first_email("cold-outbound-21d");
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    assert!(paragraphs.len() >= 5, "{body}");
    assert_eq!(paragraphs[0], "Hi Ines,");
    // The file wraps this paragraph over two lines; the draft does not.
    assert!(
        paragraphs[1].starts_with("Teams like Velaworks usually lose") && !paragraphs[1].contains('\n'),
        "one flowing paragraph: {:?}",
        paragraphs[1]
    );
    assert!(paragraphs.contains(&"Alex Rivera\nBrightpath · +1 555 0100"), "the signature as written: {body}");
    assert!(!body.contains("founder & ceo"), "no title lower-cased into the copy: {body}");
}

#[test]
fn a_company_ending_in_s_takes_only_an_apostrophe() {
    let (subject, _) = first_email("cold-short-14d");
    assert_eq!(subject, "question about Velaworks' pipeline reviews");
    assert_eq!(engine::template::possessive("Acme".into()), "Acme's");
    assert_eq!(engine::template::possessive("Velaworks".into()), "Velaworks'");
}

#[test]
fn lists_and_lone_fields_keep_their_lines() {
    let src = "Two things\nto say:\n- first\n- second\n{{ signature }}\nline ending with a break  \nnext";
    assert_eq!(engine::template::reflow(src), "Two things to say:\n- first\n- second\n{{ signature }}\nline ending with a break  \nnext");
}

#[test]
fn the_built_in_playbooks_pass_the_new_rules() {
    for b in engine::sequence::builtin_sequences() {
        let s = engine::sequence::parse_sequence(b.file, b.source).unwrap();
        let findings = engine::sequence::lint(&s);
        let copy: Vec<_> =
            findings.iter().filter(|f| matches!(f.rule.as_str(), "case_change" | "possessive")).map(|f| f.message.clone()).collect();
        assert!(copy.is_empty(), "{}: {copy:?}", b.slug);
    }
}
