//! A prospect's time zone: from the file's column, else from country, state
//! or city, else from the phone number's country code, else unknown.

use chrono_tz::Tz;

use crate::domain::TzSource;

struct Country {
    code: &'static str,
    names: &'static [&'static str],
    calling: &'static str,
    /// The zone when the whole country has one; `None` for multi-zone countries.
    zone: Option<&'static str>,
}

macro_rules! c {
    ($code:literal, [$($n:literal),*], $calling:literal, $zone:expr) => {
        Country { code: $code, names: &[$($n),*], calling: $calling, zone: $zone }
    };
}

static COUNTRIES: &[Country] = &[
    c!("US", ["united states", "united states of america", "usa", "us", "u.s.", "u.s.a.", "america"], "1", None),
    c!("CA", ["canada", "ca"], "1", None),
    c!(
        "GB",
        ["united kingdom", "uk", "gb", "great britain", "england", "scotland", "wales", "northern ireland", "britain"],
        "44",
        Some("Europe/London")
    ),
    c!("IE", ["ireland", "ie"], "353", Some("Europe/Dublin")),
    c!("AU", ["australia", "au"], "61", None),
    c!("NZ", ["new zealand", "nz"], "64", Some("Pacific/Auckland")),
    c!("DE", ["germany", "deutschland", "de"], "49", Some("Europe/Berlin")),
    c!("FR", ["france", "fr"], "33", Some("Europe/Paris")),
    c!("NL", ["netherlands", "the netherlands", "nederland", "holland", "nl"], "31", Some("Europe/Amsterdam")),
    c!("BE", ["belgium", "belgië", "belgique", "be"], "32", Some("Europe/Brussels")),
    c!("ES", ["spain", "españa", "espana", "es"], "34", Some("Europe/Madrid")),
    c!("PT", ["portugal", "pt"], "351", Some("Europe/Lisbon")),
    c!("IT", ["italy", "italia", "it"], "39", Some("Europe/Rome")),
    c!("CH", ["switzerland", "schweiz", "suisse", "ch"], "41", Some("Europe/Zurich")),
    c!("AT", ["austria", "österreich", "at"], "43", Some("Europe/Vienna")),
    c!("SE", ["sweden", "sverige", "se"], "46", Some("Europe/Stockholm")),
    c!("NO", ["norway", "norge", "no"], "47", Some("Europe/Oslo")),
    c!("DK", ["denmark", "danmark", "dk"], "45", Some("Europe/Copenhagen")),
    c!("FI", ["finland", "suomi", "fi"], "358", Some("Europe/Helsinki")),
    c!("PL", ["poland", "polska", "pl"], "48", Some("Europe/Warsaw")),
    c!("CZ", ["czech republic", "czechia", "cz"], "420", Some("Europe/Prague")),
    c!("IN", ["india", "in"], "91", Some("Asia/Kolkata")),
    c!("SG", ["singapore", "sg"], "65", Some("Asia/Singapore")),
    c!("JP", ["japan", "jp"], "81", Some("Asia/Tokyo")),
    c!("CN", ["china", "cn"], "86", Some("Asia/Shanghai")),
    c!("HK", ["hong kong", "hk"], "852", Some("Asia/Hong_Kong")),
    c!("KR", ["south korea", "korea", "kr"], "82", Some("Asia/Seoul")),
    c!("AE", ["united arab emirates", "uae", "ae"], "971", Some("Asia/Dubai")),
    c!("IL", ["israel", "il"], "972", Some("Asia/Jerusalem")),
    c!("ZA", ["south africa", "za"], "27", Some("Africa/Johannesburg")),
    c!("NG", ["nigeria", "ng"], "234", Some("Africa/Lagos")),
    c!("KE", ["kenya", "ke"], "254", Some("Africa/Nairobi")),
    c!("BR", ["brazil", "brasil", "br"], "55", None),
    c!("MX", ["mexico", "méxico", "mx"], "52", None),
    c!("AR", ["argentina", "ar"], "54", Some("America/Argentina/Buenos_Aires")),
    c!("CL", ["chile", "cl"], "56", Some("America/Santiago")),
    c!("CO", ["colombia", "co"], "57", Some("America/Bogota")),
];

/// Countries with several zones where one holds most of the people: a
/// prospect known only by the country (or its calling code) gets that zone,
/// marked as a guess.
static DOMINANT: &[(&str, &str)] = &[
    // Brasília time: every state but the far west and Fernando de Noronha.
    ("BR", "America/Sao_Paulo"),
    // Central time: Mexico City, Guadalajara, Monterrey.
    ("MX", "America/Mexico_City"),
];

static REGIONS: &[(&str, &[&str], &str)] = &[
    // United States, by state (the zone of most of its people).
    (
        "US",
        &[
            "ct",
            "connecticut",
            "de",
            "delaware",
            "dc",
            "district of columbia",
            "fl",
            "florida",
            "ga",
            "georgia",
            "me",
            "maine",
            "md",
            "maryland",
            "ma",
            "massachusetts",
            "nh",
            "new hampshire",
            "nj",
            "new jersey",
            "ny",
            "new york",
            "nc",
            "north carolina",
            "oh",
            "ohio",
            "pa",
            "pennsylvania",
            "ri",
            "rhode island",
            "sc",
            "south carolina",
            "vt",
            "vermont",
            "va",
            "virginia",
            "wv",
            "west virginia",
        ],
        "America/New_York",
    ),
    ("US", &["mi", "michigan"], "America/Detroit"),
    ("US", &["in", "indiana"], "America/Indiana/Indianapolis"),
    ("US", &["ky", "kentucky"], "America/Kentucky/Louisville"),
    (
        "US",
        &[
            "al",
            "alabama",
            "ar",
            "arkansas",
            "il",
            "illinois",
            "ia",
            "iowa",
            "ks",
            "kansas",
            "la",
            "louisiana",
            "mn",
            "minnesota",
            "ms",
            "mississippi",
            "mo",
            "missouri",
            "ne",
            "nebraska",
            "nd",
            "north dakota",
            "ok",
            "oklahoma",
            "sd",
            "south dakota",
            "tn",
            "tennessee",
            "tx",
            "texas",
            "wi",
            "wisconsin",
        ],
        "America/Chicago",
    ),
    ("US", &["co", "colorado", "id", "idaho", "mt", "montana", "nm", "new mexico", "ut", "utah", "wy", "wyoming"], "America/Denver"),
    ("US", &["az", "arizona"], "America/Phoenix"),
    ("US", &["ca", "california", "nv", "nevada", "or", "oregon", "wa", "washington"], "America/Los_Angeles"),
    ("US", &["ak", "alaska"], "America/Anchorage"),
    ("US", &["hi", "hawaii"], "Pacific/Honolulu"),
    ("CA", &["on", "ontario", "qc", "quebec", "québec"], "America/Toronto"),
    ("CA", &["bc", "british columbia"], "America/Vancouver"),
    ("CA", &["ab", "alberta"], "America/Edmonton"),
    ("CA", &["mb", "manitoba"], "America/Winnipeg"),
    ("CA", &["sk", "saskatchewan"], "America/Regina"),
    ("CA", &["ns", "nova scotia", "nb", "new brunswick", "pe", "prince edward island"], "America/Halifax"),
    ("CA", &["nl", "newfoundland", "newfoundland and labrador"], "America/St_Johns"),
    ("AU", &["nsw", "new south wales", "act", "australian capital territory"], "Australia/Sydney"),
    ("AU", &["vic", "victoria"], "Australia/Melbourne"),
    ("AU", &["qld", "queensland"], "Australia/Brisbane"),
    ("AU", &["wa", "western australia"], "Australia/Perth"),
    ("AU", &["sa", "south australia"], "Australia/Adelaide"),
    ("AU", &["tas", "tasmania"], "Australia/Hobart"),
    ("AU", &["nt", "northern territory"], "Australia/Darwin"),
    (
        "BR",
        &[
            "sp",
            "são paulo",
            "sao paulo",
            "rj",
            "rio de janeiro",
            "mg",
            "minas gerais",
            "pr",
            "paraná",
            "rs",
            "rio grande do sul",
            "sc",
            "santa catarina",
            "df",
            "ba",
            "bahia",
        ],
        "America/Sao_Paulo",
    ),
    ("BR", &["am", "amazonas"], "America/Manaus"),
    ("MX", &["cdmx", "ciudad de méxico", "mexico city", "jalisco", "nuevo león", "nuevo leon"], "America/Mexico_City"),
    ("MX", &["baja california"], "America/Tijuana"),
];

/// Big cities, for when only the city is known (country code, zone).
static CITIES: &[(&str, &str, &str)] = &[
    ("new york", "US", "America/New_York"),
    ("boston", "US", "America/New_York"),
    ("atlanta", "US", "America/New_York"),
    ("miami", "US", "America/New_York"),
    ("washington", "US", "America/New_York"),
    ("philadelphia", "US", "America/New_York"),
    ("chicago", "US", "America/Chicago"),
    ("austin", "US", "America/Chicago"),
    ("dallas", "US", "America/Chicago"),
    ("houston", "US", "America/Chicago"),
    ("minneapolis", "US", "America/Chicago"),
    ("denver", "US", "America/Denver"),
    ("salt lake city", "US", "America/Denver"),
    ("phoenix", "US", "America/Phoenix"),
    ("san francisco", "US", "America/Los_Angeles"),
    ("los angeles", "US", "America/Los_Angeles"),
    ("seattle", "US", "America/Los_Angeles"),
    ("san diego", "US", "America/Los_Angeles"),
    ("san jose", "US", "America/Los_Angeles"),
    ("portland", "US", "America/Los_Angeles"),
    ("toronto", "CA", "America/Toronto"),
    ("montreal", "CA", "America/Toronto"),
    ("montréal", "CA", "America/Toronto"),
    ("ottawa", "CA", "America/Toronto"),
    ("vancouver", "CA", "America/Vancouver"),
    ("calgary", "CA", "America/Edmonton"),
    ("london", "GB", "Europe/London"),
    ("manchester", "GB", "Europe/London"),
    ("edinburgh", "GB", "Europe/London"),
    ("dublin", "IE", "Europe/Dublin"),
    ("berlin", "DE", "Europe/Berlin"),
    ("munich", "DE", "Europe/Berlin"),
    ("münchen", "DE", "Europe/Berlin"),
    ("hamburg", "DE", "Europe/Berlin"),
    ("frankfurt", "DE", "Europe/Berlin"),
    ("paris", "FR", "Europe/Paris"),
    ("lyon", "FR", "Europe/Paris"),
    ("amsterdam", "NL", "Europe/Amsterdam"),
    ("rotterdam", "NL", "Europe/Amsterdam"),
    ("madrid", "ES", "Europe/Madrid"),
    ("barcelona", "ES", "Europe/Madrid"),
    ("lisbon", "PT", "Europe/Lisbon"),
    ("milan", "IT", "Europe/Rome"),
    ("rome", "IT", "Europe/Rome"),
    ("zurich", "CH", "Europe/Zurich"),
    ("stockholm", "SE", "Europe/Stockholm"),
    ("copenhagen", "DK", "Europe/Copenhagen"),
    ("oslo", "NO", "Europe/Oslo"),
    ("warsaw", "PL", "Europe/Warsaw"),
    ("bangalore", "IN", "Asia/Kolkata"),
    ("bengaluru", "IN", "Asia/Kolkata"),
    ("mumbai", "IN", "Asia/Kolkata"),
    ("delhi", "IN", "Asia/Kolkata"),
    ("new delhi", "IN", "Asia/Kolkata"),
    ("hyderabad", "IN", "Asia/Kolkata"),
    ("pune", "IN", "Asia/Kolkata"),
    ("chennai", "IN", "Asia/Kolkata"),
    ("singapore", "SG", "Asia/Singapore"),
    ("tokyo", "JP", "Asia/Tokyo"),
    ("sydney", "AU", "Australia/Sydney"),
    ("melbourne", "AU", "Australia/Melbourne"),
    ("brisbane", "AU", "Australia/Brisbane"),
    ("perth", "AU", "Australia/Perth"),
    ("auckland", "NZ", "Pacific/Auckland"),
    ("dubai", "AE", "Asia/Dubai"),
    ("tel aviv", "IL", "Asia/Jerusalem"),
    ("são paulo", "BR", "America/Sao_Paulo"),
    ("sao paulo", "BR", "America/Sao_Paulo"),
    ("mexico city", "MX", "America/Mexico_City"),
    ("buenos aires", "AR", "America/Argentina/Buenos_Aires"),
    ("cape town", "ZA", "Africa/Johannesburg"),
    ("johannesburg", "ZA", "Africa/Johannesburg"),
    ("lagos", "NG", "Africa/Lagos"),
    ("nairobi", "KE", "Africa/Nairobi"),
];

/// Common abbreviations and the labels CRMs export ("(GMT-05:00) Eastern Time").
static ZONE_WORDS: &[(&str, &str)] = &[
    ("eastern", "America/New_York"),
    ("est", "America/New_York"),
    ("edt", "America/New_York"),
    ("et", "America/New_York"),
    ("central", "America/Chicago"),
    ("cst", "America/Chicago"),
    ("cdt", "America/Chicago"),
    ("ct", "America/Chicago"),
    ("mountain", "America/Denver"),
    ("mst", "America/Denver"),
    ("mdt", "America/Denver"),
    ("mt", "America/Denver"),
    ("pacific", "America/Los_Angeles"),
    ("pst", "America/Los_Angeles"),
    ("pdt", "America/Los_Angeles"),
    ("pt", "America/Los_Angeles"),
    ("gmt", "Europe/London"),
    ("bst", "Europe/London"),
    ("utc", "UTC"),
    ("cet", "Europe/Berlin"),
    ("cest", "Europe/Berlin"),
    ("ist", "Asia/Kolkata"),
    ("aest", "Australia/Sydney"),
    ("aedt", "Australia/Sydney"),
    ("jst", "Asia/Tokyo"),
];

fn norm(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

/// ISO 3166 alpha-2 code for a country name or code, if known.
pub fn country_code(country: &str) -> Option<&'static str> {
    let n = norm(country);
    if n.is_empty() {
        return None;
    }
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(&n) || c.names.contains(&n.as_str())).map(|c| c.code)
}

/// A zone from a file's time-zone column: an IANA name, an abbreviation, or a
/// CRM label such as "(GMT-05:00) Eastern Time (US & Canada)".
pub fn parse_zone(text: &str) -> Option<Tz> {
    let t = text.trim();
    if let Ok(tz) = t.parse::<Tz>() {
        return Some(tz);
    }
    let lower = t.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    ZONE_WORDS.iter().find(|(w, _)| words.contains(w)).and_then(|(_, z)| z.parse().ok())
}

fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Everything the import knows about where a prospect is.
#[derive(Default)]
pub struct Place<'a> {
    pub zone: Option<&'a str>,
    pub country: Option<&'a str>,
    pub state: Option<&'a str>,
    pub city: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// Infers the prospect's zone, saying where it came from.
pub fn infer(p: &Place) -> (Option<Tz>, TzSource) {
    if let Some(tz) = p.zone.and_then(parse_zone) {
        return (Some(tz), TzSource::File);
    }
    if let Some(tz) = from_location(p) {
        return (Some(tz), TzSource::Location);
    }
    if let Some(tz) = p.phone.and_then(from_phone) {
        return (Some(tz), TzSource::Phone);
    }
    let country = p.country.and_then(country_code).or_else(|| p.phone.and_then(phone_country).map(|c| c.code));
    if let Some((_, z)) = country.and_then(|c| DOMINANT.iter().find(|(cc, _)| *cc == c)) {
        return (zone(z), TzSource::Guess);
    }
    (None, TzSource::Unknown)
}

fn from_location(p: &Place) -> Option<Tz> {
    let code = p.country.and_then(country_code);
    let city = p.city.map(norm).filter(|c| !c.is_empty());
    let state = p.state.map(norm).filter(|s| !s.is_empty());
    // The city is the most precise; trust it when it agrees with the country.
    if let Some(city) = &city {
        if let Some((_, cc, z)) = CITIES.iter().find(|(n, cc, _)| n == city && code.is_none_or(|c| c == *cc)) {
            if code.is_some() || state.is_none() || *cc != "US" {
                return zone(z);
            }
        }
    }
    if let Some(state) = &state {
        let hit = REGIONS.iter().find(|(cc, names, _)| code.is_none_or(|c| c == *cc) && names.contains(&state.as_str()));
        // Two-letter abbreviations are ambiguous without a country (CA, WA...);
        // without one, only full names count, US first.
        if let Some((cc, _, z)) = hit {
            if code.is_some() || state.len() > 3 || *cc == "US" {
                return zone(z);
            }
        }
    }
    if let Some(c) = code {
        if let Some(z) = COUNTRIES.iter().find(|x| x.code == c).and_then(|x| x.zone) {
            return zone(z);
        }
    }
    if let Some(city) = &city {
        if let Some((_, _, z)) = CITIES.iter().find(|(n, _, _)| n == city) {
            return zone(z);
        }
    }
    None
}

/// From an international number (`+44 20 ...` or `0044 ...`): the country's
/// zone when the country has only one.
pub fn from_phone(phone: &str) -> Option<Tz> {
    phone_country(phone).and_then(|c| c.zone).and_then(zone)
}

/// The country of an international number, by its calling code.
fn phone_country(phone: &str) -> Option<&'static Country> {
    let t = phone.trim();
    let digits: String = if let Some(rest) = t.strip_prefix('+') {
        rest.chars().filter(char::is_ascii_digit).collect()
    } else if let Some(rest) = t.strip_prefix("00") {
        rest.chars().filter(char::is_ascii_digit).collect()
    } else {
        return None;
    };
    (1..=3).filter_map(|n| digits.get(..n)).find_map(|prefix| COUNTRIES.iter().find(|c| c.calling == prefix))
}

/// The machine's own zone (TZ, /etc/timezone, or the /etc/localtime link).
pub fn system_zone() -> Option<Tz> {
    let from_env = std::env::var("TZ").ok().map(|t| t.trim_start_matches(':').to_string());
    let from_file = || std::fs::read_to_string("/etc/timezone").ok().map(|s| s.trim().to_string());
    let from_link =
        || std::fs::read_link("/etc/localtime").ok().and_then(|p| p.to_str().and_then(|s| s.split("zoneinfo/").nth(1)).map(str::to_string));
    [from_env, from_file(), from_link()].into_iter().flatten().find_map(|z| z.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: Place, expect: Option<&str>, source: TzSource) {
        let (tz, src) = infer(&p);
        assert_eq!((tz.map(|t| t.name().to_string()), src), (expect.map(String::from), source));
    }

    #[test]
    fn inference_order() {
        check(Place { zone: Some("Europe/Madrid"), country: Some("US"), ..Default::default() }, Some("Europe/Madrid"), TzSource::File);
        check(
            Place { zone: Some("(GMT-08:00) Pacific Time (US & Canada)"), ..Default::default() },
            Some("America/Los_Angeles"),
            TzSource::File,
        );
        check(Place { zone: Some("nonsense"), country: Some("Germany"), ..Default::default() }, Some("Europe/Berlin"), TzSource::Location);
        check(Place { country: Some("USA"), state: Some("CA"), ..Default::default() }, Some("America/Los_Angeles"), TzSource::Location);
        check(Place { country: Some("Canada"), state: Some("BC"), ..Default::default() }, Some("America/Vancouver"), TzSource::Location);
        check(
            Place { country: Some("United States"), city: Some("Austin"), ..Default::default() },
            Some("America/Chicago"),
            TzSource::Location,
        );
        check(Place { city: Some("Bengaluru"), ..Default::default() }, Some("Asia/Kolkata"), TzSource::Location);
        check(Place { country: Some("US"), phone: Some("+1 415 555 0100"), ..Default::default() }, None, TzSource::Unknown);
        check(Place { phone: Some("+44 20 7946 0000"), ..Default::default() }, Some("Europe/London"), TzSource::Phone);
        check(Place { phone: Some("0049 30 1234567"), ..Default::default() }, Some("Europe/Berlin"), TzSource::Phone);
        check(Place { phone: Some("(415) 555-0100"), ..Default::default() }, None, TzSource::Unknown);
        // Several zones, one with most of the people: a guess, said as such.
        check(Place { phone: Some("+55 11 3456-7890"), ..Default::default() }, Some("America/Sao_Paulo"), TzSource::Guess);
        check(Place { country: Some("Brasil"), ..Default::default() }, Some("America/Sao_Paulo"), TzSource::Guess);
        check(Place { country: Some("México"), ..Default::default() }, Some("America/Mexico_City"), TzSource::Guess);
        // No zone dominates the United States or Australia: no guess.
        check(Place { country: Some("Australia"), ..Default::default() }, None, TzSource::Unknown);
        assert_eq!(country_code("Deutschland"), Some("DE"));
        assert_eq!(country_code("UK"), Some("GB"));
    }
}
