//! `transmittal keys list|revoke|import|export`: the trust store.

use crate::cli::errors::Outcome;
use crate::cli::output::{load_store, out, out_json, store_to_write, Ctx};
use crate::cli::{advice, ImportArgs, KeysArg, KeysCommand};
use anyhow::Result;
use anyhow::{anyhow, Context as _};
use std::path::Path;
use std::path::PathBuf;
use transmittal::dates::{format_iso, Date};
use transmittal::fsutil::{self, MAX_METADATA_BYTES};
use transmittal::keys::ssh_fingerprint;
use transmittal::trust::AnchorKind;
use transmittal::trust::TrustEntry;

/// Run `keys ACTION`.
pub fn run(action: &KeysCommand, ctx: &Ctx) -> Outcome {
    match action {
        KeysCommand::List { keys, json } => list(keys, *json, ctx),
        KeysCommand::Revoke {
            id,
            at,
            reason,
            note,
            replace,
            keys,
        } => revoke(id, *at, reason.kind(), note.as_deref(), *replace, keys, ctx),
        KeysCommand::Import(a) => import(a, ctx),
        KeysCommand::Export { id, pem, keys } => export(id, *pem, keys),
    }
}

/// `keys list [--json]`.
fn list(keys: &KeysArg, json: bool, ctx: &Ctx) -> Outcome {
    let store = load_store(keys)?;
    if json {
        let keys: Vec<serde_json::Value> = store.entries().iter().map(entry_json).collect();
        let store_dir = store
            .location()
            .path
            .as_ref()
            .map(|p| p.display().to_string());
        out_json(&transmittal::schema::Tagged::new(
            transmittal::schema::KEYS,
            &KeysList {
                store: store_dir,
                keys,
                roots: store.anchors().roots.iter().map(|c| cert_json(c)).collect(),
                tsa_roots: store
                    .anchors()
                    .tsa_roots
                    .iter()
                    .map(|c| cert_json(c))
                    .collect(),
                crls: store.anchors().crls.len(),
            },
        ))?;
    } else if !ctx.quiet() {
        let n = store.entries().len();
        let mut s = format!(
            "trust store {}: {} entr{}\n",
            store.describe(),
            n,
            if n == 1 { "y" } else { "ies" }
        );
        for e in store.entries() {
            s.push_str(&entry_line(e));
        }
        let anchors = store.anchors();
        for (what, certs) in [
            ("organisation root", &anchors.roots),
            ("TSA root", &anchors.tsa_roots),
        ] {
            for c in certs {
                let v = cert_json(c);
                s.push_str(&format!(
                    "{what}: {}  valid {} .. {}\n",
                    v["subject"].as_str().unwrap_or(""),
                    v["not_before"].as_str().unwrap_or("-"),
                    v["not_after"].as_str().unwrap_or("-")
                ));
            }
        }
        if !anchors.crls.is_empty() {
            s.push_str(&format!("CRLs: {}\n", anchors.crls.len()));
        }
        out(&s)?;
    }
    Ok(0)
}

/// The body of `keys list --json` (`transmittal-keys-v2`).
#[derive(serde::Serialize)]
struct KeysList {
    /// The trust-store directory listed (`null` when none was found).
    store: Option<String>,
    /// Its entries, in the store's order.
    keys: Vec<serde_json::Value>,
    /// Organisation roots (`roots/`).
    roots: Vec<serde_json::Value>,
    /// Time-stamping authorities' roots (`tsa/`).
    tsa_roots: Vec<serde_json::Value>,
    /// How many CRLs (`crls/`).
    crls: usize,
}

/// One certificate of `keys list --json` (the store loaded it, so it decodes; if not, its
/// subject says so).
fn cert_json(der: &[u8]) -> serde_json::Value {
    use sha2::Digest as _;
    let sha256 = hex::encode(sha2::Sha256::digest(der));
    match transmittal::pkix::path::describe_certificate(der) {
        Ok(i) => serde_json::json!({
            "subject": i.subject, "sha256": sha256,
            "not_before": transmittal::pkix::name::rfc3339(i.not_before),
            "not_after": transmittal::pkix::name::rfc3339(i.not_after),
        }),
        Err(e) => serde_json::json!({"subject": format!("(undecodable: {e})"), "sha256": sha256,
            "not_before": null, "not_after": null}),
    }
}

/// One entry of `keys list --json`.
fn entry_json(e: &TrustEntry) -> serde_json::Value {
    serde_json::json!({
        "id": e.id, "name": e.name, "title": e.title, "organisation": e.organisation,
        "key_id": e.key_id, "public_key": hex::encode(e.public_key),
        "fingerprint": hex::encode(e.fingerprint),
        "ssh_fingerprint": ssh_fingerprint(&e.public_key),
        "valid_from": e.valid_from.map(format_iso),
        "valid_until": e.valid_until.map(format_iso),
        "revoked_at": e.revoked_at.map(format_iso),
        "revocation_reason": e.revocation_reason,
        "note": e.note,
        "also_known_as": e.also_known_as,
        "path": e.path.display().to_string(),
    })
}

/// One line of `keys list`.
fn entry_line(e: &TrustEntry) -> String {
    let window = format!(
        "{} .. {}",
        e.valid_from.map(format_iso).unwrap_or_else(|| "-".into()),
        e.valid_until.map(format_iso).unwrap_or_else(|| "-".into())
    );
    format!(
        "{:<16} {:<16} {} {}{}{}  valid {}{}\n",
        e.id,
        e.key_id,
        ssh_fingerprint(&e.public_key),
        e.name,
        if e.also_known_as.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", e.also_known_as.join("; "))
        },
        e.title
            .as_ref()
            .map(|t| format!(", {t}"))
            .unwrap_or_default(),
        window,
        e.revoked_at
            .map(|r| format!("  REVOKED {}", format_iso(r)))
            .unwrap_or_default()
    )
}

/// `keys revoke ID --at DATE --reason KIND [--note TEXT] [--replace]`.
fn revoke(
    id: &str,
    at: Date,
    kind: transmittal::trust::RevocationKind,
    note: Option<&str>,
    replace: bool,
    keys: &KeysArg,
    ctx: &Ctx,
) -> Outcome {
    let dir = store_to_write(keys)?;
    let id = &advice::resolve_key_id(&dir, id)?;
    advice::check_revocation_replace(&dir, id, replace)?;
    let e = transmittal::trust::revoke(&dir, id, at, kind, note)?;
    if !ctx.quiet() {
        eprintln!(
            "revoked {} ({}) from {} on as {}; wrote {}",
            e.id,
            e.name,
            format_iso(at),
            kind.as_str(),
            e.path.display()
        );
    }
    Ok(0)
}

/// Read a public key file as UTF-8 text.
fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
        .map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))
}

/// `keys import --ssh|--pem|--allowed-signers`.
fn import(a: &ImportArgs, ctx: &Ctx) -> Outcome {
    let mut d = transmittal::trust::EntryDetails::new(
        a.id.clone().unwrap_or_default(),
        a.name.clone().unwrap_or_default(),
    );
    d.title = a.title.clone();
    d.organisation = a.org.clone();
    d.valid_from = a.valid_from;
    d.valid_until = a.valid_until;
    d.also_known_as = a.also_known_as.clone();
    let imported = |e: &TrustEntry| {
        if !ctx.quiet() {
            eprintln!("imported {} ({}) as {}", e.name, e.key_id, e.path.display());
        }
    };
    if let Some(path) = &a.ssh {
        let text = read_text(path)?;
        let dir = store_to_write(&a.keys)?;
        let e = transmittal::trust::import_ssh_public(&dir, &text, &d, a.force)
            .with_context(|| format!("importing {}", path.display()))?;
        imported(&e);
    } else if let Some(path) = &a.pem {
        let text = read_text(path)?;
        let dir = store_to_write(&a.keys)?;
        let e = transmittal::trust::import_pem_public(&dir, &text, &d, a.force)
            .with_context(|| format!("importing {}", path.display()))?;
        imported(&e);
    } else if let Some(path) = &a.x509 {
        import_x509(a, path, d, ctx)?;
    } else if let Some(path) = &a.crl {
        let bytes = fsutil::read_limited(path, transmittal::pkix::pem::MAX_PEM_FILE_BYTES as u64)?;
        let crls = transmittal::pkix::pem::crls(&bytes)
            .map_err(|why| anyhow!("{}: not a CRL: {why}", path.display()))?;
        let dir = store_to_write(&a.keys)?;
        for crl in crls {
            let written = transmittal::trust::write_anchor(&dir, AnchorKind::Crl, &crl, a.force)?;
            if !ctx.quiet() {
                eprintln!(
                    "imported the CRL {} as {}",
                    path.display(),
                    written.display()
                );
            }
        }
    } else if let Some(path) = &a.allowed_signers {
        let text = read_text(path)?;
        let dir = store_to_write(&a.keys)?;
        let select = transmittal::trust::AllowedSignersImport {
            principal: a.principal.clone(),
            details: d,
        };
        let outcome = transmittal::trust::import_allowed_signers(&dir, &text, &select, a.force)
            .with_context(|| format!("importing {}", path.display()))?;
        for w in &outcome.warnings {
            eprintln!("transmittal: warning: {}: {w}", path.display());
        }
        outcome.entries.iter().for_each(imported);
    }
    Ok(0)
}

/// `keys export ID [--pem]`.
fn export(id: &str, pem: bool, keys: &KeysArg) -> Outcome {
    let store = load_store(keys)?;
    let e =
        advice::by_id_or_fingerprint(&store, id).ok_or_else(|| advice::unknown_id(id, &store))?;
    if pem {
        out(&transmittal::trust::pem_spki(&e.public_key)?)?;
    } else {
        out(&format!("{}\n", hex::encode(e.public_key)))?;
    }
    Ok(0)
}

/// `keys import --x509 CERT [--tsa]`: a CA certificate becomes a root of the store, a
/// signatory's certificate an entry.
fn import_x509(
    a: &ImportArgs,
    path: &Path,
    mut d: transmittal::trust::EntryDetails,
    ctx: &Ctx,
) -> Result<()> {
    let bytes = fsutil::read_limited(path, transmittal::pkix::pem::MAX_PEM_FILE_BYTES as u64)?;
    let certs = transmittal::pkix::pem::certificates(&bytes)
        .map_err(|why| anyhow!("{}: not a certificate file: {why}", path.display()))?;
    let [der] = certs.as_slice() else {
        return Err(anyhow!(
            "{}: holds {} certificates; import one at a time",
            path.display(),
            certs.len()
        ));
    };
    let info = transmittal::pkix::path::describe_certificate(der)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let dir = store_to_write(&a.keys)?;
    if info.is_ca || a.tsa {
        if !info.is_ca {
            return Err(anyhow!(
                "{}: {} is not a CA certificate (basic constraints); import the TSA's root, not its own certificate",
                path.display(),
                info.subject
            ));
        }
        let (kind, what) = if a.tsa {
            (AnchorKind::TsaRoot, "a time-stamping authority root")
        } else {
            (AnchorKind::OrganisationRoot, "an organisation root")
        };
        let written = transmittal::trust::write_anchor(&dir, kind, der, a.force)?;
        if !ctx.quiet() {
            eprintln!(
                "trusting {} as {what}: {}; wrote {}",
                info.subject,
                if a.tsa {
                    "its tokens now prove when signatures existed"
                } else {
                    "every document-signing certificate it issues now vouches for its subject"
                },
                written.display()
            );
        }
        return Ok(());
    }
    let Some(public_key) = info.public_key else {
        return Err(anyhow!(
            "{}: {} certifies no Ed25519 key, so it cannot vouch for transmittal signatures",
            path.display(),
            info.subject
        ));
    };
    if d.id.is_empty() {
        return Err(anyhow!(
            "importing a signatory's certificate as an entry needs --id ID"
        ));
    }
    if d.name.is_empty() {
        d.name = info.name.clone().ok_or_else(|| {
            anyhow!(
                "{}: the certificate has no common name; give --name",
                path.display()
            )
        })?;
    }
    d.title = d.title.or(info.title.clone());
    d.organisation = d.organisation.or(info.organisation.clone());
    let day = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .map(|t| t.date())
            .ok()
    };
    // Entries are valid for whole days: the first day the certificate covers from midnight,
    // the last it covers to 23:59:59 UTC.
    let from = day(info.not_before).and_then(|d| {
        if info.not_before.rem_euclid(86_400) == 0 {
            Some(d)
        } else {
            d.next_day()
        }
    });
    let until = day(info.not_after).and_then(|d| {
        if (info.not_after + 1).rem_euclid(86_400) == 0 {
            Some(d)
        } else {
            d.previous_day()
        }
    });
    d.valid_from = d.valid_from.or(from);
    d.valid_until = d.valid_until.or(until);
    let entry = transmittal::trust::TrustEntry::build(&d, public_key, PathBuf::new())
        .map_err(|why| anyhow!("{}: {why}", path.display()))?;
    let e = transmittal::trust::write_entry(&dir, &entry, a.force)?;
    if !ctx.quiet() {
        eprintln!(
            "imported {} ({}) from the certificate {} as {}",
            e.name,
            e.key_id,
            info.subject,
            e.path.display()
        );
    }
    Ok(())
}
