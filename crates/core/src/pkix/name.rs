//! The parts of an X.509 name and certificate that a report shows: the subject's common name,
//! title and organisation as text, names in RFC 4514 form, and times as Unix seconds.

use der::asn1::{PrintableStringRef, Utf8StringRef};
use der::oid::ObjectIdentifier;
use der::{Tag, Tagged};
use x509_cert::name::Name;
use x509_cert::time::Time;

/// `commonName` (2.5.4.3).
pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// `title` (2.5.4.12).
pub const TITLE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.12");
/// `organizationName` (2.5.4.10).
pub const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

/// The one value of attribute `oid` in `name` as text, if the name has it.
///
/// The value must be a UTF8String or a PrintableString without control characters or
/// bidirectional overrides (they could make a report say something the certificate does not); a
/// name with the attribute twice is refused too (which one would be "the" name?).
pub fn attribute(name: &Name, oid: ObjectIdentifier, what: &str) -> Result<Option<String>, String> {
    let mut found: Option<String> = None;
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid != oid {
                continue;
            }
            if found.is_some() {
                return Err(format!("the subject has more than one {what}"));
            }
            let text = match atv.value.tag() {
                Tag::Utf8String => Utf8StringRef::try_from(&atv.value)
                    .map(|s| s.as_str().to_owned())
                    .map_err(|e| format!("{what}: {e}"))?,
                Tag::PrintableString => PrintableStringRef::try_from(&atv.value)
                    .map(|s| s.as_str().to_owned())
                    .map_err(|e| format!("{what}: {e}"))?,
                other => {
                    return Err(format!(
                        "{what} is a {other}, not a UTF8String or a PrintableString"
                    ))
                }
            };
            if let Some(c) = text.chars().find(|c| forbidden_char(*c)) {
                return Err(format!(
                    "{what} contains the character U+{:04X}",
                    u32::from(c)
                ));
            }
            found = Some(text);
        }
    }
    Ok(found)
}

/// Control characters and the bidirectional embeddings, overrides and isolates.
fn forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `name` in RFC 4514 form (the most significant attribute last). `x509-cert` spells the
/// `title` attribute type `TITLE`; this spells it as RFC 4519 does.
pub fn rfc4514(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.0.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.0.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let text = atv.to_string();
            match text.strip_prefix("TITLE=") {
                Some(value) if atv.oid == TITLE => {
                    out.push_str("title=");
                    out.push_str(value);
                }
                _ => out.push_str(&text),
            }
        }
    }
    out
}

/// `time` as seconds since the Unix epoch.
pub fn unix_seconds(time: Time) -> Result<i64, String> {
    i64::try_from(time.to_unix_duration().as_secs()).map_err(|_| "a time out of range".to_owned())
}

/// Unix seconds as an RFC 3339 UTC time for messages (the number itself if out of range).
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| seconds.to_string())
}

/// Whether `a` and `b` are the same name as RFC 5280 §7.1 compares them: the same number of
/// RDNs, RDN by RDN the same set of attributes, each attribute value of a string type compared as
/// text whatever the string type (UTF8String, PrintableString, IA5String, VisibleString,
/// BMPString, UniversalString; a TeletexString of ASCII only) after NFKC normalisation, case
/// folding, trimming and collapsing internal white space (a simplification of RFC 4518); any
/// other value by its DER.
pub fn same_name(a: &Name, b: &Name) -> bool {
    a.0.len() == b.0.len()
        && a.0.iter().zip(b.0.iter()).all(|(x, y)| {
            let mut x: Vec<_> = x.0.iter().map(comparable).collect();
            let mut y: Vec<_> = y.0.iter().map(comparable).collect();
            x.sort();
            y.sort();
            x == y
        })
}

/// How an attribute value compares: as prepared text, or as its tag and bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Comparable {
    Text(String),
    Raw(u8, Vec<u8>),
}

/// An attribute's type and its value as it compares.
fn comparable(atv: &x509_cert::attr::AttributeTypeAndValue) -> (Vec<u8>, Comparable) {
    use unicode_normalization::UnicodeNormalization;
    let value = &atv.value;
    let bytes = value.value();
    let text: Option<String> = match value.tag() {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::PrintableString | Tag::Ia5String | Tag::VisibleString | Tag::TeletexString
            if bytes.is_ascii() =>
        {
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        Tag::BmpString if bytes.len() % 2 == 0 => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString (universal tag 28), which `der` has no name for.
        t if u8::from(t) == 0x1c && bytes.len() % 4 == 0 => bytes
            .chunks_exact(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        _ => None,
    };
    let key = match text {
        Some(text) => {
            let folded: String = text.nfkc().collect::<String>().to_lowercase();
            Comparable::Text(folded.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        None => Comparable::Raw(u8::from(value.tag()), bytes.to_vec()),
    };
    (atv.oid.as_bytes().to_vec(), key)
}
