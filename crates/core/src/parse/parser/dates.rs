//! Dates: a day, an English month and a year in the forms letters write them, and the date of a
//! "dated …" phrase.

use super::words::*;
use super::*;
use crate::format::dates;

impl<'a> Scanner<'a> {
    pub(super) fn month_at(&self, p: usize) -> Option<(u8, usize)> {
        let mut q = p;
        while self.at(q).is_ascii_alphabetic() && q - p < 10 {
            q += 1;
        }
        if q - p < 3 || self.at(q).is_ascii_alphabetic() {
            return None;
        }
        if !matches!(
            self.at(p).to_ascii_uppercase(),
            b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D'
        ) {
            return None;
        }
        let m = month_num(self.b.get(p..q).unwrap_or(&[]))?;
        if self.at(q) == b'.' {
            q += 1;
        }
        Some((m, q))
    }

    pub(super) fn year_at(&self, p: usize) -> Option<(i32, usize)> {
        let d = self.b.get(p..p + 4)?;
        if !d.iter().all(u8::is_ascii_digit) || self.at(p + 4).is_ascii_digit() {
            return None;
        }
        let y = d.iter().fold(0i32, |a, &c| a * 10 + i32::from(c - b'0'));
        (1900..=2100).contains(&y).then_some((y, p + 4))
    }

    pub(super) fn skip_date_sp(&self, mut p: usize) -> usize {
        let mut n = 0;
        while n < 3 && (is_sp(self.at(p)) || self.at(p) == b'\n') {
            p += 1;
            n += 1;
        }
        p
    }

    /// A date at `p`: "12 May 2016", "2 Oct 2008", "31 January2003", "May 12, 2016".
    pub(super) fn date_at(&self, p: usize) -> Option<Found> {
        if p > 0 && self.at(p - 1).is_ascii_digit() {
            return None;
        }
        let mut i = p;
        let mut day = 0u32;
        while self.at(i).is_ascii_digit() && i - p < 2 {
            day = day * 10 + u32::from(self.at(i) - b'0');
            i += 1;
        }
        if i > p {
            if self.at(i).is_ascii_digit() {
                return None;
            }
            for suf in ["st", "nd", "rd", "th"] {
                if self.starts(i, suf) && !self.at(i + 2).is_ascii_alphabetic() {
                    i += 2;
                    break;
                }
            }
            let j = self.skip_date_sp(i);
            let (m, k) = self.month_at(j)?;
            let mut k = k;
            if self.at(k) == b',' {
                k += 1;
            }
            let k = self.skip_date_sp(k);
            let (y, e) = self.year_at(k)?;
            let d = dates::from_dmy(u8::try_from(day).ok()?, m, y)?;
            return Some((d, e));
        }
        let (m, k) = self.month_at(p)?;
        let mut j = self.skip_date_sp(k);
        if j == k {
            return None;
        }
        let ds = j;
        while self.at(j).is_ascii_digit() && j - ds < 2 {
            day = day * 10 + u32::from(self.at(j) - b'0');
            j += 1;
        }
        if j == ds || self.at(j).is_ascii_digit() {
            return None;
        }
        if self.at(j) == b',' {
            j += 1;
        }
        let j = self.skip_date_sp(j);
        let (y, e) = self.year_at(j)?;
        let d = dates::from_dmy(u8::try_from(day).ok()?, m, y)?;
        Some((d, e))
    }

    /// The date after "dated" at `d` ("dated 22 July 2016", "dated, 22 July 2016").
    pub(super) fn date_after_dated(&self, d: usize) -> Option<Found> {
        let mut p = d + 5;
        let mut n = 0;
        while n < 4 && matches!(self.at(p), b' ' | b',' | b'\n' | b'\t') {
            p += 1;
            n += 1;
        }
        if p == d + 5 {
            return None;
        }
        self.date_at(p).map(|(date, _)| (date, p))
    }
}
