//! `transmittal keygen`: a new signing key and its trust-store entry.

use crate::cli::errors::Outcome;
use crate::cli::output::Ctx;
use crate::cli::{advice, passphrase, KeygenArgs};
use anyhow::anyhow;
use anyhow::Result;
use std::path::PathBuf;

/// Run `keygen`.
pub fn run(a: &KeygenArgs, ctx: &Ctx) -> Outcome {
    let secret_dir = secret_dir(a)?;
    // Refused before a passphrase is asked for.
    advice::check_secret_dir(&secret_dir, &a.out_dir)?;
    let mut opts = transmittal::keys::KeygenOptions::new(
        a.id.clone(),
        a.name.clone(),
        a.out_dir.clone(),
        secret_dir,
    );
    opts.title = a.title.clone();
    opts.organisation = a.org.clone();
    opts.valid_from = a.valid_from;
    opts.valid_until = a.valid_until;
    opts.also_known_as = a.also_known_as.clone();
    opts.force = a.force;
    if !a.unencrypted {
        opts.passphrase = Some(passphrase::new_passphrase(a.passphrase_file.as_deref())?);
    }
    if let Some(csr) = &a.csr {
        if csr.exists() && !a.force {
            return Err(anyhow!(
                "{} exists; choose another --csr FILE or add --force",
                csr.display()
            )
            .into());
        }
    }
    let o = transmittal::keys::keygen(&opts)?;
    if let Some(csr) = &a.csr {
        let passphrase = opts.passphrase.clone().unwrap_or_default();
        let secret =
            transmittal::keys::load_secret_key(&o.secret_path, &mut || Ok(passphrase.clone()))?;
        let pem = transmittal::keys::csr::csr_pem(
            secret.signing_key(),
            &a.name,
            a.title.as_deref(),
            a.org.as_deref(),
        )
        .map_err(|e| anyhow!("the certificate request: {e}"))?;
        transmittal::fsutil::write_atomic(
            csr,
            pem.as_bytes(),
            None,
            transmittal::fsutil::Existing::Replace,
        )?;
        if !ctx.quiet() {
            eprintln!(
                "wrote certificate request {} (send it to your organisation's CA; `transmittal sign --cert CERT.pem` embeds what it issues)",
                csr.display()
            );
        }
    }
    if !ctx.quiet() {
        eprintln!(
            "wrote secret key {} (mode 0600{}) and trust-store entry {} (key id {})",
            o.secret_path.display(),
            if a.unencrypted {
                ", unencrypted"
            } else {
                ", encrypted"
            },
            o.entry_path.display(),
            o.entry.key_id
        );
    }
    Ok(0)
}

/// `--secret-dir`, else the user's folder for secret keys
/// ([`transmittal::keys::user_secret_dir`]).
fn secret_dir(a: &KeygenArgs) -> Result<PathBuf> {
    if let Some(d) = &a.secret_dir {
        return Ok(d.clone());
    }
    transmittal::keys::user_secret_dir(
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )
    .ok_or_else(|| {
        anyhow!(
            "no folder for the secret key: neither HOME nor XDG_CONFIG_HOME is set; name one with --secret-dir DIR"
        )
    })
}
