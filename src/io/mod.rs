//! Files: reading inputs with bounds ([`fsutil`]), streaming digests of large files ([`digest`]),
//! writing all-or-nothing ([`fsutil`]), and the trust store on disk ([`store`]).

pub mod digest;
pub mod fsutil;
pub mod store;
pub mod tsa;
