//! Value parsers for arguments with a type of their own: calendar dates (`YYYY-MM-DD`), the
//! letter date of `sign` and `payload` (a date or `none`) and the commitment. clap runs them
//! while it parses the command line, so a mistyped date is reported before any file is read or
//! a passphrase is asked for; [`crate::cli::advice::print_clap_error`] words their errors as the
//! tool's own (`--date "2017-13-45" is not a date in the form YYYY-MM-DD`).

use transmittal::chain::Commitment;
use transmittal::dates::Date;

use clap::ValueEnum;

/// The ISO calendar date `YYYY-MM-DD`, exactly: a four-digit year (no sign), two-digit month and
/// day.
const ISO_DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// The error of a value that is not a date in the form `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate;

impl std::fmt::Display for NotADate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("is not a date in the form YYYY-MM-DD")
    }
}
impl std::error::Error for NotADate {}

/// Parse a calendar date `YYYY-MM-DD` (clap value parser).
pub fn date(s: &str) -> Result<Date, NotADate> {
    // `[year]` would take a leading sign; a date in a file never has one.
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(NotADate);
    }
    Date::parse(s, ISO_DATE).map_err(|_| NotADate)
}

/// A letter date given on the command line: a date, or `none` for a letter without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterDate(pub Option<Date>);

/// Parse `--letter-date`: `YYYY-MM-DD` or `none` (clap value parser).
pub fn letter_date(s: &str) -> Result<LetterDate, NotADate> {
    match s {
        "none" => Ok(LetterDate(None)),
        d => date(d).map(|d| LetterDate(Some(d))),
    }
}

/// A signer's commitment to what lies beneath their layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommitmentArg {
    /// Vouches for the layers beneath too.
    Endorses,
    /// Forwards them exactly as received, without vouching for their content.
    Transmits,
}

impl From<CommitmentArg> for Commitment {
    fn from(c: CommitmentArg) -> Commitment {
        match c {
            CommitmentArg::Endorses => Commitment::Endorses,
            CommitmentArg::Transmits => Commitment::Transmits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same dates as the format's own parser (`dates::parse_iso`) accepts, and no others.
    #[test]
    fn dates_as_the_format_reads_them() {
        for s in [
            "2017-10-18",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
            "2017-13-45",
            "2017-02-29",
            "17-10-18",
            "2017-1-18",
            "2017-10-180",
            "+2017-10-18",
            "-2017-10-18",
            " 2017-10-18",
            "2017-10-18 ",
            "2017/10/18",
            "",
            "none",
        ] {
            assert_eq!(date(s).ok(), transmittal::dates::parse_iso(s), "{s:?}");
        }
        assert_eq!(letter_date("none"), Ok(LetterDate(None)));
        assert_eq!(
            letter_date("2017-10-18").map(|d| d.0.map(transmittal::dates::format_iso)),
            Ok(Some("2017-10-18".into()))
        );
        assert!(letter_date("None").is_err());
    }
}
