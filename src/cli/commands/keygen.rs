//! `transmittal keygen`: a new signing key and its trust-store entry.

use crate::cli::output::Ctx;
use crate::cli::{passphrase, KeygenArgs};
use anyhow::Result;

/// Run `keygen`.
pub fn run(a: &KeygenArgs, ctx: &Ctx) -> Result<i32> {
    let mut opts =
        transmittal::keys::KeygenOptions::new(a.id.clone(), a.name.clone(), a.out_dir.clone());
    opts.title = a.title.clone();
    opts.organisation = a.org.clone();
    opts.valid_from = a.valid_from;
    opts.valid_until = a.valid_until;
    opts.also_known_as = a.also_known_as.clone();
    opts.force = a.force;
    if !a.unencrypted {
        opts.passphrase = Some(passphrase::new_passphrase(a.passphrase_file.as_deref())?);
    }
    let o = transmittal::keys::keygen(&opts)?;
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
