//! CSV import of files as real tools export them: a German Excel export
//! (semicolons, Windows-1252), a tab-separated file, Apollo's whole header
//! with Excel's text apostrophes and five phone columns, and numbers whose
//! country has several zones.

mod common;

use common::*;
use engine::api::{ImportOptions, ImportReport};
use engine::domain::TzSource;
use engine::import::Delimiter;

fn import(w: &mut World, bytes: &[u8], opts: &ImportOptions) -> ImportReport {
    w.engine.import_csv("export.csv", bytes, opts, utc("2026-11-24T12:00:00Z")).unwrap()
}

#[test]
fn a_german_excel_export_with_semicolons_and_windows_1252_imports_whole() {
    let mut w = World::new(utc("2026-11-24T12:00:00Z"));
    // Excel with German regional settings: `;` between fields (the comma is
    // the decimal mark), cp1252 (ü = 0xFC, ß = 0xDF), CRLF, German headers.
    let file: &[u8] = b"Vorname;Nachname;E-Mail;Firma;Position;Telefon;Ort;Bundesland;Land;Umsatz\r\n\
        J\xfcrgen;Gro\xdf;juergen.gross@beispiel.de;Beispiel GmbH;Leiter Vertrieb;'+49 30 1234567;Berlin;Berlin;Deutschland;1,5 Mio\r\n\
        Anna;Schmidt;anna@muster.de;\"Muster; Partner\";CEO;;M\xfcnchen;Bayern;Deutschland;\r\n";
    let r = import(&mut w, file, &ImportOptions::default());
    assert_eq!((r.imported, r.rejected.len()), (2, 0), "{:?}", r.rejected);
    assert_eq!((r.encoding.as_str(), r.delimiter), ("Windows-1252", Delimiter::Semicolon));
    let j = w.engine.find_prospect("juergen.gross@beispiel.de").unwrap();
    assert_eq!((j.first_name.as_deref(), j.last_name.as_deref()), (Some("Jürgen"), Some("Groß")));
    assert_eq!((j.company.as_deref(), j.title.as_deref()), (Some("Beispiel GmbH"), Some("Leiter Vertrieb")));
    assert_eq!(j.phone.as_deref(), Some("+49 30 1234567"), "Excel's text apostrophe is gone");
    assert_eq!((j.city.as_deref(), j.state.as_deref(), j.country.as_deref()), (Some("Berlin"), Some("Berlin"), Some("Deutschland")));
    assert_eq!(j.timezone.map(|t| t.name()), Some("Europe/Berlin"));
    assert_eq!(j.extra.get("umsatz").map(String::as_str), Some("1,5 Mio"), "a decimal comma stays inside its field");
    let a = w.engine.find_prospect("anna@muster.de").unwrap();
    assert_eq!(a.company.as_deref(), Some("Muster; Partner"), "a quoted semicolon is data");
    assert_eq!(a.city.as_deref(), Some("München"));
}

#[test]
fn a_tab_separated_file_and_a_separator_chosen_by_hand() {
    let mut w = World::new(utc("2026-11-24T12:00:00Z"));
    let file = b"email\tfirst_name\tcompany\nli@example.cn\tLi\tAcme, Ltd.\n";
    let r = import(&mut w, file, &ImportOptions::default());
    assert_eq!((r.imported, r.delimiter), (1, Delimiter::Tab));
    assert_eq!(w.engine.find_prospect("li@example.cn").unwrap().company.as_deref(), Some("Acme, Ltd."));

    // A header with more commas than semicolons in its names is read with
    // commas; told otherwise, it is read with semicolons.
    let odd = b"email;first_name;Notes, internal, long\nmo@example.org;Mo;x\n";
    let preview = w.engine.preview_csv(odd, &Default::default(), None, 5).unwrap();
    assert_eq!(preview.delimiter, Delimiter::Comma);
    assert!(preview.problem.as_deref().is_some_and(|p| p.contains("separated by commas")), "{:?}", preview.problem);
    let chosen = w.engine.preview_csv(odd, &Default::default(), Some(Delimiter::Semicolon), 5).unwrap();
    assert_eq!((chosen.delimiter, chosen.headers.len(), chosen.ready, chosen.problem), (Delimiter::Semicolon, 3, 1, None));
    let r = import(&mut w, odd, &ImportOptions { delimiter: Some(Delimiter::Semicolon), ..Default::default() });
    assert_eq!(r.imported, 1);
    assert_eq!(Delimiter::sniff("\"Name; full\",email\n"), Delimiter::Comma, "quoted separators do not count");
}

/// Apollo's people export, every column of it, as it comes.
const APOLLO_HEADER: &str = "First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Seniority,Departments,\
Contact Owner,First Phone,Work Direct Phone,Home Phone,Mobile Phone,Corporate Phone,Other Phone,Stage,Lists,Last Contacted,\
Account Owner,# Employees,Industry,Keywords,Person Linkedin Url,Website,Company Linkedin Url,Facebook Url,Twitter Url,City,State,\
Country,Company Address,Company City,Company State,Company Country,Company Phone,SEO Description,Technologies,Annual Revenue,\
Total Funding,Latest Funding,Latest Funding Amount,Last Raised At,Email Sent,Email Open,Email Bounced,Replied,Demoed,\
Number of Retail Locations,Apollo Contact Id,Apollo Account Id";

/// One row under APOLLO_HEADER: the given cells, the rest empty, quoted as
/// Apollo quotes (only cells with a comma or a quote).
fn apollo_row(cells: &[(&str, &str)]) -> String {
    let header: Vec<&str> = APOLLO_HEADER.split(',').collect();
    for (h, _) in cells {
        assert!(header.contains(h), "no column {h}");
    }
    header
        .iter()
        .map(|h| match cells.iter().find(|(k, _)| k == h).map(|(_, v)| *v).unwrap_or("") {
            v if v.contains([',', '"']) => format!("\"{}\"", v.replace('"', "\"\"")),
            v => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn apollos_whole_export_keeps_every_phone_apart_and_dials_the_direct_one() {
    let mut w = World::new(utc("2026-11-24T12:00:00Z"));
    let row = apollo_row(&[
        ("First Name", "Lucía"),
        ("Last Name", "Fernández"),
        ("Title", "Head of Sales"),
        ("Company", "Nubaria"),
        ("Company Name for Emails", "Nubaria"),
        ("Email", "lucia@nubaria.es"),
        ("Email Status", "Verified"),
        ("First Phone", "'+34 912 345 678"),
        ("Work Direct Phone", "'+34 912 345 678"),
        ("Mobile Phone", "'+34 612 345 678"),
        ("Corporate Phone", "'+34 910 000 000"),
        ("Lists", "Q4 Spain"),
        ("# Employees", "120"),
        ("Keywords", "saas, logistics"),
        ("Person Linkedin Url", "http://www.linkedin.com/in/lucia-fernandez"),
        ("Company Linkedin Url", "http://www.linkedin.com/company/nubaria"),
        ("City", "Madrid"),
        ("State", "Community of Madrid"),
        ("Country", "Spain"),
        ("Company Address", "Calle Mayor 1, Madrid"),
        ("Company Phone", "'+34 910 000 000"),
        ("Email Sent", "false"),
        ("Apollo Contact Id", "64f0c0ffee"),
    ]);
    let mobile_only = apollo_row(&[
        ("First Name", "Tom"),
        ("Last Name", "Reyes"),
        ("Title", "CTO"),
        ("Company", "Pampa"),
        ("Email", "tom@pampa.com.br"),
        ("First Phone", "'+55 11 3456-7890"),
        ("Country", "Brazil"),
    ]);
    let file = format!("{APOLLO_HEADER}\n{row}\n{mobile_only}\n");
    let r = import(&mut w, file.as_bytes(), &ImportOptions::default());
    assert_eq!((r.imported, r.rejected.len(), r.delimiter), (2, 0, Delimiter::Comma), "{:?}", r.rejected);
    let mapped = |h: &str| r.mapping.iter().find(|m| m.header == h).map(|m| m.field.name()).unwrap();
    assert_eq!(mapped("Work Direct Phone"), "phone");
    assert_eq!(mapped("State"), "state");
    assert_eq!(mapped("Person Linkedin Url"), "linkedin");
    assert_eq!(mapped("Company Linkedin Url"), "custom:company_linkedin_url");

    let l = w.engine.find_prospect("lucia@nubaria.es").unwrap();
    assert_eq!(l.phone.as_deref(), Some("+34 912 345 678"), "the work direct line is dialled, without Excel's apostrophe");
    assert_eq!(l.extra.get("mobile_phone").map(String::as_str), Some("+34 612 345 678"));
    assert_eq!(l.extra.get("corporate_phone").map(String::as_str), Some("+34 910 000 000"));
    assert!(l.extra.values().all(|v| !v.starts_with('\'')), "no apostrophe anywhere: {:?}", l.extra);
    assert_eq!((l.state.as_deref(), l.country.as_deref()), (Some("Community of Madrid"), Some("Spain")));
    assert_eq!(l.timezone.map(|t| t.name()), Some("Europe/Madrid"));
    assert_eq!(l.linkedin.as_deref(), Some("https://www.linkedin.com/in/lucia-fernandez"));
    assert_eq!(l.tags, vec!["Q4 Spain".to_string()]);

    // Only a São Paulo number and "Brazil": Brazil has four zones, one of
    // them for most people. Cadence takes it and says it guessed.
    let t = w.engine.find_prospect("tom@pampa.com.br").unwrap();
    assert_eq!(t.phone.as_deref(), Some("+55 11 3456-7890"));
    assert_eq!((t.timezone.map(|z| z.name()), t.tz_source), (Some("America/Sao_Paulo"), TzSource::Guess));
    assert!(r.timezone_unknown.is_empty());
}

#[test]
fn an_apostrophe_that_is_part_of_a_word_or_hides_a_formula_stays() {
    let mut w = World::new(utc("2026-11-24T12:00:00Z"));
    let r = import(&mut w, b"email,last_name,note\nsean@example.ie,O'Brien,'=1+2\n", &ImportOptions::default());
    assert_eq!(r.imported, 1);
    let s = w.engine.find_prospect("sean@example.ie").unwrap();
    assert_eq!(s.last_name.as_deref(), Some("O'Brien"));
    assert_eq!(s.extra.get("note").map(String::as_str), Some("'=1+2"));
}
