//! Calendar dates: ISO `YYYY-MM-DD` in files and messages, English month names in letters.
//!
//! Dates here are calendar days without time zones: letter dates, validity windows, signing dates
//! and revocation dates are all days, compared as days.

pub use time::Date;
use time::Month;

/// Parse an ISO `YYYY-MM-DD` date (exactly that form: four-digit year, two-digit month and day).
pub fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = digits(0..4)? as i32;
    let month = Month::try_from(digits(5..7)? as u8).ok()?;
    let day = digits(8..10)? as u8;
    Date::from_calendar_date(year, month, day).ok()
}

/// Format a date as ISO `YYYY-MM-DD`.
pub fn format_iso(d: Date) -> String {
    // Years 0-9999 (every date a statement can hold) directly: reports format several dates each.
    if let Ok(y @ 0..=9999) = u16::try_from(d.year()) {
        let (m, day) = (u8::from(d.month()), d.day());
        let digit = |v: u16| b'0' + (v % 10) as u8;
        let b = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            b'0' + m / 10,
            b'0' + m % 10,
            b'-',
            b'0' + day / 10,
            b'0' + day % 10,
        ];
        return std::str::from_utf8(&b).unwrap_or_default().to_owned();
    }
    Iso(d).to_string()
}

/// A date displayed as `YYYY-MM-DD` (what [`format_iso`] returns), without allocating.
#[derive(Debug, Clone, Copy)]
pub struct Iso(pub Date);

impl std::fmt::Display for Iso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }
}

/// Today's date in UTC.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// Month number (1-12) for an English month name or common abbreviation, any case.
pub fn month_from_name(name: &str) -> Option<u8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (i, m) in months.iter().enumerate() {
        if n == *m || (n.len() >= 3 && m.starts_with(n.as_str()) && n != "ma") {
            return Some(i as u8 + 1);
        }
    }
    if n == "sept" {
        return Some(9);
    }
    None
}

/// Build a date from day, month number and year, if it exists.
pub fn from_dmy(day: u8, month: u8, year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Serde helpers for `Option<Date>` as ISO strings.
pub mod serde_opt {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialize as `"YYYY-MM-DD"` or `null`.
    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_iso(*d)),
            None => s.serialize_none(),
        }
    }

    /// Deserialize from `"YYYY-MM-DD"` or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) => parse_iso(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("not an ISO date (YYYY-MM-DD): {s:?}"))
            }),
        }
    }
}

/// Serde helpers for `Date` as an ISO string.
pub mod serde_req {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialize as `"YYYY-MM-DD"`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_iso(*d))
    }

    /// Deserialize from `"YYYY-MM-DD"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse_iso(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date (YYYY-MM-DD): {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip_and_rejects() {
        let d = parse_iso("2017-10-25").unwrap();
        assert_eq!(format_iso(d), "2017-10-25");
        for bad in [
            "2017-13-01",
            "2017-02-30",
            "17-10-25",
            "2017-1-05",
            "2017-10-25 ",
            "+017-10-25",
        ] {
            assert!(parse_iso(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn format_iso_is_the_display_form() {
        for (y, m, d) in [
            (0, 1, 1),
            (9, 2, 3),
            (999, 12, 31),
            (2017, 10, 25),
            (9999, 12, 31),
        ] {
            let date = Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
            assert_eq!(format_iso(date), Iso(date).to_string());
        }
        let mut date = Date::from_calendar_date(1999, time::Month::January, 1).unwrap();
        for _ in 0..1000 {
            assert_eq!(format_iso(date), Iso(date).to_string());
            date = date.next_day().unwrap();
        }
        for y in [-1, -9999] {
            let date = Date::from_calendar_date(y, time::Month::March, 4).unwrap();
            assert_eq!(format_iso(date), Iso(date).to_string());
        }
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("October"), Some(10));
        assert_eq!(month_from_name("Oct."), Some(10));
        assert_eq!(month_from_name("Sept"), Some(9));
        assert_eq!(month_from_name("Mayday"), None);
    }
}
