//! CSV import, the pure part: decode the bytes, map the headers, validate
//! each row. Writing the rows (in one transaction) is the API's job.

pub mod headers;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::{is_valid_email, normalise_email, NewProspect};
use crate::error::{Error, Result};
use crate::timezone::{self, Place};

pub use headers::{guess_field, snake as headers_snake, Field};

/// How the file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16 => "UTF-16",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Turns the file's bytes into text: UTF-8 (with or without BOM), UTF-16 with
/// a BOM, or else Windows-1252 (what Excel writes on Windows).
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (s.to_string(), Encoding::Utf8Bom);
        }
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _, _) = enc.decode(bytes);
        return (text.trim_start_matches('\u{feff}').to_string(), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// What separates the fields: a comma, or what spreadsheets write where
/// the comma is the decimal mark (a semicolon), or a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub const ALL: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab];

    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
        }
    }

    /// `comma`, `semicolon`, `tab`, or the character itself.
    pub fn parse(text: &str) -> Option<Delimiter> {
        match text.trim_matches(|c: char| c == ' ').to_ascii_lowercase().as_str() {
            "comma" | "," => Some(Delimiter::Comma),
            "semicolon" | ";" => Some(Delimiter::Semicolon),
            "tab" | "\\t" | "\t" => Some(Delimiter::Tab),
            _ => None,
        }
    }

    /// "commas", for messages.
    pub fn plural(self) -> &'static str {
        match self {
            Delimiter::Comma => "commas",
            Delimiter::Semicolon => "semicolons",
            Delimiter::Tab => "tabs",
        }
    }

    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    /// The one the header line uses most, outside quotes (a comma on a tie).
    pub fn sniff(text: &str) -> Delimiter {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                '\n' if !quoted => break,
                ',' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
        if counts[best] == 0 {
            Delimiter::Comma
        } else {
            Delimiter::ALL[best]
        }
    }
}

/// A CSV reader over decoded text with the given (or sniffed) delimiter.
pub fn reader(text: &str, delimiter: Option<Delimiter>) -> (csv::Reader<&[u8]>, Delimiter) {
    let d = delimiter.unwrap_or_else(|| Delimiter::sniff(text));
    (csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).delimiter(d.byte()).from_reader(text.as_bytes()), d)
}

/// A header and where its values go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub header: String,
    pub field: Field,
}

/// A row that will not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub line: u64,
    pub email: Option<String>,
    pub reason: String,
}

/// A value dropped from a row that was still imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u64,
    pub message: String,
}

pub struct Parsed {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    pub mapping: Vec<Mapping>,
    pub rows: Vec<(u64, NewProspect)>,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Warning>,
}

const MAX_FIELD: usize = 2000;

/// Parses a whole file. `overrides` maps a header (as written in the file) to
/// a field and wins over the automatic mapping. Rows are validated; emails on
/// `do_not_contact` (addresses, or `@domain` entries) and repeats within the
/// file are rejected with their line numbers. The delimiter is sniffed from
/// the header line unless given.
pub fn parse(
    bytes: &[u8],
    overrides: &HashMap<String, Field>,
    delimiter: Option<Delimiter>,
    do_not_contact: &HashSet<String>,
) -> Result<Parsed> {
    let (text, encoding) = decode(bytes);
    let (mut reader, delimiter) = reader(&text, delimiter);
    let headers = reader.headers().map_err(|e| Error::Csv(format!("the header row could not be read: {e}")))?.clone();
    if headers.iter().all(str::is_empty) {
        return Err(Error::Csv("the file is empty or has no header row".into()));
    }
    for h in overrides.keys() {
        if !headers.iter().any(|x| x == h) {
            let known = headers.iter().collect::<Vec<_>>().join(", ");
            return Err(Error::Csv(format!("the mapping names a column \"{h}\" that the file does not have (it has: {known})")));
        }
    }
    let mapping: Vec<Mapping> = headers
        .iter()
        .map(|h| Mapping { header: h.to_string(), field: overrides.get(h).cloned().unwrap_or_else(|| guess_field(h)) })
        .collect();
    if !mapping.iter().any(|m| m.field == Field::Email) {
        return Err(Error::Csv(format!(
            "no column holds email addresses (looked for Email, Email Address, Work Email...); the file's {} columns, separated by {}, are: {}",
            headers.len(),
            delimiter.plural(),
            headers.iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let mut out = Parsed { encoding, delimiter, mapping, rows: Vec::new(), rejected: Vec::new(), warnings: Vec::new() };
    let lines = LineIndex::new(&text);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| lines.line_at(p.byte()));
                out.rejected.push(Rejected { line, email: None, reason: format!("unreadable row: {e}") });
                continue;
            }
        }
        let line = record.position().map_or(line, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue; // blank line
        }
        if record.len() != headers.len() {
            out.rejected.push(Rejected {
                line,
                email: None,
                reason: format!("has {} fields where the header has {}; a stray comma or quote?", record.len(), headers.len()),
            });
            continue;
        }
        match build_row(&out.mapping, &record, line, &mut out.warnings) {
            Err(reason) => out.rejected.push(Rejected { line, email: None, reason }),
            Ok(p) => {
                let domain_entry = format!("@{}", crate::domain::email_domain(&p.email));
                if do_not_contact.contains(&p.email) || do_not_contact.contains(&domain_entry) {
                    out.rejected.push(Rejected { line, email: Some(p.email), reason: "on the do-not-contact list".into() });
                } else if let Some(first) = seen.get(&p.email) {
                    out.rejected.push(Rejected { line, email: Some(p.email), reason: format!("same email as line {first}") });
                } else {
                    seen.insert(p.email.clone(), line);
                    out.rows.push((line, p));
                }
            }
        }
    }
    Ok(out)
}

/// Line numbers from byte offsets. The CSV reader counts a record as
/// starting on the blank line before it; people count from its first text.
struct LineIndex<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        LineIndex { text: bytes, newlines: bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect() }
    }
    fn line_at(&self, mut byte: u64) -> u64 {
        while self.text.get(byte as usize).is_some_and(|b| *b == b'\n' || *b == b'\r') {
            byte += 1;
        }
        self.newlines.partition_point(|&n| (n as u64) < byte) as u64 + 1
    }
}

fn build_row(mapping: &[Mapping], record: &csv::StringRecord, line: u64, warnings: &mut Vec<Warning>) -> Result<NewProspect, String> {
    let mut p = NewProspect::default();
    let mut full_name = None;
    let mut zone = None;
    let mut phones: Vec<(u8, &str, String)> = Vec::new();
    for (m, value) in mapping.iter().zip(record.iter()) {
        let value = excel_text(value);
        if value.is_empty() {
            continue;
        }
        if value.chars().count() > MAX_FIELD {
            return Err(format!("\"{}\" is longer than {MAX_FIELD} characters", m.header));
        }
        let v = Some(value.to_string());
        match &m.field {
            Field::Email => p.email = normalise_email(value),
            Field::FirstName => p.first_name = v,
            Field::LastName => p.last_name = v,
            Field::FullName => full_name = v,
            Field::Company => p.company = v,
            Field::Title => p.title = v,
            Field::Phone(rank) => phones.push((*rank, &m.header, value.to_string())),
            Field::Linkedin => match clean_linkedin(value) {
                Some(url) => p.linkedin = Some(url),
                None => warnings.push(Warning { line, message: format!("\"{value}\" is not a LinkedIn profile address; left out") }),
            },
            Field::City => p.city = v,
            Field::State => p.state = v,
            Field::Country => p.country = v,
            Field::TimeZone => zone = v,
            Field::Tags => p.tags = value.split([',', ';']).map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            Field::Custom(name) => {
                p.extra.insert(name.clone(), value.to_string());
            }
            Field::Ignore => {}
        }
    }
    if p.email.is_empty() {
        return Err("no email address".into());
    }
    if !is_valid_email(&p.email) {
        return Err(format!("\"{}\" is not a valid email address", p.email));
    }
    if let Some(full) = full_name {
        if p.first_name.is_none() && p.last_name.is_none() {
            let mut parts = full.splitn(2, ' ');
            p.first_name = parts.next().map(str::to_string).filter(|s| !s.is_empty());
            p.last_name = parts.next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        }
    }
    // The best number is the one to dial; every other one is kept apart,
    // under its column's name (mobile_phone, corporate_phone...).
    phones.sort_by_key(|(rank, _, _)| *rank);
    let mut phones = phones.into_iter();
    p.phone = phones.next().map(|(_, _, v)| v);
    for (_, header, v) in phones {
        p.extra.entry(headers::snake(header)).or_insert(v);
    }
    let place = Place {
        zone: zone.as_deref(),
        country: p.country.as_deref(),
        state: p.state.as_deref(),
        city: p.city.as_deref(),
        phone: p.phone.as_deref(),
    };
    let (tz, source) = timezone::infer(&place);
    if let (Some(z), crate::domain::TzSource::Location | crate::domain::TzSource::Phone | crate::domain::TzSource::Unknown) =
        (&zone, source)
    {
        warnings.push(Warning { line, message: format!("time zone \"{z}\" is not one Cadence knows; inferred from the location instead") });
    }
    p.timezone = tz;
    p.tz_source = source;
    Ok(p)
}

/// Excel marks a cell as text with a leading apostrophe (`'+34 912 345 678`,
/// `'00123`); exports keep it. It goes before a number (a digit, `+` or
/// `(`), never from a word, and never to uncover a formula (`'=1+2` stays).
fn excel_text(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '(') => rest,
        _ => value,
    }
}

/// Only https links to linkedin.com profiles are kept: the app opens them in
/// the browser, so nothing else from a file (or an edit) may get there. The
/// value is parsed as a URL (a bare `linkedin.com/in/x` is taken as https);
/// the scheme must be https (http is upgraded), the host `linkedin.com` or a
/// subdomain of it, with no user info, no port and a path. What is stored is
/// the parsed URL's serialisation, never the raw text.
pub fn clean_linkedin(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > MAX_FIELD {
        return None;
    }
    let mut url = match url::Url::parse(t) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => url::Url::parse(&format!("https://{t}")).ok()?,
        Err(_) => return None,
    };
    if url.port().is_some() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    match url.scheme() {
        "https" => {}
        "http" => url.set_scheme("https").ok()?,
        _ => return None,
    }
    let ok_host = match url.host() {
        Some(url::Host::Domain(host)) => host == "linkedin.com" || host.ends_with(".linkedin.com"),
        _ => false,
    };
    (ok_host && url.path() != "/").then(|| url.to_string())
}

/// The report's custom-field list, for the mapping preview.
pub fn custom_fields(mapping: &[Mapping]) -> BTreeMap<String, String> {
    mapping
        .iter()
        .filter_map(|m| match &m.field {
            Field::Custom(n) => Some((m.header.clone(), n.clone())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::clean_linkedin;

    #[test]
    fn linkedin_profiles_are_stored_as_parsed_https_urls() {
        let cases = [
            ("linkedin.com/in/ana-silva", "https://linkedin.com/in/ana-silva"),
            ("www.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
            ("http://www.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
            ("HTTPS://UK.LinkedIn.com/in/Ana", "https://uk.linkedin.com/in/Ana"),
            ("  https://www.linkedin.com/in/ana?trk=x  ", "https://www.linkedin.com/in/ana?trk=x"),
            ("https://www.linkedin.com:443/in/ana", "https://www.linkedin.com/in/ana"),
            ("https://www.linkedin.com/in/lucía", "https://www.linkedin.com/in/luc%C3%ADa"),
        ];
        for (raw, stored) in cases {
            assert_eq!(clean_linkedin(raw).as_deref(), Some(stored), "{raw}");
        }
    }

    #[test]
    fn anything_but_an_https_linkedin_host_is_refused() {
        for raw in [
            "evil.example#.linkedin.com/in/x",
            "https://evil.example#.linkedin.com/in/x",
            "https://evil.example/x?.linkedin.com/in/x",
            "https://linkedin.com.evil.example/in/x",
            "https://evillinkedin.com/in/x",
            "https://user@linkedin.com/in/x",
            "https://user:pw@www.linkedin.com/in/x",
            "https://linkedin.com@evil.example/in/x",
            "javascript:alert(1)//linkedin.com",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>//linkedin.com/in/x",
            "file:///etc/passwd#.linkedin.com/in/x",
            "ftp://www.linkedin.com/in/x",
            "https://www.linkedin.com:8443/in/x",
            "http://www.linkedin.com:443/in/x",
            "https://linkedin.com.:443/in/x",
            "https://127.0.0.1/in/x",
            "https://[::1]/in/x",
            "https://www.linkedin.com",
            "https://www.linkedin.com/",
            "linkedin.com",
            "",
            "   ",
        ] {
            assert_eq!(clean_linkedin(raw), None, "{raw:?} was accepted");
        }
        assert_eq!(clean_linkedin(&format!("https://www.linkedin.com/in/{}", "a".repeat(3000))), None);
    }
}
