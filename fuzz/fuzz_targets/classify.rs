//! Message classification on raw bytes: anything anyone can mail us.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let received = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date");
    let _ = engine::mail::classify(data, Some("unsubscribe@example.test"), received);
});
