//! The date an out-of-office reply says the person is back.
//!
//! [`return_date`] finds the dates written in a text (ISO `2026-12-03`,
//! `03.12.2026`, `3.12.`, `03/12/2026`, month names in en, de, fr, es, pt,
//! it and nl, with or without a year) and picks the one that follows a word
//! like "until", "back", "bis", "jusqu'au", "hasta", "até", "fino al" or
//! "tot"; failing that, the first full date. A date without a year is the
//! first such day on or after the reference date. The date is returned as
//! written: the caller picks the business day after.

use chrono::{Datelike, NaiveDate};

use super::patterns::{each_word_start, guess_lang, lower, Lang};

/// How far (in bytes) after a keyword a date may start and still be the
/// one the keyword announces ("until Monday, December 3rd").
const NEAR: usize = 40;

/// Words announcing the return (lower-case, matched as whole words).
const KEYWORDS: &[&str] = &[
    // en
    "until",
    "till",
    "til",
    "through",
    "thru",
    "back",
    "return",
    "returns",
    "returning",
    // de
    "bis",
    "zurück",
    "wieder",
    "ab",
    // fr
    "jusqu'au",
    "jusqu'à",
    "jusqu'a",
    "retour",
    "reviens",
    "reviendrai",
    "rentre",
    "partir du",
    "dès le",
    // es
    "hasta",
    "regreso",
    "regresaré",
    "vuelvo",
    "volveré",
    "vuelta",
    "partir del",
    // pt
    "até",
    "volto",
    "voltarei",
    "retorno",
    "volta",
    "regresso",
    "partir de",
    "partir do",
    // it
    "fino al",
    "fino a",
    "rientro",
    "rientrerò",
    "ritorno",
    "torno",
    "tornerò",
    // nl
    "tot",
    "t/m",
    "terug",
    "vanaf",
    "weer",
    // sv
    "till",
    "tillbaka",
    "åter",
    "t.o.m",
    "tom",
    "fr.o.m",
    "från och med",
    "till och med",
    // da, nb
    "til",
    "tilbage",
    "tilbake",
    "til og med",
    "fra og med",
    "igen",
    "igjen",
    // fi
    "palaan",
    "paluu",
    "takaisin",
    // pl
    "do",
    "wracam",
    "wrócę",
    "powrót",
    "od",
];

/// Words announcing the return that come after the date ("10.1. asti",
/// "1月5日まで", "1月6日より出社").
const KEYWORDS_AFTER: &[&str] = &["asti", "saakka", "lähtien", "alkaen", "まで", "より", "から出社", "に戻", "に出社", "以降"];

/// How far (in bytes) after a date an after-keyword may start.
const NEAR_AFTER: usize = 16;

/// The month a (lower-case) word names, in any of the seven languages.
fn month(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" | "januar" | "jänner" | "janvier" | "janv" | "enero" | "ene" | "janeiro" | "gennaio" | "gen" | "januari" => 1,
        "february" | "feb" | "februar" | "février" | "fevrier" | "févr" | "fevr" | "febrero" | "fevereiro" | "fev" | "febbraio"
        | "februari" => 2,
        "march" | "mar" | "märz" | "mär" | "mrz" | "mars" | "marzo" | "março" | "marco" | "maart" | "mrt" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "aprile" => 4,
        "may" | "mai" | "mayo" | "maio" | "maggio" | "mag" | "mei" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" | "junho" | "giugno" | "giu" => 6,
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" | "julho" | "luglio" | "lug" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" | "augustus" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" | "setembro" | "settembre" | "sett" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "outubro" | "ottobre" | "ott" => 10,
        "november" | "nov" | "novembre" | "noviembre" | "novembro" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre" | "dic" | "dezembro" | "dicembre" => 12,
        _ => return northern_month(word),
    })
}

/// Months in sv, da, nb, fi and pl (Polish and Finnish in the forms dates use).
fn northern_month(word: &str) -> Option<u32> {
    Some(match word {
        "marts" | "maj" | "augusti" | "oktobre" | "desember" => match word {
            "marts" => 3,
            "maj" => 5,
            "augusti" => 8,
            "oktobre" => 10,
            _ => 12,
        },
        "tammikuuta" | "tammikuu" | "styczeń" | "stycznia" => 1,
        "helmikuuta" | "helmikuu" | "luty" | "lutego" => 2,
        "maaliskuuta" | "maaliskuu" | "marzec" | "marca" => 3,
        "huhtikuuta" | "huhtikuu" | "kwiecień" | "kwietnia" => 4,
        "toukokuuta" | "toukokuu" | "maja" => 5,
        "kesäkuuta" | "kesäkuu" | "czerwiec" | "czerwca" => 6,
        "heinäkuuta" | "heinäkuu" | "lipiec" | "lipca" => 7,
        "elokuuta" | "elokuu" | "sierpień" | "sierpnia" => 8,
        "syyskuuta" | "syyskuu" | "wrzesień" | "września" => 9,
        "lokakuuta" | "lokakuu" | "październik" | "października" => 10,
        "marraskuuta" | "marraskuu" | "listopad" | "listopada" => 11,
        "joulukuuta" | "joulukuu" | "grudzień" | "grudnia" => 12,
        _ => return None,
    })
}

/// Ordinal suffixes written right after a day number ("3rd", "1er", "1º").
fn is_ordinal(word: &str) -> bool {
    matches!(word, "st" | "nd" | "rd" | "th" | "er" | "re" | "ème" | "e" | "º" | "ª" | "o" | "a")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum T<'a> {
    Num { v: u32, digits: usize },
    Word(&'a str),
    P(char),
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    t: T<'a>,
    start: usize,
    /// Whitespace came right before this token.
    space: bool,
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::with_capacity(s.len() / 4);
    let mut it = s.char_indices().peekable();
    let mut space = false;
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let t = if c.is_ascii_digit() {
            let mut v = c as u32 - '0' as u32;
            let mut digits = 1;
            while let Some(&(_, d)) = it.peek().filter(|(_, d)| d.is_ascii_digit()) {
                v = v.saturating_mul(10).saturating_add(d as u32 - '0' as u32);
                digits += 1;
                it.next();
            }
            T::Num { v, digits }
        } else if is_cjk(c) {
            // Japanese has no spaces: each character is a word ("12月3日").
            T::Word(&s[i..i + c.len_utf8()])
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek().filter(|(_, d)| d.is_alphabetic() && !is_cjk(*d)) {
                end = j + d.len_utf8();
                it.next();
            }
            T::Word(&s[i..end])
        } else {
            T::P(c)
        };
        toks.push(Tok { t, start: i, space });
        space = false;
    }
    toks
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x9fff | 0xf900..=0xfaff | 0xff00..=0xffef)
}

/// A date found in the text.
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    date: NaiveDate,
    /// The end of a day range ("1-4 December").
    range_end: bool,
    /// Only taken when a keyword announces it ("bis 3/12").
    weak: bool,
}

fn num(toks: &[Tok], i: usize) -> Option<(u32, usize)> {
    match toks.get(i)?.t {
        T::Num { v, digits } => Some((v, digits)),
        _ => None,
    }
}

fn punct(toks: &[Tok], i: usize) -> Option<char> {
    match toks.get(i)?.t {
        T::P(c) => Some(c),
        _ => None,
    }
}

fn word<'a>(toks: &[Tok<'a>], i: usize) -> Option<&'a str> {
    match toks.get(i)?.t {
        T::Word(w) => Some(w),
        _ => None,
    }
}

/// Token `i` follows `i - 1` with no space between.
fn tight(toks: &[Tok], i: usize) -> bool {
    toks.get(i).is_some_and(|t| !t.space)
}

fn full_year(y: u32, digits: usize) -> Option<i32> {
    match digits {
        4 if (1900..=2200).contains(&y) => Some(y as i32),
        2 => Some(2000 + y as i32),
        _ => None,
    }
}

/// The first (month, day) on or after `reference`.
fn infer_year(m: u32, d: u32, reference: NaiveDate) -> Option<NaiveDate> {
    let y = reference.year();
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) if date >= reference => Some(date),
        _ => (1..=4).find_map(|k| NaiveDate::from_ymd_opt(y + k, m, d)),
    }
}

fn ymd(y: Option<i32>, m: u32, d: u32, reference: NaiveDate) -> Option<NaiveDate> {
    match y {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
        None => infer_year(m, d, reference),
    }
}

/// A numeric date at token `i`: (date, tokens used, weak).
fn numeric(toks: &[Tok], i: usize, month_first: bool, reference: NaiveDate) -> Option<(NaiveDate, usize, bool)> {
    // Part of a longer run of numbers ("10.1.2.3", "+49 30 1234-56")?
    if i >= 2 && tight(toks, i) && matches!(punct(toks, i - 1), Some('.' | '/' | '-' | ':' | ',')) && num(toks, i - 2).is_some() {
        return None;
    }
    let (a, ad) = num(toks, i)?;
    let sep = punct(toks, i + 1).filter(|c| matches!(c, '.' | '/' | '-'))?;
    if !tight(toks, i + 1) || !tight(toks, i + 2) {
        return None;
    }
    let (b, bd) = num(toks, i + 2)?;
    // ISO 2026-12-03 (or 2026/12/03, 2026.12.03).
    if ad == 4 {
        if punct(toks, i + 3) != Some(sep) || !tight(toks, i + 3) || !tight(toks, i + 4) {
            return None;
        }
        let (c, cd) = num(toks, i + 4)?;
        if bd > 2 || cd > 2 || continues(toks, i + 5) {
            return None;
        }
        return Some((NaiveDate::from_ymd_opt(full_year(a, 4)?, b, c)?, 5, false));
    }
    if ad > 2 || bd > 2 {
        return None;
    }
    let order = |x: u32, y: u32, year: Option<i32>| -> Option<NaiveDate> {
        // Day first, unless English text writes month first (12/03/2026).
        if month_first && sep != '.' {
            ymd(year, x, y, reference).or_else(|| ymd(year, y, x, reference))
        } else {
            ymd(year, y, x, reference)
        }
    };
    // With a year: 03.12.2026, 03/12/26.
    if punct(toks, i + 3) == Some(sep) && tight(toks, i + 3) && tight(toks, i + 4) {
        if let Some((c, cd)) = num(toks, i + 4) {
            if continues(toks, i + 5) {
                return None;
            }
            return Some((order(a, b, Some(full_year(c, cd)?))?, 5, false));
        }
        // "3.12." : German day and month with the closing dot.
        if sep == '.' {
            return Some((order(a, b, None)?, 4, false));
        }
    }
    if continues(toks, i + 3) {
        return None;
    }
    // "3/12", "3.12", "3-12": plausible only right after a keyword.
    Some((order(a, b, None)?, 3, true))
}

/// Token `i` continues a number run ("1.2.3", "10/3/2026/4") rather than
/// ending the date.
fn continues(toks: &[Tok], i: usize) -> bool {
    tight(toks, i) && matches!(punct(toks, i), Some('.' | '/' | '-' | ':')) && tight(toks, i + 1) && num(toks, i + 1).is_some()
        || tight(toks, i) && num(toks, i).is_some()
}

/// A trailing year after a month name: "2026", ", 2026", "de 2026".
fn year_after(toks: &[Tok], mut j: usize) -> (Option<i32>, usize) {
    let start = j;
    if punct(toks, j) == Some(',') {
        j += 1;
    }
    if word(toks, j) == Some("de") {
        j += 1;
    }
    match num(toks, j) {
        Some((y, 4)) if !continues(toks, j + 1) => match full_year(y, 4) {
            Some(y) => (Some(y), j + 1),
            None => (None, start),
        },
        _ => (None, start),
    }
}

/// "3 December", "3rd of December", "3. Dezember", "1er décembre",
/// "3 de diciembre de 2026", "3 dicembre".
fn day_month(toks: &[Tok], i: usize, reference: NaiveDate) -> Option<(NaiveDate, usize)> {
    let (d, dd) = num(toks, i)?;
    if dd > 2 || !(1..=31).contains(&d) {
        return None;
    }
    let mut j = i + 1;
    if tight(toks, j) && word(toks, j).is_some_and(is_ordinal) {
        j += 1;
    }
    if tight(toks, j) && matches!(punct(toks, j), Some('.' | '°' | 'º')) {
        j += 1;
    }
    if matches!(word(toks, j), Some("de" | "of" | "di")) {
        j += 1;
    }
    let m = month(word(toks, j)?)?;
    j += 1;
    if tight(toks, j) && punct(toks, j) == Some('.') {
        j += 1;
    }
    let (y, j) = year_after(toks, j);
    Some((ymd(y, m, d, reference)?, j - i))
}

/// "December 3rd, 2026", "Dec. 3", "December 3".
fn month_day(toks: &[Tok], i: usize, reference: NaiveDate) -> Option<(NaiveDate, usize)> {
    let m = month(word(toks, i)?)?;
    let mut j = i + 1;
    if tight(toks, j) && punct(toks, j) == Some('.') {
        j += 1;
    }
    let (d, dd) = num(toks, j)?;
    if dd > 2 || !(1..=31).contains(&d) || continues(toks, j + 1) && punct(toks, j + 1) != Some('.') {
        return None;
    }
    j += 1;
    if tight(toks, j) && word(toks, j).is_some_and(is_ordinal) {
        j += 1;
    }
    let (y, j) = year_after(toks, j);
    Some((ymd(y, m, d, reference)?, j - i))
}

/// "2027年1月6日", "12月28日": year, month and day each followed by its sign.
fn japanese(toks: &[Tok], i: usize, reference: NaiveDate) -> Option<(NaiveDate, usize)> {
    let mut j = i;
    let mut year = None;
    if let (Some((y, 4)), Some("年")) = (num(toks, j), word(toks, j + 1)) {
        year = full_year(y, 4);
        j += 2;
    }
    let (m, _) = num(toks, j)?;
    if word(toks, j + 1) != Some("月") {
        return None;
    }
    let (d, _) = num(toks, j + 2)?;
    if word(toks, j + 3) != Some("日") {
        return None;
    }
    Some((ymd(year, m, d, reference)?, j + 4 - i))
}

fn find_dates(toks: &[Tok], month_first: bool, reference: NaiveDate) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    let mut range_end = false;
    while i < toks.len() {
        let start = toks[i].start;
        // "1-4 December": the range's first day borrows the month; keep the end.
        if matches!(toks[i].t, T::Num { digits: 1 | 2, .. })
            && matches!(punct(toks, i + 1), Some('-' | '–'))
            && day_month(toks, i, reference).is_none()
            && day_month(toks, i + 2, reference).is_some()
        {
            range_end = true;
            i += 2;
            continue;
        }
        let hit = match toks[i].t {
            T::Num { .. } => japanese(toks, i, reference)
                .or_else(|| day_month(toks, i, reference))
                .map(|(d, n)| (d, n, false))
                .or_else(|| numeric(toks, i, month_first, reference)),
            T::Word(_) => month_day(toks, i, reference).map(|(d, n)| (d, n, false)),
            T::P(_) => None,
        };
        match hit {
            Some((date, used, weak)) => {
                let last = &toks[(i + used.max(1) - 1).min(toks.len() - 1)];
                let end = last.start + tok_len(last);
                found.push(Found { start, end, date, weak, range_end });
                range_end = false;
                i += used.max(1);
            }
            None => i += 1,
        }
    }
    found
}

fn tok_len(t: &Tok) -> usize {
    match t.t {
        T::Num { digits, .. } => digits,
        T::Word(w) => w.len(),
        T::P(c) => c.len_utf8(),
    }
}

/// Words joining the two ends of a range ("1.12. - 4.12.", "1 to 4 December").
const RANGE: &[&str] = &["-", "–", "—", "to", "au", "al", "a", "à", "t/m"];

/// Byte offsets where the keywords end in (lower-cased) `text`.
fn keyword_ends(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut ends = Vec::new();
    each_word_start(text, |i| {
        let rest = &bytes[i..];
        for kw in KEYWORDS {
            if rest.starts_with(kw.as_bytes()) {
                let end = i + kw.len();
                if !text[end..].chars().next().is_some_and(char::is_alphanumeric) {
                    ends.push(end);
                }
            }
        }
        None::<()>
    });
    ends
}

/// The date the author of an out-of-office `text` is back, as written.
///
/// `lang` says how to read `12/03/2026`: month first for English, day first
/// otherwise; `None` guesses the language from the text. Dates without a
/// year are the first such day on or after `reference`.
pub fn return_date(text: &str, lang: Option<Lang>, reference: NaiveDate) -> Option<NaiveDate> {
    let text = lower(text);
    let month_first = lang.or_else(|| guess_lang(&text)) == Some(Lang::En);
    let toks = tokenize(&text);
    let found = find_dates(&toks, month_first, reference);
    if found.is_empty() {
        return None;
    }
    // In text order, so the keyword nearest before a date is found by
    // binary search: linear overall, however many dates and keywords.
    let ends = keyword_ends(&text);
    let keyword_before = |start: usize| {
        let n = ends.partition_point(|&e| e <= start);
        n > 0 && start - ends[n - 1] <= NEAR
    };
    let keyword_after = |end: usize| {
        let mut cut = (end + NEAR_AFTER).min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let after = &text[end..cut];
        KEYWORDS_AFTER.iter().any(|k| after.contains(k))
    };
    let announced = |k: usize| {
        let f = &found[k];
        f.range_end
            || keyword_before(f.start)
            || keyword_after(f.end)
            || k > 0 && found[k - 1].end <= f.start && RANGE.contains(&text[found[k - 1].end..f.start].trim())
    };
    (0..found.len()).find(|&k| announced(k)).map(|k| &found[k]).or_else(|| found.iter().find(|f| !f.weak)).map(|f| f.date)
}
