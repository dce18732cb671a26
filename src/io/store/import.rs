//! Imports into the trust store: an OpenSSH public key, a PEM SubjectPublicKeyInfo (what
//! `openssl pkey -pubout` writes) and OpenSSH `allowed_signers` files (FORMAT.md §8.2).

use super::{create_store_dir, entry_path, write_entries, write_entry};
use crate::chain::valid_id;
use crate::dates::{format_iso, Date};
use crate::error::{Error, InputError};
use std::path::Path;
use transmittal_core::trust::{EntryDetails, TrustEntry};

/// Import an OpenSSH public key (`ssh-ed25519 AAAA… comment`, the contents of an `id_ed25519.pub`)
/// as the entry `details.id`. Only Ed25519 keys are accepted.
pub fn import_ssh_public(
    dir: &Path,
    ssh_public: &str,
    details: &EntryDetails,
    force: bool,
) -> Result<TrustEntry, Error> {
    let lines: Vec<&str> = ssh_public
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let line = match lines.as_slice() {
        [one] => *one,
        [] => return Err(InputError::Invalid("no OpenSSH public key found".into()).into()),
        _ if ssh_public.contains("PRIVATE KEY-----") => {
            return Err(InputError::Invalid(
                "this is a private key; import the public key (the .pub file)".into(),
            )
            .into())
        }
        many => {
            return Err(InputError::Invalid(format!(
                "{} key lines found; import one key at a time, or use an allowed_signers file",
                many.len()
            ))
            .into())
        }
    };
    let public_key = ssh_ed25519_public(line).map_err(InputError::Invalid)?;
    let entry = TrustEntry::build(details, public_key, entry_path(dir, &details.id))
        .map_err(InputError::Invalid)?;
    create_store_dir(dir)?;
    write_entry(dir, &entry, force)
}

/// Import an Ed25519 public key in PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what
/// `openssl pkey -pubout` writes; RFC 8410) as the entry `details.id`. The key is checked as every
/// entry's is (a canonical point, not of small order).
pub fn import_pem_public(
    dir: &Path,
    pem: &str,
    details: &EntryDetails,
    force: bool,
) -> Result<TrustEntry, Error> {
    let public_key = pem_ed25519_public(pem).map_err(InputError::Invalid)?;
    let entry = TrustEntry::build(details, public_key, entry_path(dir, &details.id))
        .map_err(InputError::Invalid)?;
    create_store_dir(dir)?;
    write_entry(dir, &entry, force)
}

/// The Ed25519 key of a PEM SubjectPublicKeyInfo.
fn pem_ed25519_public(pem: &str) -> Result<[u8; 32], String> {
    use ed25519_dalek::pkcs8::{DecodePublicKey as _, PublicKeyBytes};
    if pem.contains("PRIVATE KEY-----") {
        return Err(
            "this is a private key; import the public key (`openssl pkey -in KEY.pem -pubout`)"
                .into(),
        );
    }
    if !pem.contains("-----BEGIN PUBLIC KEY-----") {
        return Err(
            "no PEM public key found (expected `-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes)"
                .into(),
        );
    }
    PublicKeyBytes::from_public_key_pem(pem.trim())
        .map(|k| k.0)
        .map_err(|e| {
            format!(
                "not an Ed25519 public key in PEM SubjectPublicKeyInfo ({e}); transmittal uses Ed25519 keys only (`openssl genpkey -algorithm ed25519`)"
            )
        })
}

/// The PEM SubjectPublicKeyInfo of an Ed25519 public key (RFC 8410), as OpenSSL reads it.
pub fn pem_spki(public_key: &[u8; 32]) -> Result<String, Error> {
    use ed25519_dalek::pkcs8::{spki::der::pem::LineEnding, EncodePublicKey as _, PublicKeyBytes};
    PublicKeyBytes(*public_key)
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| InputError::Invalid(format!("cannot encode the key as PEM: {e}")).into())
}

/// Parse an OpenSSH public key line and return its Ed25519 key.
fn ssh_ed25519_public(line: &str) -> Result<[u8; 32], String> {
    let key = ssh_key::PublicKey::from_openssh(line).map_err(|e| {
        format!("not an OpenSSH public key line (`ssh-ed25519 AAAA… comment`): {e}")
    })?;
    match key.key_data().ed25519() {
        Some(k) => Ok(k.0),
        None => Err(format!(
            "this is an OpenSSH {} key; transmittal uses Ed25519 keys only (create one with `ssh-keygen -t ed25519`)",
            key.algorithm().as_str()
        )),
    }
}

/// What to import from an `allowed_signers` file (see [`import_allowed_signers`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSignersImport {
    /// The principal to import (required when the importable lines name several).
    pub principal: Option<String>,
    /// The entry's details. `name` is required (principals are identifiers, not the names
    /// "(Signed)" lines print); an empty `id` is derived from the principal. `valid_from` /
    /// `valid_until`, when set, narrow the window the line's `valid-after` / `valid-before` give.
    pub details: EntryDetails,
}

/// The result of [`import_allowed_signers`]: the entries written and one warning per line skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSignersOutcome {
    /// The entries written.
    pub entries: Vec<TrustEntry>,
    /// Why each skipped line was skipped (`line N: skipped: …`).
    pub warnings: Vec<String>,
}

/// The namespace a signer must be allowed in (`namespaces=` of `allowed_signers`).
pub const SSH_NAMESPACE: &str = "transmittal";

/// Import the keys of one signer from an OpenSSH `allowed_signers` file
/// (`principals [options] keytype base64 [comment]` per line; see `ssh-keygen(1)`), all or none.
///
/// * Importable lines are those with an `ssh-ed25519` key and either no `namespaces=` option or a
///   `namespaces=` pattern list that matches `transmittal` (`*` and `?` wildcards, `!` negation,
///   as ssh-keygen's pattern lists). Every other line (another namespace, another key type, a
///   `cert-authority` line, a wildcard principal) is skipped with a warning naming the line.
///   Blank lines and `#` comments are skipped silently. A file with no importable line is an
///   error.
/// * The importable lines must name one principal, or `select.principal` chooses one (an error
///   lists the principals otherwise); every importable line of that principal is imported (key
///   rotation: ids `ID`, `ID-2`, …).
/// * `select.details.name` is required; the id is `select.details.id`, or the principal
///   lowercased with characters outside `a-z 0-9 . _ -` replaced by `-`
///   (`jens@nato.int` → `jens-nato.int`). The note records the line and its principals.
/// * `valid-after="YYYYMMDD[HHMM[SS]][Z]"` becomes `valid_from` (the next day if the time is not
///   midnight); `valid-before=…` becomes `valid_until` = the day before (OpenSSH's bound is
///   exclusive). The window is never widened by the conversion to days; time zones are ignored.
///
/// Errors in lines (bad options, bad keys) name the line.
pub fn import_allowed_signers(
    dir: &Path,
    contents: &str,
    select: &AllowedSignersImport,
    force: bool,
) -> Result<AllowedSignersOutcome, Error> {
    let invalid = |m: String| -> Error { InputError::Invalid(m).into() };
    let mut warnings = Vec::new();
    let mut lines: Vec<(usize, SignerLine)> = Vec::new();
    for (i, raw) in contents.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_allowed_signer(line)
            .map_err(|m| invalid(format!("allowed_signers line {n}: {m}")))?
        {
            Ok(signer) => {
                if let Some((m, _)) = lines
                    .iter()
                    .find(|(_, p)| p.public_key == signer.public_key)
                {
                    return Err(invalid(format!(
                        "allowed_signers line {n}: the same key as line {m}"
                    )));
                }
                lines.push((n, signer));
            }
            Err(why) => warnings.push(format!("line {n}: skipped: {why}")),
        }
    }
    if lines.is_empty() {
        let why = if warnings.is_empty() {
            "no signer lines found".to_string()
        } else {
            format!(
                "no importable key (an ssh-ed25519 key allowed in the {SSH_NAMESPACE:?} namespace): {}",
                warnings.join("; ")
            )
        };
        return Err(invalid(format!("allowed_signers: {why}")));
    }
    let mut principals: Vec<&str> = Vec::new();
    for (_, l) in &lines {
        for p in &l.principals {
            if !principals.contains(&p.as_str()) {
                principals.push(p);
            }
        }
    }
    let listed = || {
        principals
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let principal: String = match (&select.principal, principals.as_slice()) {
        (Some(p), _) if principals.contains(&p.as_str()) => p.clone(),
        (Some(p), _) => {
            return Err(invalid(format!(
                "allowed_signers: no importable line names the principal {p:?}; the principals are {}",
                listed()
            )))
        }
        (None, [one]) => one.to_string(),
        (None, _) => {
            return Err(invalid(format!(
                "allowed_signers: the file names several principals ({}); choose one with --principal P",
                listed()
            )))
        }
    };
    if select.details.name.trim().is_empty() {
        return Err(invalid(
            "allowed_signers principals are not names; give --name 'As On The (Signed) Line' (and --principal P when the file has several)".into(),
        ));
    }
    let base_id = if select.details.id.is_empty() {
        let id = sanitize_id(&principal);
        if !valid_id(&id) {
            return Err(invalid(format!(
                "allowed_signers: principal {principal:?} does not make a valid id; give --id ID"
            )));
        }
        id
    } else {
        select.details.id.clone()
    };
    let mut entries = Vec::new();
    for (n, l) in lines
        .iter()
        .filter(|(_, l)| l.principals.contains(&principal))
    {
        let mut details = select.details.clone();
        details.id = if entries.is_empty() {
            base_id.clone()
        } else {
            format!("{base_id}-{}", entries.len() + 1)
        };
        details.valid_from = match (details.valid_from, l.valid_from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        details.valid_until = match (details.valid_until, l.valid_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut note = format!(
            "imported from OpenSSH allowed_signers line {n} (principals {:?}",
            l.principals.join(",")
        );
        if let Some(ns) = &l.namespaces {
            note.push_str(&format!("; namespaces {ns:?}"));
        }
        note.push(')');
        details.note = Some(match &select.details.note {
            Some(given) => format!("{given}; {note}"),
            None => note,
        });
        let entry = TrustEntry::build(&details, l.public_key, entry_path(dir, &details.id))
            .map_err(|m| invalid(format!("allowed_signers line {n}: {m}")))?;
        entries.push(entry);
    }
    create_store_dir(dir)?;
    let entries = write_entries(dir, &entries, force)?;
    Ok(AllowedSignersOutcome { entries, warnings })
}

/// One importable line of an `allowed_signers` file.
struct SignerLine {
    principals: Vec<String>,
    namespaces: Option<String>,
    public_key: [u8; 32],
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

/// Whether `name` matches the glob `pattern` (`*` any run, `?` one character).
fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether `name` matches an OpenSSH pattern list (`a,b*,!c`): a negated pattern that matches
/// excludes it whatever else matches; otherwise any positive pattern that matches includes it.
pub(super) fn pattern_list_match(list: &str, name: &str) -> bool {
    let mut matched = false;
    for pat in list.split(',').map(str::trim) {
        match pat.strip_prefix('!') {
            Some(neg) if glob_match(neg, name) => return false,
            Some(_) => {}
            None => matched |= glob_match(pat, name),
        }
    }
    matched
}

/// Split off the next white-space delimited token, honouring double quotes.
fn next_token(s: &str) -> Result<Option<(&str, &str)>, String> {
    let s = s.trim_start();
    if s.is_empty() {
        return Ok(None);
    }
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c.is_whitespace() && !in_quotes {
            return Ok(Some((&s[..i], &s[i..])));
        }
    }
    if in_quotes {
        return Err("unterminated quote".into());
    }
    Ok(Some((s, "")))
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(s)
}

/// Split an option list on commas outside quotes.
fn split_options(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Parse an OpenSSH timestamp `YYYYMMDD[HHMM[SS]][Z]`: the day, and whether the time is after
/// midnight.
pub(super) fn parse_ssh_time(s: &str) -> Option<(Date, bool)> {
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    if !matches!(s.len(), 8 | 12 | 14) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let date = crate::dates::from_dmy(num(6..8)? as u8, num(4..6)? as u8, num(0..4)? as i32)?;
    let (h, m, sec) = match s.len() {
        8 => (0, 0, 0),
        12 => (num(8..10)?, num(10..12)?, 0),
        _ => (num(8..10)?, num(10..12)?, num(12..14)?),
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some((date, h + m + sec > 0))
}

/// Turn a principal into a trust-store id.
pub(super) fn sanitize_id(principal: &str) -> String {
    let mapped: String = principal
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = mapped.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    trimmed.chars().take(64).collect()
}

/// Parse one `allowed_signers` line: `Err` for a malformed line (the message), `Ok(Err(why))`
/// for a well-formed line that is not imported, `Ok(Ok(line))` for an importable one.
fn parse_allowed_signer(line: &str) -> Result<Result<SignerLine, String>, String> {
    let (principals, rest) = next_token(line)?.ok_or("empty line")?;
    let principals = unquote(principals);
    let (mut token, mut rest) =
        next_token(rest)?.ok_or("expected options or a key type after the principals")?;
    let mut options = None;
    let lower = token.to_ascii_lowercase();
    if !(lower.starts_with("ssh-") || lower.starts_with("ecdsa-") || lower.starts_with("sk-")) {
        options = Some(token);
        (token, rest) = next_token(rest)?.ok_or("expected a key type after the options")?;
    }
    let keytype = token;
    let (b64, _comment) = next_token(rest)?.ok_or("expected the base64 key after the key type")?;

    let mut valid_from = None;
    let mut valid_until = None;
    let mut namespaces = None;
    let mut cert_authority = false;
    if let Some(opts) = options {
        for opt in split_options(opts) {
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(unquote(v))),
                None => (opt, None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("cert-authority", None) => cert_authority = true,
                ("namespaces", Some(v)) => namespaces = Some(v.to_string()),
                ("valid-after", Some(v)) => {
                    let (day, after_midnight) = parse_ssh_time(v).ok_or_else(|| {
                        format!("valid-after {v:?} is not a timestamp YYYYMMDD[HHMM[SS]][Z]")
                    })?;
                    valid_from = Some(if after_midnight {
                        day.next_day().ok_or("valid-after is out of range")?
                    } else {
                        day
                    });
                }
                ("valid-before", Some(v)) => {
                    let (day, _) = parse_ssh_time(v).ok_or_else(|| {
                        format!("valid-before {v:?} is not a timestamp YYYYMMDD[HHMM[SS]][Z]")
                    })?;
                    valid_until = Some(day.previous_day().ok_or("valid-before is out of range")?);
                }
                _ => return Err(format!("unsupported option {opt:?}")),
            }
        }
    }
    if let Some(ns) = &namespaces {
        if !pattern_list_match(ns, SSH_NAMESPACE) {
            return Ok(Err(format!(
                "namespaces={ns:?} does not include {SSH_NAMESPACE:?} (the key may sign other things only)"
            )));
        }
    }
    if cert_authority {
        return Ok(Err(
            "cert-authority lines (certificate authorities) are not supported; list each signer's own key".into(),
        ));
    }
    if keytype != "ssh-ed25519" {
        return Ok(Err(format!(
            "key type {keytype:?} is not Ed25519; transmittal uses Ed25519 keys only"
        )));
    }
    if principals.chars().any(|c| matches!(c, '*' | '?' | '!')) {
        return Ok(Err(format!(
            "principal pattern {principals:?} has wildcards; a trust-store entry names one signer"
        )));
    }
    let public_key = ssh_ed25519_public(&format!("{keytype} {b64}"))?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if from > until {
            return Err(format!(
                "valid_from {} is after valid_until {}",
                format_iso(from),
                format_iso(until)
            ));
        }
    }
    let principals: Vec<String> = principals
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if principals.is_empty() {
        return Err("no principal".into());
    }
    Ok(Ok(SignerLine {
        principals,
        namespaces,
        public_key,
        valid_from,
        valid_until,
    }))
}
