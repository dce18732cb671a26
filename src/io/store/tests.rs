//! Tests of the trust store on disk: loading, the search, writing, revoking and imports.

use crate::dates::parse_iso;

#[test]
fn a_name_whose_nfc_form_is_too_long_is_refused() {
    // U+0958 has a two-character NFC form: 200 of them make a 400-character signatory.
    let name = "\u{958}".repeat(200);
    let pk = crate::keys::SecretKey::from_seed(&[7u8; 32], None, None).public_key();
    let e = TrustEntry::build(
        &EntryDetails::new("x", name),
        pk,
        PathBuf::from("x.pub.json"),
    );
    let err = e.and_then(|e| e.validate().map(|()| e)).unwrap_err();
    assert!(err.contains("name"), "{err}");
    // The same count of characters whose NFC form is as long is accepted.
    let name = "a".repeat(200);
    let e = TrustEntry::build(
        &EntryDetails::new("x", name),
        pk,
        PathBuf::from("x.pub.json"),
    );
    assert!(e.is_ok());
}

use super::import::{parse_ssh_time, pattern_list_match, sanitize_id};
use super::*;
use crate::keys::SecretKey;

fn d(s: &str) -> Date {
    parse_iso(s).unwrap()
}

fn pk(n: u8) -> [u8; 32] {
    SecretKey::from_seed(&[n; 32], None, None).public_key()
}

fn entry(dir: &Path, id: &str, name: &str, n: u8) -> TrustEntry {
    TrustEntry::build(&EntryDetails::new(id, name), pk(n), entry_path(dir, id)).unwrap()
}

fn ssh_line(n: u8, comment: &str) -> String {
    let k = ssh_key::PublicKey::new(
        ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(pk(n))),
        comment,
    );
    k.to_openssh().unwrap()
}

#[test]
fn json_round_trip_and_file_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = entry(dir.path(), "stoltenberg", "Jens Stoltenberg", 1);
    e.title = Some("Secretary-General of NATO".into());
    e.valid_from = Some(d("2014-10-01"));
    e.valid_until = Some(d("2024-09-30"));
    let json = e.to_json_pretty();
    assert!(
        json.starts_with("{\n  \"format\": \"transmittal-key-v1\",\n  \"id\": \"stoltenberg\",")
    );
    assert!(json.contains("\"revoked_at\": null"));
    assert!(json.ends_with("}\n"));
    let back = TrustEntry::from_json(json.as_bytes(), &e.path).unwrap();
    assert_eq!(back, e);
    // Optional fields may be absent.
    let minimal = format!(
        r#"{{"format":"transmittal-key-v1","id":"stoltenberg","name":"Jens Stoltenberg","public_key":"{}","fingerprint":"{}"}}"#,
        hex::encode(e.public_key),
        hex::encode(e.fingerprint)
    );
    let m = TrustEntry::from_json(minimal.as_bytes(), &e.path).unwrap();
    assert_eq!(m.title, None);
    assert_eq!(m.valid_from, None);
}

#[test]
fn also_known_as_round_trip_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = entry(dir.path(), "annan", "Kofi Annan", 1);
    // Absent when empty: existing entries stay byte-identical.
    assert!(!e.to_json_pretty().contains("also_known_as"));
    assert_eq!(e.names().collect::<Vec<_>>(), ["Kofi Annan"]);
    e.also_known_as = vec!["Kofi A. Annan".into(), "K. A. Annan".into()];
    e.validate().unwrap();
    let json = e.to_json_pretty();
    assert!(
        json.contains("\"also_known_as\": [\n    \"Kofi A. Annan\","),
        "{json}"
    );
    let back = TrustEntry::from_json(json.as_bytes(), &e.path).unwrap();
    assert_eq!(back, e);
    assert_eq!(
        back.names().collect::<Vec<_>>(),
        ["Kofi Annan", "Kofi A. Annan", "K. A. Annan"]
    );
    let bad: Vec<(Vec<String>, &str)> = vec![
        (vec!["".into()], "not valid"),
        (vec![" Kofi".into()], "not valid"),
        (vec!["Kofi\u{7}Annan".into()], "not valid"),
        (vec!["x".repeat(201)], "not valid"),
        (vec!["**_**".into()], "not valid"),
        (vec!["KOFI  annan".into()], "duplicate"),
        (vec!["K. Annan".into(), "K. Annan".into()], "duplicate"),
        ((0..17).map(|i| format!("Name {i}")).collect(), "at most 16"),
    ];
    for (alts, want) in bad {
        let mut b = e.clone();
        b.also_known_as = alts.clone();
        let err = b.validate().unwrap_err();
        assert!(err.contains(want), "{alts:?}: {err}");
    }
    let mut sixteen = e.clone();
    sixteen.also_known_as = (0..16).map(|i| format!("Name {i}")).collect();
    sixteen.validate().unwrap();
    // A null list is refused (the field is a list or absent).
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["also_known_as"] = serde_json::Value::Null;
    assert!(TrustEntry::from_json(v.to_string().as_bytes(), &e.path).is_err());
}

#[test]
fn unknown_and_missing_fields_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = entry(dir.path(), "x", "Jens Stoltenberg", 1);
    let base: serde_json::Value = serde_json::from_str(&good.to_json_pretty()).unwrap();
    let mut unknown = base.clone();
    unknown["email"] = "jens@nato.int".into();
    let err = TrustEntry::from_json(unknown.to_string().as_bytes(), &good.path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.pub.json") && err.contains("unknown field `email`"),
        "{err}"
    );
    for field in ["id", "name", "public_key", "fingerprint"] {
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove(field);
        let err = TrustEntry::from_json(missing.to_string().as_bytes(), &good.path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.pub.json") && err.contains(&format!("missing field `{field}`")),
            "{field}: {err}"
        );
    }
    // Required fields may not be null either.
    let mut null = base.clone();
    null["name"] = serde_json::Value::Null;
    assert!(TrustEntry::from_json(null.to_string().as_bytes(), &good.path).is_err());
}

#[test]
fn validation_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = entry(dir.path(), "x", "Jens Stoltenberg", 1);
    let base: serde_json::Value = serde_json::from_str(&good.to_json_pretty()).unwrap();
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        ("format", "transmittal-key-v2".into(), "unsupported format"),
        ("format", serde_json::Value::Null, "no \"format\""),
        ("public_key", "abc".into(), "public_key must be 64"),
        (
            "public_key",
            hex::encode(pk(1)).to_uppercase().into(),
            "public_key must be 64",
        ),
        ("public_key", hex::encode(identity).into(), "weak"),
        (
            "public_key",
            hex::encode(pk(2)).into(),
            "fingerprint does not match",
        ),
        (
            "fingerprint",
            "00".repeat(32).into(),
            "fingerprint does not match",
        ),
        ("valid_from", "2024-13-01".into(), "not an ISO date"),
        ("valid_from", "2024-02-01".into(), "after valid_until"),
        ("valid_until", "2024-01-31".into(), "after valid_until"),
        ("revocation_reason", "lost".into(), "revoked_at is not"),
        ("name", "".into(), "name"),
        ("name", "Jens\u{202e}".into(), "name"),
        ("name", "**".into(), "name"),
        ("title", " padded".into(), "title"),
        ("note", "a\u{0}b".into(), "note"),
        ("id", "y".into(), "must be named \"y.pub.json\""),
        ("id", "Bad Id".into(), "is not valid"),
        ("extra", "1".into(), "unknown field"),
        ("revoked_at", 5.into(), "invalid type"),
    ];
    for (i, (field, value, want)) in cases.into_iter().enumerate() {
        let mut v = base.clone();
        let obj = v.as_object_mut().unwrap();
        if field == "valid_from" && want == "after valid_until" {
            obj.insert("valid_until".into(), "2024-01-31".into());
        }
        if field == "valid_until" {
            obj.insert("valid_from".into(), "2024-02-01".into());
        }
        obj.insert(field.into(), value);
        let path = dir.path().join("x.pub.json");
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains(want), "case {i} ({field}): {err}");
        assert!(err.contains("x.pub.json"), "case {i}: {err}");
    }
    std::fs::write(dir.path().join("x.pub.json"), "{ not json").unwrap();
    let err = load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("x.pub.json") && err.contains("not a valid trust-store entry"),
        "{err}"
    );
}

#[test]
fn load_sorted_skips_other_files_and_missing_dir_is_empty() {
    let missing = Path::new("/nonexistent/transmittal-keys");
    let s = load(missing).unwrap();
    assert!(s.is_empty());
    assert_eq!(s.dir(), missing);

    let dir = tempfile::tempdir().unwrap();
    for (id, name, n) in [("b", "Beta", 2), ("a", "Alpha", 1), ("c", "Alpha", 3)] {
        write_entry(dir.path(), &entry(dir.path(), id, name, n), false).unwrap();
    }
    std::fs::write(dir.path().join("README.md"), "not an entry").unwrap();
    std::fs::write(dir.path().join("a.key"), "secret").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let s = load(dir.path()).unwrap();
    let ids: Vec<&str> = s.entries().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(s.by_key(&pk(2)).unwrap().id, "b");
    assert!(s.by_key(&pk(9)).is_none());
    assert_eq!(s.by_id("c").unwrap().public_key, pk(3));
    assert!(s.by_id("z").is_none());
    // Key rotation: two entries with one name, both kept.
    let alpha: Vec<&str> = s
        .by_name("  **alpha** ")
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(alpha, ["a", "c"]);
    assert!(s.by_name("Gamma").is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("a.pub.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, ENTRY_MODE);
    }
}

#[test]
fn duplicates_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = entry(dir.path(), "a", "Alpha", 1);
    let mut b = entry(dir.path(), "b", "Beta", 1);
    std::fs::write(&a.path, a.to_json_pretty()).unwrap();
    std::fs::write(&b.path, b.to_json_pretty()).unwrap();
    let err = load(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Trust(TrustError::Duplicate { .. })));
    let msg = err.to_string();
    assert!(
        msg.contains("a.pub.json") && msg.contains("b.pub.json") && msg.contains("public key"),
        "{msg}"
    );

    // Same id (only possible in memory, since the file name is the id).
    b = entry(dir.path(), "a", "Beta", 2);
    let err = TrustStore::from_entries(dir.path(), vec![a.clone(), b]).unwrap_err();
    assert!(err.to_string().contains("both have id"), "{err}");

    // write_entry refuses a key that another id holds.
    std::fs::remove_file(dir.path().join("b.pub.json")).unwrap();
    let c = entry(dir.path(), "c", "Gamma", 1);
    let err = write_entry(dir.path(), &c, true).unwrap_err();
    assert!(
        err.to_string()
            .contains("already in the trust store as \"a\""),
        "{err}"
    );
    assert!(!dir.path().join("c.pub.json").exists());
}

#[test]
fn write_entry_refuses_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let a = entry(dir.path(), "a", "Alpha", 1);
    write_entry(dir.path(), &a, false).unwrap();
    let before = std::fs::read(&a.path).unwrap();
    let a2 = entry(dir.path(), "a", "Alpha", 2);
    let err = write_entry(dir.path(), &a2, false).unwrap_err();
    assert!(matches!(err, Error::Input(InputError::Exists { .. })));
    assert_eq!(std::fs::read(&a.path).unwrap(), before);
    let written = write_entry(dir.path(), &a2, true).unwrap();
    assert_eq!(written.path, a.path);
    assert_eq!(
        load(dir.path()).unwrap().by_id("a").unwrap().public_key,
        pk(2)
    );
}

#[test]
fn validity_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = entry(dir.path(), "s", "Jens Stoltenberg", 1);
    assert_eq!(e.validity_on(d("1900-01-01")), Validity::Valid);
    e.valid_from = Some(d("2014-10-01"));
    e.valid_until = Some(d("2024-09-30"));
    assert_eq!(
        e.validity_on(d("2014-09-30")),
        Validity::NotYetValid {
            from: d("2014-10-01")
        }
    );
    assert!(e.validity_on(d("2014-10-01")).is_valid());
    assert!(e.validity_on(d("2024-09-30")).is_valid());
    assert_eq!(
        e.validity_on(d("2024-10-01")),
        Validity::Expired {
            until: d("2024-09-30")
        }
    );
    e.revoked_at = Some(d("2017-10-19"));
    e.revocation_reason = Some("key compromised".into());
    assert!(e.validity_on(d("2017-10-18")).is_valid());
    let revoked = Validity::Revoked {
        at: d("2017-10-19"),
        reason: Some("key compromised".into()),
    };
    assert_eq!(e.validity_on(d("2017-10-19")), revoked);
    assert_eq!(e.validity_on(d("2030-01-01")), revoked);
}

#[test]
fn revoke_rewrites_entry() {
    let dir = tempfile::tempdir().unwrap();
    let e = entry(dir.path(), "stoltenberg", "Jens Stoltenberg", 1);
    write_entry(dir.path(), &e, false).unwrap();
    let r = revoke(
        dir.path(),
        "stoltenberg",
        d("2020-01-01"),
        RevocationKind::Superseded,
        Some("  new key issued "),
    )
    .unwrap();
    assert_eq!(r.revoked_at, Some(d("2020-01-01")));
    assert_eq!(r.revocation_reason.as_deref(), Some("superseded"));
    assert_eq!(r.revocation_kind(), Some(RevocationKind::Superseded));
    assert_eq!(
        r.note.as_deref(),
        Some("revoked on 2020-01-01 (superseded): new key issued")
    );
    let s = load(dir.path()).unwrap();
    let loaded = s.by_id("stoltenberg").unwrap();
    assert_eq!(loaded, &r);
    assert!(matches!(
        loaded.validity_on(d("2020-01-01")),
        Validity::Revoked { .. }
    ));
    // Moving it later is refused; earlier is allowed, and the kind can change.
    let err = revoke(
        dir.path(),
        "stoltenberg",
        d("2021-01-01"),
        RevocationKind::Retired,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("already revoked"), "{err}");
    let r = revoke(
        dir.path(),
        "stoltenberg",
        d("2019-01-01"),
        RevocationKind::Compromised,
        None,
    )
    .unwrap();
    assert_eq!(r.revocation_kind(), Some(RevocationKind::Compromised));
    // Unknown ids (including ones that are not ids at all).
    for id in ["nobody", "../stoltenberg", ""] {
        let err = revoke(
            dir.path(),
            id,
            d("2020-01-01"),
            RevocationKind::Retired,
            None,
        )
        .unwrap_err();
        assert!(
            matches!(err, Error::Trust(TrustError::UnknownId { .. })),
            "{id}: {err}"
        );
    }
    // Invalid note text.
    let err = revoke(
        dir.path(),
        "stoltenberg",
        d("2018-01-01"),
        RevocationKind::Retired,
        Some("a\u{7}b"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("note"), "{err}");
    // Only the entry file is in the directory (no temporary files left).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn import_ssh_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut details = EntryDetails::new("jens", "Jens Stoltenberg");
    details.organisation = Some("NATO".into());
    details.valid_from = Some(d("2014-10-01"));
    let line = ssh_line(5, "jens@nato.int");
    let e = import_ssh_public(dir.path(), &format!("{line}\n"), &details, false).unwrap();
    assert_eq!(e.public_key, pk(5));
    assert_eq!(e.path, dir.path().join("jens.pub.json"));
    assert_eq!(load(dir.path()).unwrap().by_id("jens").unwrap(), &e);
    // Refused without force; same key under another id refused.
    assert!(import_ssh_public(dir.path(), &line, &details, false).is_err());
    let err = import_ssh_public(
        dir.path(),
        &line,
        &EntryDetails::new("other", "Other"),
        false,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("already in the trust store"),
        "{err}"
    );

    let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDLh5d7ICg1DRbC/AEsbgabtNhY4kXwT2XrvtGgr8ctNVaUnXM3jkDCxSJswHbfxVSUANfTZg6QzQq6ut+/Q7V6YW9HrFd2AuCDZljGxKZ4XwO8gZkgpYLGpB8OSvt5hO5n8K2tFx2w5dHwpUu6uPuUq3w1zD4f3Y8ju/21+xxhLw== rsa";
    let err = import_ssh_public(dir.path(), rsa, &EntryDetails::new("r", "R"), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Ed25519 keys only") || err.contains("not an OpenSSH"),
        "{err}"
    );
    let err = import_ssh_public(dir.path(), "garbage", &EntryDetails::new("g", "G"), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an OpenSSH public key"), "{err}");
    let two = format!("{}\n{}\n", ssh_line(6, ""), ssh_line(7, ""));
    assert!(import_ssh_public(dir.path(), &two, &EntryDetails::new("t", "T"), false).is_err());
    let err = import_ssh_public(
        dir.path(),
        &ssh_line(8, ""),
        &EntryDetails::new("Bad Id", "T"),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("is not valid"), "{err}");
}

#[test]
fn ssh_timestamps() {
    assert_eq!(parse_ssh_time("20171018"), Some((d("2017-10-18"), false)));
    assert_eq!(parse_ssh_time("20171018Z"), Some((d("2017-10-18"), false)));
    assert_eq!(
        parse_ssh_time("201710180000"),
        Some((d("2017-10-18"), false))
    );
    assert_eq!(
        parse_ssh_time("20171018120000Z"),
        Some((d("2017-10-18"), true))
    );
    for bad in [
        "2017101",
        "20171318",
        "201710182400",
        "2017-10-18",
        "20171018123",
        "",
    ] {
        assert_eq!(parse_ssh_time(bad), None, "{bad}");
    }
    assert_eq!(sanitize_id("jens@nato.int"), "jens-nato.int");
    assert_eq!(sanitize_id("_Jens Stoltenberg"), "jens-stoltenberg");
}

fn select(principal: Option<&str>, id: &str, name: &str) -> AllowedSignersImport {
    AllowedSignersImport {
        principal: principal.map(str::to_string),
        details: EntryDetails::new(id, name),
    }
}

#[test]
fn allowed_signers_import() {
    let dir = tempfile::tempdir().unwrap();
    let key = |n: u8| ssh_line(n, "").trim().to_string();
    let contents = format!(
        "# trusted signers\n\n\
         jens@nato.int valid-after=\"20141001\",valid-before=\"20241001\" {} Jens Stoltenberg\n\
         jens@nato.int namespaces=\"git\" {}\n\
         guterres@un.org namespaces=\"git,transmittal\",valid-after=\"20170101120000Z\" {}\n\
         ban@un.org namespaces=\"tr*,!git\" {} BAN Ki-moon\n\
         rsa@un.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ==\n",
        key(1),
        key(2),
        key(3),
        key(4)
    );
    // Several principals: --principal chooses; the name is required.
    let err = import_allowed_signers(dir.path(), &contents, &select(None, "", "J"), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("several principals")
            && err.contains("\"jens@nato.int\", \"guterres@un.org\", \"ban@un.org\"")
            && err.contains("--principal"),
        "{err}"
    );
    let err = import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("jens@nato.int"), "", ""),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("principals are not names; give --name"),
        "{err}"
    );
    let err = import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("rsa@un.org"), "", "R"),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("no importable line names"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let out = import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("jens@nato.int"), "", "Jens Stoltenberg"),
        false,
    )
    .unwrap();
    // The git-only key and the RSA key are skipped, each with a warning naming its line.
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].starts_with("line 4: skipped: namespaces=\"git\""));
    assert!(out.warnings[1].starts_with("line 7: skipped: key type \"ssh-rsa\""));
    assert_eq!(out.entries.len(), 1);
    let s = load(dir.path()).unwrap();
    assert_eq!(s.entries().len(), 1);
    let j = s.by_id("jens-nato.int").unwrap();
    assert_eq!(j.public_key, pk(1));
    assert_eq!(j.name, "Jens Stoltenberg");
    assert_eq!(j.valid_from, Some(d("2014-10-01")));
    assert_eq!(j.valid_until, Some(d("2024-09-30")));
    assert!(j.note.as_deref().unwrap().contains("line 3"));

    // namespaces="git,transmittal" is imported, with --id and --name honoured.
    let g = import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("guterres@un.org"), "guterres", "António Guterres"),
        false,
    )
    .unwrap();
    let g = &g.entries[0];
    assert_eq!(
        (g.id.as_str(), g.name.as_str()),
        ("guterres", "António Guterres")
    );
    assert_eq!(g.valid_from, Some(d("2017-01-02")));
    assert!(g.note.as_deref().unwrap().contains("git,transmittal"));
    // A pattern list with a wildcard and a negation.
    let b = import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("ban@un.org"), "", "BAN Ki-moon"),
        false,
    )
    .unwrap();
    assert_eq!(b.entries[0].public_key, pk(4));
    // Again without force: refused, nothing changed.
    let before = std::fs::read(&j.path).unwrap();
    assert!(import_allowed_signers(
        dir.path(),
        &contents,
        &select(Some("jens@nato.int"), "", "Jens Stoltenberg"),
        false
    )
    .is_err());
    assert_eq!(std::fs::read(&j.path).unwrap(), before);

    // One principal, two keys (rotation): ID, ID-2; --valid-from narrows the line's window.
    let dir = tempfile::tempdir().unwrap();
    let rotation = format!(
        "a@x valid-before=\"20200101\" {}\na@x valid-after=\"20200101\" {}\n",
        key(5),
        key(6)
    );
    let mut sel = select(None, "alpha", "Alpha");
    sel.details.valid_from = Some(d("2010-01-01"));
    let out = import_allowed_signers(dir.path(), &rotation, &sel, false).unwrap();
    let ids: Vec<_> = out.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["alpha", "alpha-2"]);
    assert_eq!(out.entries[0].valid_from, Some(d("2010-01-01")));
    assert_eq!(out.entries[1].valid_from, Some(d("2020-01-01")));
    assert!(out.warnings.is_empty());
}

#[test]
fn ssh_pattern_lists() {
    for (list, want) in [
        ("transmittal", true),
        ("git,transmittal", true),
        ("git, transmittal", true),
        ("git", false),
        ("trans*", true),
        ("transmitta?", true),
        ("transmit?", false),
        ("*", true),
        ("*,!transmittal", false),
        ("!git", false),
        ("", false),
        ("Transmittal", false),
    ] {
        assert_eq!(pattern_list_match(list, SSH_NAMESPACE), want, "{list:?}");
    }
}

#[test]
fn allowed_signers_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let key = |n: u8| ssh_line(n, "").trim().to_string();
    let cases = [
        (
            format!("# c\na@x cert-authority {}\n", key(1)),
            "line 2",
            "cert-authority",
        ),
        (
            format!("a@x valid-after=\"2017\" {}\n", key(1)),
            "line 1",
            "valid-after",
        ),
        (
            format!("a@x valid-before=\"20171301\" {}\n", key(1)),
            "line 1",
            "valid-before",
        ),
        (
            format!("a@x no-touch-required {}\n", key(1)),
            "line 1",
            "unsupported option",
        ),
        (format!("*@x {}\n", key(1)), "line 1", "wildcards"),
        (
            format!("a@x {}\nb@x {}\n", key(1), key(1)),
            "line 2",
            "same key as line 1",
        ),
        ("a@x\n".to_string(), "line 1", "expected"),
        ("a@x ssh-ed25519\n".to_string(), "line 1", "base64"),
        (
            "a@x ssh-ed25519 AAAAnotakey\n".to_string(),
            "line 1",
            "not an OpenSSH",
        ),
        (
            "a@x ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ==\n".to_string(),
            "line 1",
            "not Ed25519",
        ),
        (
            format!("a@x namespaces=\"git\" {}\n", key(1)),
            "line 1",
            "no importable key",
        ),
        (
            "a@x valid-after=\"2017 {}\n".to_string(),
            "line 1",
            "unterminated",
        ),
        (
            format!(
                "a@x valid-after=\"20200101\",valid-before=\"20190101\" {}\n",
                key(1)
            ),
            "line 1",
            "after valid_until",
        ),
        (
            "# only comments\n\n".to_string(),
            "allowed_signers",
            "no signer lines",
        ),
    ];
    for (i, (contents, line, want)) in cases.iter().enumerate() {
        let err = import_allowed_signers(dir.path(), contents, &select(None, "", "A"), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains(line) && err.contains(want), "case {i}: {err}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn write_all_or_nothing_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let old = dir.path().join("old");
    std::fs::write(&old, b"old bytes").unwrap();
    let writes = [
        PendingWrite {
            path: a.clone(),
            bytes: Zeroizing::new(b"new a".to_vec()),
            mode: 0o600,
        },
        PendingWrite {
            path: old.clone(),
            bytes: Zeroizing::new(b"new old".to_vec()),
            mode: 0o600,
        },
        PendingWrite {
            path: dir.path().join("missing-dir").join("x"),
            bytes: Zeroizing::new(b"x".to_vec()),
            mode: 0o600,
        },
    ];
    assert!(write_all_or_nothing(&writes, true).is_err());
    assert!(!a.exists());
    assert_eq!(std::fs::read(&old).unwrap(), b"old bytes");
    // Without force an existing target stops everything before any write.
    assert!(matches!(
        write_all_or_nothing(&writes[..2], false),
        Err(Error::Input(InputError::Exists { .. }))
    ));
    assert!(!a.exists());
}

#[test]
fn locate_store_order() {
    use std::ffi::OsStr;
    let os = |s: &'static str| Some(OsStr::new(s));
    let all = |_: &Path| true;
    let none = |_: &Path| false;
    let l = locate_store(Some(Path::new("k")), os("/env"), os("/x"), os("/h"), all);
    assert_eq!(
        (l.path.as_deref(), l.source),
        (Some(Path::new("k")), StoreSource::Flag)
    );
    assert_eq!(l.describe(), "k (--keys)");
    let l = locate_store(None, os("/env"), os("/x"), os("/h"), none);
    assert_eq!(
        (l.path.as_deref(), l.source),
        (Some(Path::new("/env")), StoreSource::Env)
    );
    assert_eq!(l.describe(), "/env (TRANSMITTAL_KEYS)");
    // An empty TRANSMITTAL_KEYS names nothing; XDG_CONFIG_HOME wins over HOME.
    let l = locate_store(None, os(""), os("/x"), os("/h"), all);
    assert_eq!(l.path.as_deref(), Some(Path::new("/x/transmittal/keys")));
    assert_eq!(l.source, StoreSource::User);
    assert_eq!(l.describe(), "/x/transmittal/keys (user store)");
    // XDG_CONFIG_HOME empty or relative: HOME/.config.
    for xdg in [None, os(""), os("relative")] {
        let l = locate_store(None, None, xdg, os("/h"), all);
        assert_eq!(
            l.path.as_deref(),
            Some(Path::new("/h/.config/transmittal/keys")),
            "{xdg:?}"
        );
    }
    // The user store missing: the system store.
    let l = locate_store(None, None, None, os("/h"), |p: &Path| {
        p == Path::new(SYSTEM_STORE)
    });
    assert_eq!(l.source, StoreSource::System);
    assert_eq!(l.searched.len(), 2);
    assert_eq!(l.describe(), "/etc/transmittal/keys (system store)");
    // Nothing: where it looked.
    let l = locate_store(None, None, None, os("/h"), none);
    assert_eq!((l.path.clone(), l.source), (None, StoreSource::None));
    assert_eq!(
        l.describe(),
        "none found (looked in: /h/.config/transmittal/keys, /etc/transmittal/keys)"
    );
    let l = locate_store(None, None, None, None, none);
    assert_eq!(l.searched, [PathBuf::from(SYSTEM_STORE)]);
    // Writing: never the system store.
    let w = store_for_writing(None, None, None, os("/h")).unwrap();
    assert_eq!(w.source, StoreSource::User);
    assert!(store_for_writing(None, None, None, None)
        .unwrap_err()
        .to_string()
        .contains("--keys"));
    assert_eq!(
        store_for_writing(None, os("/e"), None, None)
            .unwrap()
            .source,
        StoreSource::Env
    );
}

#[test]
fn open_checks_named_stores() {
    let dir = tempfile::tempdir().unwrap();
    let named = |p: &Path, source| StoreLocation {
        path: Some(p.to_path_buf()),
        source,
        searched: vec![p.to_path_buf()],
    };
    // Named and missing, named and empty: errors that say what to do.
    let missing = dir.path().join("missing");
    let err = open(&named(&missing, StoreSource::Flag)).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("missing (--keys) does not exist") && msg.contains("keys import"),
        "{msg}"
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let msg = open(&named(&empty, StoreSource::Env))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("(TRANSMITTAL_KEYS) holds no entries"), "{msg}");
    // A user store that is empty is simply empty; none found is empty and says where.
    let s = open(&named(&empty, StoreSource::User)).unwrap();
    assert!(s.is_empty());
    let none = StoreLocation {
        path: None,
        source: StoreSource::None,
        searched: vec![missing.clone()],
    };
    let s = open(&none).unwrap();
    assert!(s.is_empty());
    assert_eq!(s.dir(), missing);
    assert!(
        s.describe().starts_with("none found (looked in: "),
        "{}",
        s.describe()
    );
    // A good store knows where it came from.
    let e = entry(&empty, "a", "Alpha", 1);
    write_entry(&empty, &e, false).unwrap();
    let s = open(&named(&empty, StoreSource::Flag)).unwrap();
    assert_eq!(s.entries().len(), 1);
    assert_eq!(s.location().source, StoreSource::Flag);
    assert!(s.describe().ends_with(" (--keys)"));
    assert_eq!(load(&empty).unwrap().location().source, StoreSource::Dir);
}

#[cfg(unix)]
#[test]
fn writable_stores_refused() {
    use std::os::unix::fs::PermissionsExt;
    let set =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("keys");
    create_store_dir(&store).unwrap();
    assert_eq!(
        std::fs::metadata(&store).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let e = entry(&store, "a", "Alpha", 1);
    write_entry(&store, &e, false).unwrap();
    let loc = StoreLocation::given(&store);
    assert!(open(&loc).is_ok());
    set(&store, 0o775);
    let msg = open(&loc).unwrap_err().to_string();
    assert!(
        msg.contains("writable by group or others (mode 775)")
            && msg.contains(&format!("chmod go-w {}", store.display())),
        "{msg}"
    );
    assert!(create_store_dir(&store).is_err());
    set(&store, 0o755);
    set(&e.path, 0o646);
    let msg = open(&loc).unwrap_err().to_string();
    assert!(
        msg.contains("a.pub.json") && msg.contains("chmod go-w"),
        "{msg}"
    );
    assert!(check_store_permissions(&store).is_err());
    set(&e.path, 0o644);
    check_store_permissions(&store).unwrap();
    // The repository's store as git checks it out (0755 directory, 0644 files) passes.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
    if std::fs::metadata(&repo).unwrap().permissions().mode() & 0o022 == 0 {
        assert!(!open(&StoreLocation::given(&repo)).unwrap().is_empty());
    }
}

#[test]
fn load_is_fast() {
    let dir = tempfile::tempdir().unwrap();
    for n in 1..=8u8 {
        let id = format!("k{n}");
        write_entry(dir.path(), &entry(dir.path(), &id, "Name", n), false).unwrap();
    }
    let start = std::time::Instant::now();
    let runs = 20;
    for _ in 0..runs {
        assert_eq!(load(dir.path()).unwrap().entries().len(), 8);
    }
    let per_load = start.elapsed() / runs;
    // Generous bound for debug builds on a busy machine; release is far faster.
    assert!(
        per_load < std::time::Duration::from_millis(50),
        "{per_load:?}"
    );
}
