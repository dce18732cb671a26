//! Command-line definitions (clap derive). Everything the user types is declared here; `main.rs`
//! maps it to library calls. The global options ([`GlobalOpts`]) and the arguments of `verify`
//! ([`VerifyArgs`]) are structs of their own so that `main.rs` can build the parser of `verify`
//! alone for the command run most often, from these same definitions.

use super::values::{self, LetterDate};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use transmittal::dates::Date;

/// Hash, sign and verify the layers of official transmittal chains.
#[derive(Debug, Parser)]
#[command(
    name = "transmittal",
    version,
    about,
    long_about = "Hash, sign and verify the layers of official transmittal chains: a cover letter that \
transmits a letter that encloses a report. Each signatory's Ed25519 signature binds their identity to \
their own layer and everything beneath it.\n\nExit codes: 0 valid, 1 invalid (or signing refused), \
2 usage or input error, 3 indeterminate (e.g. an unknown key).",
    after_help = "Examples:\n  transmittal verify examples/kfor-2017-q3.md\n  transmittal inspect report.md --json\n  transmittal sign report.md --key ~/.config/transmittal/secret/me.key --date 2017-10-18"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

// The options every subcommand takes (a struct of their own so that `main::parse_args` can build
// the parser of one subcommand alone). No doc comment: on a flattened struct clap could take it
// for the command's description.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, Args)]
pub struct GlobalOpts {
    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on success; only the exit code speaks (errors still go to stderr).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

pub use super::values::CommitmentArg;

/// Trust-store location.
#[derive(Debug, Clone, Args)]
pub struct KeysArg {
    /// Trust-store directory (one ID.pub.json per identity) [default: $TRANSMITTAL_KEYS, else
    /// $XDG_CONFIG_HOME/transmittal/keys (~/.config/transmittal/keys), else
    /// /etc/transmittal/keys; never ./keys].
    #[arg(long = "keys", value_name = "DIR")]
    pub keys: Option<PathBuf>,
}

// The arguments of `verify` (a struct of their own so that `cli::fast` can build the
// parser of `verify` alone, the command run most often). No doc comment, as for [`GlobalOpts`].
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The document (`-` for standard input, then --sig is required).
    pub doc: PathBuf,
    /// Signature file [default: DOC.sig.json].
    #[arg(long, value_name = "PATH")]
    pub sig: Option<PathBuf>,
    #[command(flatten)]
    pub keys: KeysArg,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Treat warnings (uncovered header, invisible characters, parser disagreement) as failures.
    #[arg(long)]
    pub strict: bool,
    /// Make a signature without a trusted RFC 3161 timestamp indeterminate (timestamp-missing).
    #[arg(long)]
    pub require_timestamp: bool,
    /// A certificate revocation list (PEM or DER) for organisation certificates, besides the
    /// trust store's crls/ folder (repeatable).
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// Accept CRLs past their nextUpdate (else such a CRL makes the signature indeterminate).
    #[arg(long)]
    pub allow_stale_crl: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the layers the parser finds, with their hashes.
    #[command(after_help = "Example:\n  transmittal inspect examples/kfor-2017-q3.md --json")]
    Inspect {
        /// The document (`-` for standard input).
        doc: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print the canonical Merkle root of a whole document.
    #[command(after_help = "Example:\n  transmittal hash report.md")]
    Hash {
        /// The document (`-` for standard input).
        doc: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Verify every signature, layer and line of a document.
    #[command(
        after_help = "Examples:\n  transmittal verify examples/kfor-2017-q3.md\n  transmittal verify report.md --sig report.sig.json --keys /etc/transmittal/keys --json"
    )]
    Verify(VerifyArgs),
    /// Print only the text that valid signatures cover, layer by layer, with its signatories.
    #[command(
        after_help = "Every span no valid signature covers (the publication header, a changed or unsigned layer, inserted text) is replaced by a placeholder naming its lines. Exit codes as for verify.\n\nExample:\n  transmittal show examples/kfor-2017-q3.md --keys keys"
    )]
    Show(VerifyArgs),
    /// Sign one layer of a document.
    #[command(
        after_help = "Example:\n  transmittal sign nato-letter.md --key examples/demo-keys/stoltenberg.key --date 2017-10-18"
    )]
    Sign(SignArgs),
    /// Add RFC 3161 timestamps to the signatures of a document (proof of when they existed).
    #[command(
        after_help = "A time-stamping authority (TSA) signs SHA-256 of each signature's 64 bytes with the time it saw them. Recipients who trust the TSA's root (their trust store's tsa/ folder) then know the signature existed at that time; a key revoked as compromised only vouches for signatures proven to be older than its revocation. Plain http:// URLs (the token is signed; the request holds only a hash).\n\nExamples:\n  transmittal timestamp report.md --tsa http://timestamp.digicert.com\n  transmittal timestamp report.md --layer 1 --tsa http://127.0.0.1:3161/\n  transmittal timestamp report.md --tsa-token reply.tsr   (from `openssl ts -reply`, matched to its signature)"
    )]
    Timestamp(TimestampArgs),
    /// Wrap a signed document in a new cover letter (a new, unsigned outer layer).
    #[command(
        after_help = "Example:\n  transmittal wrap --inner nato.md --cover un-cover.md --heading Annex --original English --out un.md"
    )]
    Wrap(WrapArgs),
    /// Cut out a layer and everything beneath it, with their signatures.
    #[command(
        after_help = "Example:\n  transmittal extract examples/kfor-2017-q3.md --layer 1 --out nato.md"
    )]
    Extract(ExtractArgs),
    /// Generate a signing key and its trust-store entry.
    #[command(
        after_help = "The public entry goes to the trust store (--out-dir), the secret key to your own folder (--secret-dir, by default ~/.config/transmittal/secret), never into a trust store.\n\nExample:\n  transmittal keygen --id stoltenberg --name \"Jens Stoltenberg\" --title \"Secretary-General of NATO\" --valid-from 2014-10-01 --out-dir keys\n  transmittal sign letter.md --key ~/.config/transmittal/secret/stoltenberg.key"
    )]
    Keygen(KeygenArgs),
    /// Manage the trust store.
    #[command(
        after_help = "Examples:\n  transmittal keys list\n  transmittal keys import --ssh ~/.ssh/id_ed25519.pub --id me --name \"Jens Stoltenberg\""
    )]
    Keys {
        /// The action.
        #[command(subcommand)]
        action: KeysCommand,
    },
    /// Verify many documents at once (every X with an X.sig.json beside it).
    #[command(
        after_help = "Examples:\n  transmittal audit archive/ --json > audit.jsonl\n  find archive -name '*.md' | transmittal audit - --require-signed"
    )]
    Audit(AuditArgs),
    /// Write the exact bytes a layer's signature covers (for signing or checking with OpenSSL).
    #[command(
        after_help = "Examples:\n  transmittal payload doc.md --layer 1 > statement.txt\n  transmittal payload doc.md --signer stoltenberg --date 2017-10-18 > statement.txt\n  openssl pkeyutl -sign -rawin -inkey key.pem -in statement.txt -out sig.bin\n  transmittal payload doc.md --signer stoltenberg --date 2017-10-18 --attach sig.bin\n\nWith --signer, the same checks as `sign` run first; on a document without a signature file the structure is the parser's proposal, and --attach creates the signature file."
    )]
    Payload(PayloadArgs),
    /// Compare two copies of one transmittal, layer by layer, word by word.
    #[command(after_help = "Example:\n  transmittal diff web-copy.md pdf-copy.txt")]
    Diff {
        /// First copy.
        a: PathBuf,
        /// Second copy.
        b: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  transmittal completions bash > /etc/bash_completion.d/transmittal"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff), or write them all to a directory.
    #[command(
        after_help = "Examples:\n  transmittal man > transmittal.1 && man ./transmittal.1\n  transmittal man keys import | man -l -\n  transmittal man --out-dir /usr/local/share/man/man1"
    )]
    Man {
        /// The command whose page to print, e.g. `keys import` [default: the main page].
        #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
        command: Vec<String>,
        /// Write every page to DIR as transmittal.1, transmittal-verify.1, … (DIR is created if
        /// missing; files are replaced atomically).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// Trust-store actions.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List the trust store.
    #[command(after_help = "Example:\n  transmittal keys list --json")]
    List {
        #[command(flatten)]
        keys: KeysArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key from a date on.
    #[command(
        after_help = "Reasons:\n  compromised  someone else may hold the key: a signature then counts only if a trusted\n               timestamp proves it existed before DATE; the dates it claims prove nothing\n  superseded   replaced by a newer key: signatures dated before DATE stand\n  retired      no longer used: signatures dated before DATE stand\n\nExample:\n  transmittal keys revoke stoltenberg --at 2020-01-01 --reason compromised --note \"laptop stolen\""
    )]
    Revoke {
        /// Trust-store id (or the key's SHA256: fingerprint).
        id: String,
        /// Effective date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = values::date)]
        at: Date,
        /// Why: compromised, superseded or retired.
        #[arg(long, value_enum)]
        reason: RevocationReason,
        /// Free text added to the entry's note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Replace an existing revocation (its date and reason).
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        keys: KeysArg,
    },
    /// Import OpenSSH public keys as trust-store entries.
    #[command(
        after_help = "Examples:\n  transmittal keys import --ssh ~/.ssh/id_ed25519.pub --id me --name \"Jens Stoltenberg\"\n  transmittal keys import --pem pub.pem --id me --name \"Jens Stoltenberg\"\n  transmittal keys import --allowed-signers ~/.ssh/allowed_signers --principal jens@nato.int --name \"Jens Stoltenberg\"\n\nWithout --keys or TRANSMITTAL_KEYS, entries go to the user's store (~/.config/transmittal/keys), created if missing.\nFrom an allowed_signers file only ssh-ed25519 keys whose namespaces= (if any) include \"transmittal\" are imported; other lines are skipped with a warning."
    )]
    Import(Box<ImportArgs>),
    /// Export a public key.
    #[command(
        after_help = "Example:\n  transmittal keys export stoltenberg --pem > stoltenberg.pem"
    )]
    Export {
        /// Trust-store id (or the key's SHA256: fingerprint).
        id: String,
        /// As PEM SubjectPublicKeyInfo (for OpenSSL).
        #[arg(long)]
        pem: bool,
        #[command(flatten)]
        keys: KeysArg,
    },
}

// The arguments of `sign` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// The document.
    pub doc: PathBuf,
    /// Secret key file (transmittal key or OpenSSH Ed25519 private key).
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,
    /// Layer to sign [default: the one whose "(Signed)" line names the key's identity].
    #[arg(long, value_name = "INDEX")]
    pub layer: Option<usize>,
    /// Signature file [default: DOC.sig.json].
    #[arg(long, value_name = "PATH")]
    pub sig: Option<PathBuf>,
    #[command(flatten)]
    pub keys: KeysArg,
    /// Signing date to declare (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub date: Option<Date>,
    /// Letter date of the layer (YYYY-MM-DD, or `none`) [default: from the text].
    #[arg(long, value_name = "DATE", value_parser = values::letter_date)]
    pub letter_date: Option<LetterDate>,
    /// Commitment to what lies beneath [default: transmits when the layer beneath is signed, else endorses].
    #[arg(long, value_enum)]
    pub commitment: Option<CommitmentArg>,
    /// Sign even if the text holds invisible or bidirectional control characters.
    #[arg(long)]
    pub allow_invisible: bool,
    /// Sign a structure whose boundaries the parser only inferred (after checking `inspect`).
    #[arg(long)]
    pub accept_structure: bool,
    /// Sign even if the layer holds text a Markdown reader does not see (comments, raw HTML).
    #[arg(long)]
    pub allow_hidden: bool,
    /// Sign a --letter-date that contradicts the date the letter's own text gives.
    #[arg(long, requires = "letter_date")]
    pub force_letter_date: bool,
    /// Read the passphrase of an encrypted key from the first line of FILE (a regular file
    /// only its owner can read) [before TRANSMITTAL_PASSPHRASE and the terminal].
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Get an RFC 3161 timestamp of the new signature from this TSA (nothing is written if it
    /// fails).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Seconds to wait for the TSA.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "tsa")]
    pub tsa_timeout: u64,
    /// Your X.509 certificate (PEM or DER), issued by your organisation for this key: embedded
    /// so that recipients who trust the organisation's root need no entry for you.
    #[arg(long, value_name = "CERT.pem")]
    pub cert: Option<PathBuf>,
    /// Intermediate CA certificates (PEM) to embed after --cert.
    #[arg(long, value_name = "CHAIN.pem", requires = "cert")]
    pub chain: Option<PathBuf>,
}

// The arguments of `timestamp` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["tsa", "tsa_token"]))]
pub struct TimestampArgs {
    /// The document.
    pub doc: PathBuf,
    /// Signature file [default: DOC.sig.json].
    #[arg(long, value_name = "PATH")]
    pub sig: Option<PathBuf>,
    /// Stamp the signatures of this layer only [default: every layer].
    #[arg(long, value_name = "INDEX", conflicts_with = "tsa_token")]
    pub layer: Option<usize>,
    /// The TSA's URL (HTTP POST of an RFC 3161 request).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Attach a reply or token obtained elsewhere (DER; `openssl ts -reply` output), to the
    /// signature whose SHA-256 it covers.
    #[arg(long, value_name = "FILE")]
    pub tsa_token: Option<PathBuf>,
    /// Also stamp signatures that already carry a timestamp.
    #[arg(long, conflicts_with = "tsa_token")]
    pub again: bool,
    /// Seconds to wait for the TSA.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    #[command(flatten)]
    pub keys: KeysArg,
}

// The arguments of `wrap` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct WrapArgs {
    /// The signed inner document.
    #[arg(long, value_name = "DOC")]
    pub inner: PathBuf,
    /// Its signature file [default: INNER.sig.json].
    #[arg(long, value_name = "PATH")]
    pub inner_sig: Option<PathBuf>,
    /// The cover letter text.
    #[arg(long, value_name = "COVER.md")]
    pub cover: PathBuf,
    /// The container heading, e.g. Annex.
    #[arg(long)]
    pub heading: String,
    /// Adds "[Original: LANGUAGE]" under the heading.
    #[arg(long, value_name = "LANGUAGE")]
    pub original: Option<String>,
    /// The new document (its signature file is OUT.sig.json).
    #[arg(long, value_name = "NEW.md")]
    pub out: PathBuf,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
}

// The arguments of `extract` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    /// The signed document.
    pub doc: PathBuf,
    /// Signature file [default: DOC.sig.json].
    #[arg(long, value_name = "PATH")]
    pub sig: Option<PathBuf>,
    /// The layer to cut out (with everything beneath it).
    #[arg(long, value_name = "INDEX")]
    pub layer: usize,
    /// The new document (its signature file is OUT.sig.json).
    #[arg(long, value_name = "PART.md")]
    pub out: PathBuf,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
}

// The arguments of `keygen` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct KeygenArgs {
    /// Trust-store id (a-z, 0-9, '.', '_', '-').
    #[arg(long)]
    pub id: String,
    /// The name exactly as on the "(Signed)" line.
    #[arg(long)]
    pub name: String,
    /// Title, e.g. "Secretary-General of NATO".
    #[arg(long)]
    pub title: Option<String>,
    /// Organisation.
    #[arg(long)]
    pub org: Option<String>,
    /// First day the key is valid (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub valid_from: Option<Date>,
    /// Last day the key is valid (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub valid_until: Option<Date>,
    /// Another spelling of the name as documents print it, e.g. "Kofi A. Annan" (repeatable).
    #[arg(long, value_name = "NAME")]
    pub also_known_as: Vec<String>,
    /// The trust-store directory for the public entry ID.pub.json.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
    /// Where to write the secret key ID.key (created with mode 0700; never a trust store)
    /// [default: $XDG_CONFIG_HOME/transmittal/secret (~/.config/transmittal/secret)].
    #[arg(long, value_name = "DIR")]
    pub secret_dir: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
    /// Do not encrypt the secret key (for CI and demos).
    #[arg(long)]
    pub unencrypted: bool,
    /// Read the new key's passphrase from the first line of FILE (a regular file only its
    /// owner can read) [before TRANSMITTAL_PASSPHRASE and the terminal].
    #[arg(long, value_name = "FILE", conflicts_with = "unencrypted")]
    pub passphrase_file: Option<PathBuf>,
    /// Also write a certificate request (PKCS#10, PEM) for the new key to FILE, for your
    /// organisation's CA: subject CN = --name, title = --title, O = --org.
    #[arg(long, value_name = "FILE")]
    pub csr: Option<PathBuf>,
}

// The arguments of `audit` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Files or directories (`-` reads paths from standard input).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub keys: KeysArg,
    /// Parallel jobs [default: number of cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// JSON Lines: one record per document, then a summary record.
    #[arg(long)]
    pub json: bool,
    /// Stop at the first document that is not valid.
    #[arg(long)]
    pub fail_fast: bool,
    /// Count documents without a signature file as failures.
    #[arg(long)]
    pub require_signed: bool,
    /// Treat warnings as failures.
    #[arg(long)]
    pub strict: bool,
    /// Paths read from standard input (`-`) are separated by NUL bytes, as `find -print0`
    /// writes them, instead of newlines.
    #[arg(short = '0', long = "null")]
    pub null: bool,
    /// Also audit hidden files and directories (names starting with `.`) found in the
    /// directories walked; by default they are skipped and counted in the summary.
    #[arg(long)]
    pub hidden: bool,
    /// Succeed when no document is found (by default an audit that finds none is an error).
    #[arg(long)]
    pub allow_empty: bool,
    /// Print the wall-clock time and rate to standard error (the output itself is the same
    /// from run to run).
    #[arg(long)]
    pub timing: bool,
    /// Make a signature without a trusted RFC 3161 timestamp indeterminate (as for verify).
    #[arg(long)]
    pub require_timestamp: bool,
    /// A certificate revocation list (PEM or DER) besides the trust store's crls/ (repeatable).
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// Accept CRLs past their nextUpdate.
    #[arg(long)]
    pub allow_stale_crl: bool,
}

// The arguments of `payload` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct PayloadArgs {
    /// The document.
    pub doc: PathBuf,
    /// Signature file [default: DOC.sig.json].
    #[arg(long, value_name = "PATH")]
    pub sig: Option<PathBuf>,
    /// The layer [default with --signer: the one whose "(Signed)" line names the signer].
    #[arg(long, value_name = "INDEX")]
    pub layer: Option<usize>,
    /// An existing signature's statement (its index in the layer) [default: the layer's only
    /// signature].
    #[arg(long, value_name = "N", conflicts_with = "signer")]
    pub signature: Option<usize>,
    /// A new statement for this trust-store id.
    #[arg(long, value_name = "ID")]
    pub signer: Option<String>,
    #[command(flatten)]
    pub keys: KeysArg,
    /// Signing date for a new statement [default: today].
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub date: Option<Date>,
    /// Letter date for a new statement (YYYY-MM-DD or none) [default: from the text].
    #[arg(long, value_name = "DATE", value_parser = values::letter_date)]
    pub letter_date: Option<LetterDate>,
    /// Commitment for a new statement.
    #[arg(long, value_enum)]
    pub commitment: Option<CommitmentArg>,
    /// Add a signature made elsewhere (64 raw bytes or 128 hex digits) over this statement to
    /// the signature file, instead of printing the statement.
    #[arg(long, value_name = "FILE", requires = "signer")]
    pub attach: Option<PathBuf>,
    /// Prepare a statement for a structure whose boundaries the parser only inferred.
    #[arg(long)]
    pub accept_structure: bool,
    /// Prepare a statement even if the text holds invisible or bidirectional control characters.
    #[arg(long)]
    pub allow_invisible: bool,
    /// Prepare a statement even if the layer holds text a Markdown reader does not see.
    #[arg(long)]
    pub allow_hidden: bool,
    /// Prepare a --letter-date that contradicts the date the letter's own text gives.
    #[arg(long, requires = "letter_date")]
    pub force_letter_date: bool,
}

// The arguments of `import` (no doc comment: clap could take it for the command's
// description).
#[allow(missing_docs)]
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// An OpenSSH public key file (ssh-ed25519 …).
    #[arg(
        long,
        value_name = "KEY.pub",
        conflicts_with_all = ["allowed_signers", "pem", "x509", "crl"],
        required_unless_present_any = ["allowed_signers", "pem", "x509", "crl"]
    )]
    pub ssh: Option<PathBuf>,
    /// An X.509 certificate (PEM or DER). A CA certificate becomes a trusted organisation root
    /// (the store's roots/ folder), or with --tsa a trusted time-stamping authority (tsa/); a
    /// signatory's certificate for an Ed25519 key becomes an entry (--id required; name, title,
    /// organisation and validity from the certificate unless given).
    #[arg(long, value_name = "CERT.pem", conflicts_with_all = ["allowed_signers", "pem", "crl"])]
    pub x509: Option<PathBuf>,
    /// With --x509: trust the certificate as a time-stamping authority's root (tsa/).
    #[arg(long, requires = "x509")]
    pub tsa: bool,
    /// A certificate revocation list (PEM or DER) for the store's crls/ folder.
    #[arg(long, value_name = "CRL", conflicts_with_all = ["allowed_signers", "pem"])]
    pub crl: Option<PathBuf>,
    /// An Ed25519 public key in PEM SubjectPublicKeyInfo (`openssl pkey -pubout` writes it).
    #[arg(long, value_name = "KEY.pem", conflicts_with = "allowed_signers")]
    pub pem: Option<PathBuf>,
    /// An OpenSSH allowed_signers file.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// The principal to import from an allowed_signers file that names several.
    #[arg(long, value_name = "P", requires = "allowed_signers")]
    pub principal: Option<String>,
    /// Trust-store id (required with --ssh; with --allowed-signers, default: from the principal).
    #[arg(long, required_unless_present_any = ["allowed_signers", "x509", "crl"])]
    pub id: Option<String>,
    /// Name as on the "(Signed)" line (required: allowed_signers principals are not names).
    #[arg(long, required_unless_present_any = ["allowed_signers", "x509", "crl"])]
    pub name: Option<String>,
    /// Another spelling of the name as documents print it (repeatable).
    #[arg(long, value_name = "NAME")]
    pub also_known_as: Vec<String>,
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Organisation.
    #[arg(long)]
    pub org: Option<String>,
    /// First valid day.
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub valid_from: Option<Date>,
    /// Last valid day.
    #[arg(long, value_name = "DATE", value_parser = values::date)]
    pub valid_until: Option<Date>,
    /// Overwrite existing entries.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub keys: KeysArg,
}

/// `keys revoke --reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RevocationReason {
    /// Someone else may hold the key.
    Compromised,
    /// Replaced by a newer key.
    Superseded,
    /// No longer used.
    Retired,
}

impl RevocationReason {
    /// The trust store's kind.
    pub fn kind(self) -> transmittal::trust::RevocationKind {
        use transmittal::trust::RevocationKind;
        match self {
            RevocationReason::Compromised => RevocationKind::Compromised,
            RevocationReason::Superseded => RevocationKind::Superseded,
            RevocationReason::Retired => RevocationKind::Retired,
        }
    }
}
