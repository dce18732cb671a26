//! Helpers shared by integration tests (`mod support;`). Each test binary uses only some of them.
#![allow(dead_code)]

pub mod tsa;
