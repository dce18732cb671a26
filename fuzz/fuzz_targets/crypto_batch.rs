//! Differential target for `crypto::verify_many`: builds an adversarial batch from the input
//! (`transmittal_core::crypto::adversarial`, the generator the unit tests also run) and asserts
//! that every answer is `crypto::verify_strict`'s for that item.
#![no_main]

use libfuzzer_sys::fuzz_target;
use transmittal_core::crypto::adversarial::{batch, check, Bytes};

fuzz_target!(|data: &[u8]| {
    let all = batch(&mut Bytes(data), 32);
    if let Err(e) = check(&all) {
        panic!("{e}");
    }
});
