//! The command-line program's own modules: the arguments ([`args`]), advice for errors
//! ([`advice`]), passphrase sources ([`passphrase`]) and the man pages ([`man`]).

pub mod advice;
pub mod args;
pub mod man;
pub mod passphrase;

pub use args::*;
