//! The command-line program's own modules: the arguments ([`args`]) and their value parsers
//! ([`values`]), one file per command ([`commands`]), what the commands share ([`output`]), from
//! an error to an exit code and message ([`errors`]), advice for errors ([`advice`]), passphrase
//! sources ([`passphrase`]) and the man pages ([`man`]).

pub mod advice;
pub mod args;
pub mod commands;
pub mod errors;
pub mod fast;
pub mod man;
pub mod output;
pub mod passphrase;
pub mod values;

pub use args::*;
