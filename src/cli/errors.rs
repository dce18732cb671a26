//! From an error to what the user sees: the exit code, the `transmittal: error:` line on standard
//! error and, for a command run with `--json`, a `transmittal-error-v1` document on standard
//! output with a stable code (docs/FORMAT.md §12).

use transmittal::error::{Error, InputError, SignError};

/// Exit code of an invalid document, or of signing that is refused (docs/FORMAT.md §9).
pub const EXIT_INVALID: i32 = 1;
/// Exit code of a usage or input error.
pub const EXIT_ERROR: i32 = 2;

/// An error with a stable code for `--json` output, made by the command line itself (a missing
/// document, a missing signature file, an unusable trust store).
#[derive(Debug)]
pub struct Coded {
    /// The stable code (`input-not-found`, `signature-file-not-found`, …).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl Coded {
    /// An [`anyhow::Error`] with this code and message.
    pub fn error(code: &'static str, message: String) -> anyhow::Error {
        anyhow::Error::new(Coded { code, message })
    }
}

impl std::fmt::Display for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Coded {}

/// What a command returns: the exit code of a command that ran to its end (a verdict, a
/// difference), or the [`Failure`] that stopped it.
pub type Outcome = Result<i32, Failure>;

/// A command that failed: the error to report, and the exit code its kind calls for, chosen
/// from the typed error where it arises ([`From<transmittal::Error>`]): 1 when signing is
/// refused, else 2.
#[derive(Debug)]
pub struct Failure {
    error: anyhow::Error,
    exit: i32,
}

impl Failure {
    /// The same failure, its message preceded by `context` (`CONTEXT: MESSAGE`).
    pub fn context(self, context: impl std::fmt::Display + Send + Sync + 'static) -> Failure {
        Failure {
            error: self.error.context(context),
            exit: self.exit,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let exit = match &e {
            Error::Sign(SignError::Refused(_)) => EXIT_INVALID,
            _ => EXIT_ERROR,
        };
        Failure {
            error: e.into(),
            exit,
        }
    }
}

/// Errors of the command line's own (usage, files, output): exit 2.
impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure {
            error,
            exit: EXIT_ERROR,
        }
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Failure {
        Error::from(e).into()
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        anyhow::Error::from(e).into()
    }
}

/// Report a failed command (stderr, and stdout with `json`) and return its exit code: 0 for a
/// closed pipe (the reader has gone; nothing to say), else the failure's.
pub fn report(failure: &Failure, json: bool) -> i32 {
    let e = &failure.error;
    if is_broken_pipe(e) {
        return 0;
    }
    let code = failure.exit;
    let mut msg = format!("{e}");
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(&format!(": {c}"));
        }
    }
    if code == EXIT_ERROR && json {
        json_error(error_code(e), &msg);
    }
    eprintln!("transmittal: error: {msg}");
    code
}

/// The stable code of an error (docs/FORMAT.md §12).
fn error_code(e: &anyhow::Error) -> &'static str {
    for cause in e.chain() {
        if let Some(c) = cause.downcast_ref::<Coded>() {
            return c.code;
        }
        let lib = cause.downcast_ref::<Error>();
        let input = cause.downcast_ref::<InputError>().or(match lib {
            Some(Error::Input(i)) => Some(i),
            _ => None,
        });
        if let Some(input) = input {
            return input.code();
        }
        if cause
            .downcast_ref::<transmittal::error::TrustError>()
            .is_some()
            || matches!(lib, Some(Error::Trust(_)))
        {
            return "trust-store-unusable";
        }
        if cause
            .downcast_ref::<transmittal::error::FormatError>()
            .is_some()
            || matches!(lib, Some(Error::Format(_)))
        {
            return "malformed-file";
        }
    }
    "error"
}

/// Print `{"schema":"transmittal-error-v1","error":{"code":…,"message":…}}` on standard output.
pub fn json_error(code: &str, message: &str) {
    let v = serde_json::json!({ "code": code, "message": message });
    let body = ErrorBody { error: v };
    let e = transmittal::schema::Tagged::new(transmittal::schema::ERROR, &body);
    if let Ok(s) = serde_json::to_string(&e) {
        use std::io::Write as _;
        let mut o = std::io::stdout().lock();
        // A closed pipe: nothing more can be said.
        let _ = writeln!(o, "{s}").and_then(|()| o.flush());
    }
}

/// The body of a `transmittal-error-v1` document.
#[derive(serde::Serialize)]
struct ErrorBody {
    error: serde_json::Value,
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
