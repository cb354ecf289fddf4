//! CSV import on messy, realistic files.

mod common;

use std::collections::HashMap;

use common::*;
use engine::api::ImportOptions;
use engine::domain::{OnDuplicate, TzSource};
use engine::import::Field;
use engine::Error;

fn import(w: &mut World, bytes: &[u8], opts: &ImportOptions) -> engine::api::ImportReport {
    w.engine.import_csv("messy.csv", bytes, opts, utc("2026-11-24T12:00:00Z")).unwrap()
}

fn reasons(r: &engine::api::ImportReport) -> Vec<(u64, String)> {
    r.rejected.iter().map(|x| (x.line, x.reason.clone())).collect()
}

#[test]
fn excel_windows_1252_and_utf8_bom_files_keep_their_accents() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    // Excel on Windows: cp1252 bytes for é (0xE9) and ü (0xFC), CRLF line ends.
    let cp1252: &[u8] = b"First Name,Last Name,Email Address,Account Name\r\nJos\xe9,Garc\xeda,jose@ejemplo.es,Ejemplo\r\nJ\xfcrgen,M\xfcller,juergen@beispiel.de,Beispiel\r\n";
    let r = import(&mut w, cp1252, &ImportOptions::default());
    assert_eq!((r.imported, r.encoding.as_str()), (2, "Windows-1252"));
    let jose = w.engine.find_prospect("jose@ejemplo.es").unwrap();
    assert_eq!((jose.first_name.as_deref(), jose.last_name.as_deref()), (Some("José"), Some("García")));
    assert_eq!(w.engine.find_prospect("juergen@beispiel.de").unwrap().last_name.as_deref(), Some("Müller"));

    let bom = "\u{feff}first_name,email,company\nZoë,zoe@example.org,\"Acme, Inc.\"\n".as_bytes();
    let r = import(&mut w, bom, &ImportOptions::default());
    assert_eq!((r.imported, r.encoding.as_str()), (1, "UTF-8 with BOM"));
    let zoe = w.engine.find_prospect("zoe@example.org").unwrap();
    assert_eq!((zoe.first_name.as_deref(), zoe.company.as_deref()), (Some("Zoë"), Some("Acme, Inc.")));
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_the_rest_imports() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    w.import("email,first_name\nknown@acme.com,Old\n", now);
    w.engine.add_do_not_contact("blocked@acme.com", "asked to stop", now).unwrap();
    let csv = "\
FirstName,LastName,Work Email,Company Name,Job Title,Mobile Phone,Direct Phone,Person Linkedin Url,City,State,Country,Time Zone
Ana,Silva,ana@acme.com,\"Acme, Inc.\",\"Head of \"\"Growth\"\"\",+55 11 5555 0000,+55 11 4444 0000,linkedin.com/in/ana-silva,São Paulo,SP,Brazil,

Ben,Stone,not-an-email,Acme,CTO,,,,,,,
Cara,Diaz,,Acme,CEO,,,,,,,
Dan,Ng,ANA@acme.com,Acme,COO,,,,,,,
Eve,Roe,known@acme.com,Acme,CFO,,,,,,,
Fay,Li,blocked@acme.com,Acme,VP,,,,,,,
Gus,Orr,gus@acme.com,Acme,VP,,,javascript:alert(1),,,,
Hal,Poe,hal@acme.com,Acme,VP
Ivy,Kay,ivy@acme.com,Acme,VP,,,,Springfield,,,Mars/Olympus
";
    let r = import(&mut w, csv.as_bytes(), &ImportOptions::default());
    assert_eq!(r.imported, 3, "{:#?}", r.rejected); // Ana, Gus, Ivy
    assert_eq!(r.skipped, vec![(7, "known@acme.com".to_string())]);
    assert_eq!(
        reasons(&r),
        vec![
            (4, "\"not-an-email\" is not a valid email address".to_string()),
            (5, "no email address".to_string()),
            (6, "same email as line 2".to_string()),
            (8, "on the do-not-contact list".to_string()),
            (10, "has 5 fields where the header has 12; a stray comma or quote?".to_string()),
        ]
    );
    let warn: Vec<_> = r.warnings.iter().map(|w| (w.line, w.message.clone())).collect();
    assert_eq!(warn[0], (9, "\"javascript:alert(1)\" is not a LinkedIn profile address; left out".to_string()));
    assert_eq!(warn[1].0, 11);
    let ana = w.engine.find_prospect("ana@acme.com").unwrap();
    assert_eq!(ana.title.as_deref(), Some("Head of \"Growth\""));
    assert_eq!(ana.phone.as_deref(), Some("+55 11 4444 0000"), "direct phone wins over mobile");
    assert_eq!(ana.linkedin.as_deref(), Some("https://linkedin.com/in/ana-silva"));
    assert_eq!((ana.timezone.map(|t| t.name().to_string()), ana.tz_source), (Some("America/Sao_Paulo".into()), TzSource::Location));
    let ivy = w.engine.find_prospect("ivy@acme.com").unwrap();
    assert_eq!((ivy.timezone, ivy.tz_source), (None, TzSource::Unknown));
    let unknown: Vec<&str> = r.timezone_unknown.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(unknown.len(), 2, "Gus and Ivy: {unknown:?}");
    assert!(unknown.contains(&"ivy@acme.com"));
    // The known prospect was skipped, so it kept its old name.
    assert_eq!(w.engine.find_prospect("known@acme.com").unwrap().first_name.as_deref(), Some("Old"));
}

#[test]
fn duplicates_against_the_database_update_when_asked() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    w.import("email,first_name,company,Pain Point\nkim@acme.com,Kim,Acme,slow onboarding\n", now);
    let opts = ImportOptions { on_duplicate: OnDuplicate::Update, ..Default::default() };
    let r = import(&mut w, b"email,first_name,title,company\nKIM@acme.com,Kimberly,CTO,\n", &opts);
    assert_eq!((r.imported, r.updated), (0, 1));
    let kim = w.engine.find_prospect("kim@acme.com").unwrap();
    assert_eq!((kim.first_name.as_deref(), kim.title.as_deref()), (Some("Kimberly"), Some("CTO")));
    assert_eq!(kim.company.as_deref(), Some("Acme"), "an empty cell never blanks a stored value");
    assert_eq!(kim.extra.get("pain_point").map(String::as_str), Some("slow onboarding"));
}

#[test]
fn explicit_mapping_overrides_the_guess() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    let mut mapping = HashMap::new();
    mapping.insert("Contact".to_string(), Field::Email);
    mapping.insert("Notes".to_string(), Field::Ignore);
    let opts = ImportOptions { mapping, ..Default::default() };
    let r = import(&mut w, b"Contact,Notes,Org\nlee@acme.com,called twice,Acme\n", &opts);
    assert_eq!(r.imported, 1);
    let lee = w.engine.find_prospect("lee@acme.com").unwrap();
    assert!(!lee.extra.contains_key("notes"));
    assert_eq!(lee.extra.get("org").map(String::as_str), Some("Acme"));
    // A file with no email column says so, and imports nothing.
    let err = w.engine.import_csv("x.csv", b"Name,Phone\nA,1\n", &ImportOptions::default(), now).unwrap_err();
    assert!(matches!(err, Error::Csv(ref m) if m.contains("no column holds email addresses")), "{err}");
}

#[test]
fn nothing_is_half_imported_when_storage_fails() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    // Make the 500th insert fail, as a full disk or a crash would.
    w.engine
        .connection()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_late BEFORE INSERT ON prospects
             WHEN (SELECT count(*) FROM prospects) >= 499 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    let mut csv = String::from("email,first_name\n");
    for i in 0..1000 {
        csv.push_str(&format!("p{i}@example.com,P{i}\n"));
    }
    let err = w.engine.import_csv("big.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(w.engine.prospect_count().unwrap(), 0);
    let imports: i64 = w.engine.connection().query_row("SELECT count(*) FROM imports", [], |r| r.get(0)).unwrap();
    assert_eq!(imports, 0);
}

#[test]
fn a_fifty_megabyte_file_imports_whole() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    let mut csv = String::with_capacity(52 << 20);
    csv.push_str("First Name,Last Name,Email,Company,Title,Phone,City,Country,Notes\n");
    let mut rows = 0;
    while csv.len() < 50 << 20 {
        csv.push_str(&format!(
            "Name{rows},Surname{rows},person{rows}@company{}.com,\"Company {}, Ltd\",Head of Things,+44 20 7946 {:04},London,United Kingdom,\"{}\"\n",
            rows % 5000,
            rows % 5000,
            rows % 10000,
            "a long free-text note about this person, the kind CRMs export ".repeat(2)
        ));
        rows += 1;
    }
    // A few bad rows in the middle.
    csv.push_str("Bad,Row,not-an-email,X,Y,,,,\n");
    let r = w.engine.import_csv("big.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
    assert!(csv.len() >= 50 << 20);
    assert_eq!(r.imported, rows);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(w.engine.prospect_count().unwrap() as usize, rows);
}

#[test]
fn hostile_linkedin_values_are_refused_with_their_line_and_good_ones_stored_as_https() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    let csv = "\
email,linkedin
a@acme.com,evil.example#.linkedin.com/in/x
b@acme.com,https://linkedin.com.evil.example/in/x
c@acme.com,https://user@linkedin.com/in/x
d@acme.com,javascript:alert(1)//linkedin.com
e@acme.com,https://www.linkedin.com:8443/in/x
f@acme.com,linkedin.com/in/ana-silva
g@acme.com,http://www.linkedin.com/in/gus
h@acme.com,https://UK.linkedin.com/in/hal
";
    let r = import(&mut w, csv.as_bytes(), &ImportOptions::default());
    assert_eq!(r.imported, 8, "a bad LinkedIn value drops the value, not the prospect: {:#?}", r.rejected);
    let warned: Vec<(u64, String)> = r.warnings.iter().map(|w| (w.line, w.message.clone())).collect();
    let hostile = [
        (2, "evil.example#.linkedin.com/in/x"),
        (3, "https://linkedin.com.evil.example/in/x"),
        (4, "https://user@linkedin.com/in/x"),
        (5, "javascript:alert(1)//linkedin.com"),
        (6, "https://www.linkedin.com:8443/in/x"),
    ];
    let expected: Vec<(u64, String)> =
        hostile.iter().map(|(line, v)| (*line, format!("\"{v}\" is not a LinkedIn profile address; left out"))).collect();
    assert_eq!(warned, expected);
    for email in ["a@acme.com", "b@acme.com", "c@acme.com", "d@acme.com", "e@acme.com"] {
        assert_eq!(w.engine.find_prospect(email).unwrap().linkedin, None, "{email}");
    }
    let stored = |email: &str| w.engine.find_prospect(email).unwrap().linkedin;
    assert_eq!(stored("f@acme.com").as_deref(), Some("https://linkedin.com/in/ana-silva"));
    assert_eq!(stored("g@acme.com").as_deref(), Some("https://www.linkedin.com/in/gus"));
    assert_eq!(stored("h@acme.com").as_deref(), Some("https://uk.linkedin.com/in/hal"));
}

#[test]
fn editing_a_linkedin_value_applies_the_same_check() {
    let now = utc("2026-11-24T12:00:00Z");
    let mut w = World::new(now);
    w.import("email\nkim@acme.com\n", now);
    let id = w.engine.find_prospect("kim@acme.com").unwrap().id;
    for hostile in [
        "evil.example#.linkedin.com/in/x",
        "https://linkedin.com.evil.example/in/x",
        "https://user@linkedin.com/in/x",
        "javascript:alert(1)//linkedin.com",
    ] {
        let err = w.engine.set_prospect_field(id, "linkedin", hostile, now).unwrap_err();
        assert!(matches!(err, Error::Invalid(ref m) if m.contains("not a LinkedIn profile address")), "{hostile}: {err}");
        assert_eq!(w.engine.find_prospect("kim@acme.com").unwrap().linkedin, None, "{hostile}");
    }
    let p = w.engine.set_prospect_field(id, "linkedin", "www.linkedin.com/in/kim", now).unwrap();
    assert_eq!(p.linkedin.as_deref(), Some("https://www.linkedin.com/in/kim"));
    let p = w.engine.set_prospect_field(id, "linkedin", "", now).unwrap();
    assert_eq!(p.linkedin, None, "an empty value clears it");
}
