//! Return-date scanning of an auto-reply's text, with and without a language.
#![no_main]

use chrono::NaiveDate;
use engine::mail::{dates::return_date, Lang};
use libfuzzer_sys::fuzz_target;

const LANGS: [Lang; 7] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Pt, Lang::It, Lang::Nl];

fuzz_target!(|data: &[u8]| {
    let reference = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date");
    let text = String::from_utf8_lossy(data);
    let _ = return_date(&text, None, reference);
    // The first byte also picks a language, as the classifier would.
    if let Some(&b) = data.first() {
        let _ = return_date(&text, Some(LANGS[b as usize % LANGS.len()]), reference);
    }
});
