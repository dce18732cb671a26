//! What the text says, as a reader sees it: proposals of layer boundaries, dates and signatories
//! ([`parser`], heuristics that only *propose*: nothing here decides what was signed), the
//! publication header's grammar ([`header`]), text a Markdown reader never sees ([`hidden`]) and
//! how signatory names compare ([`identity`]).

pub mod header;
pub mod hidden;
pub mod identity;
pub mod parser;
