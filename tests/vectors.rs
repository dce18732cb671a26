//! Standard test vectors for the crate's Ed25519 and SHA-256 use (BRIEF, security property 7).
//!
//! Data: `tests/data/vectors/` (see its `README.md` for sources and the expected results asserted
//! here). Every test asserts how many vectors it read, so missing or truncated data fails the test
//! instead of passing vacuously. `docs/SECURITY.md` ("Standard test vectors") lists what each test
//! asserts.

use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use transmittal::crypto::{sign, verify_many, verify_strict, BatchItem, Rejection, BATCH_CHUNK};

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

fn data_path(name: &str) -> String {
    format!("{}/tests/data/vectors/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read_text(name: &str) -> String {
    std::fs::read_to_string(data_path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&read_text(name)).unwrap_or_else(|e| panic!("parse {name}: {e}"))
}

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string field {key:?} in {v}"))
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap_or_else(|e| panic!("bad hex {s:?}: {e}"))
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes
        .try_into()
        .unwrap_or_else(|_| panic!("expected {N} bytes, got {}", bytes.len()))
}

/// One Ed25519 verification case, with the raw (possibly malformed) bytes.
#[derive(Clone, Debug)]
struct Case {
    /// Where it comes from, for failure messages.
    name: String,
    public_key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

impl Case {
    fn strict(&self) -> Result<(), Rejection> {
        verify_strict(&self.public_key, &self.message, &self.signature)
    }

    /// Fixed-size views, if the case has the lengths `verify_many` takes.
    fn batchable(&self) -> Option<([u8; 32], [u8; 64])> {
        let pk: [u8; 32] = self.public_key.as_slice().try_into().ok()?;
        let sig: [u8; 64] = self.signature.as_slice().try_into().ok()?;
        Some((pk, sig))
    }
}

/// A Wycheproof test with its expected result.
struct WycheproofCase {
    case: Case,
    tc_id: u64,
    valid: bool,
}

fn wycheproof() -> Vec<WycheproofCase> {
    let doc = read_json("wycheproof-ed25519.json");
    assert_eq!(doc["algorithm"], "EDDSA");
    assert_eq!(doc["numberOfTests"], 151);
    let mut out = Vec::new();
    for group in doc["testGroups"].as_array().expect("testGroups") {
        assert_eq!(group["type"], "EddsaVerify");
        let pk = unhex(field(&group["publicKey"], "pk"));
        for t in group["tests"].as_array().expect("tests") {
            let tc_id = t["tcId"].as_u64().expect("tcId");
            let valid = match field(t, "result") {
                "valid" => true,
                "invalid" => false,
                other => {
                    panic!("tcId {tc_id}: unexpected result {other:?} (file has no 'acceptable')")
                }
            };
            out.push(WycheproofCase {
                case: Case {
                    name: format!("wycheproof tcId {tc_id}"),
                    public_key: pk.clone(),
                    message: unhex(field(t, "msg")),
                    signature: unhex(field(t, "sig")),
                },
                tc_id,
                valid,
            });
        }
    }
    out
}

fn speccheck() -> Vec<Case> {
    read_json("speccheck-cases.json")
        .as_array()
        .expect("speccheck array")
        .iter()
        .enumerate()
        .map(|(i, c)| Case {
            name: format!("speccheck case {i}"),
            public_key: unhex(field(c, "pub_key")),
            message: unhex(field(c, "message")),
            signature: unhex(field(c, "signature")),
        })
        .collect()
}

/// A CCTV vector with its flags (`null` = no flags).
struct CctvCase {
    case: Case,
    flags: Vec<String>,
}

fn cctv() -> Vec<CctvCase> {
    read_json("cctv-ed25519vectors.json")
        .as_array()
        .expect("cctv array")
        .iter()
        .map(|v| {
            let number = v["number"].as_u64().expect("number");
            let flags = match &v["flags"] {
                Value::Null => Vec::new(),
                Value::Array(a) => a
                    .iter()
                    .map(|f| f.as_str().expect("flag").to_string())
                    .collect(),
                other => panic!("vector {number}: flags {other}"),
            };
            CctvCase {
                case: Case {
                    name: format!("cctv vector {number}"),
                    public_key: unhex(field(v, "key")),
                    // The message is ASCII text, not hex.
                    message: field(v, "msg").as_bytes().to_vec(),
                    signature: unhex(field(v, "sig")),
                },
                flags,
            }
        })
        .collect()
}

/// A line of djb's `sign.input`: seed, public key, message, signature.
struct DjbLine {
    seed: [u8; 32],
    public_key: [u8; 32],
    message: Vec<u8>,
    signature: [u8; 64],
}

fn djb() -> Vec<DjbLine> {
    read_text("djb-ed25519-sign.input")
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let fields: Vec<&str> = line.split(':').collect();
            assert_eq!(
                fields.len(),
                5,
                "line {i}: SK:PK:MSG:SM: with a trailing colon"
            );
            assert_eq!(fields[4], "", "line {i}");
            let sk = unhex(fields[0]);
            let pk = unhex(fields[1]);
            let msg = unhex(fields[2]);
            let sm = unhex(fields[3]);
            assert_eq!(sk.len(), 64, "line {i}");
            assert_eq!(&sk[32..], &pk[..], "line {i}: SK = seed || PK");
            assert_eq!(msg.len(), i, "line {i} has an {i}-byte message");
            assert_eq!(sm.len(), 64 + i, "line {i}");
            assert_eq!(&sm[64..], &msg[..], "line {i}: SM = signature || message");
            DjbLine {
                seed: array(&sk[..32]),
                public_key: array(&pk),
                message: msg,
                signature: array(&sm[..64]),
            }
        })
        .collect()
}

impl DjbLine {
    fn case(&self, i: usize) -> Case {
        Case {
            name: format!("djb line {i}"),
            public_key: self.public_key.to_vec(),
            message: self.message.clone(),
            signature: self.signature.to_vec(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Single-signature vectors
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc8032_sign_and_verify() {
    let doc = read_json("rfc8032-ed25519.json");
    let vectors = doc["vectors"].as_array().expect("vectors");
    let names: Vec<&str> = vectors.iter().map(|v| field(v, "name")).collect();
    assert_eq!(
        names,
        ["TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)"]
    );
    for v in vectors {
        let name = field(v, "name");
        assert_eq!(field(v, "result"), "valid", "{name}");
        let seed: [u8; 32] = array(&unhex(field(v, "secret_key")));
        let public_key = unhex(field(v, "public_key"));
        let message = unhex(field(v, "message"));
        let signature = unhex(field(v, "signature"));
        assert_eq!(
            Some(message.len() as u64),
            v["message_length"].as_u64(),
            "{name}"
        );

        let key = SigningKey::from_bytes(&seed);
        assert_eq!(
            key.verifying_key().to_bytes().to_vec(),
            public_key,
            "{name}: public key"
        );
        assert_eq!(
            sign(&key, &message).to_vec(),
            signature,
            "{name}: signature"
        );
        assert_eq!(
            verify_strict(&public_key, &message, &signature),
            Ok(()),
            "{name}"
        );
    }
    assert_eq!(vectors.len(), 5);
}

#[test]
fn djb_sign_input_sign_and_verify() {
    let lines = djb();
    assert_eq!(lines.len(), 1024);
    for (i, l) in lines.iter().enumerate() {
        let key = SigningKey::from_bytes(&l.seed);
        assert_eq!(
            key.verifying_key().to_bytes(),
            l.public_key,
            "line {i}: public key"
        );
        assert_eq!(sign(&key, &l.message), l.signature, "line {i}: signature");
        assert_eq!(
            verify_strict(&l.public_key, &l.message, &l.signature),
            Ok(()),
            "line {i}"
        );
    }
}

#[test]
fn wycheproof_ed25519() {
    let cases = wycheproof();
    assert_eq!(cases.len(), 151);
    let ids: std::collections::BTreeSet<u64> = cases.iter().map(|c| c.tc_id).collect();
    assert_eq!(ids, (1..=151).collect(), "tcIds 1..=151, each once");

    let mut accepted = 0;
    let mut rejected = 0;
    let mut wrong_length = 0;
    for c in &cases {
        // verify_strict never panics: a panic here fails the test with the case name in the log.
        let got = c.case.strict();
        if c.valid {
            assert_eq!(got, Ok(()), "{} should be accepted", c.case.name);
            accepted += 1;
        } else {
            assert!(got.is_err(), "{} should be rejected", c.case.name);
            rejected += 1;
        }
        if c.case.signature.len() != 64 {
            assert_eq!(got, Err(Rejection::WrongSignatureLength), "{}", c.case.name);
            wrong_length += 1;
        }
    }
    assert_eq!((accepted, rejected), (88, 63));
    // Signatures of 0, 32, 62, 63, 65, 66 and 96 bytes (tcIds 30-41).
    assert_eq!(wrong_length, 12);
}

#[test]
fn speccheck_row() {
    let cases = speccheck();
    assert_eq!(cases.len(), 12);
    let row: Vec<&str> = cases
        .iter()
        .map(|c| if c.strict().is_ok() { "V" } else { "X" })
        .collect();
    // "Dalek strict" row of the speccheck README: only case 3 (mixed-order A and R that pass
    // both equations) is accepted.
    assert_eq!(row.join(" "), "X X X V X X X X X X X X");

    // The reason for each case, in the order verify_strict checks (key, S, R, equation).
    let reasons: Vec<Result<(), Rejection>> = cases.iter().map(Case::strict).collect();
    use Rejection::*;
    assert_eq!(
        reasons,
        vec![
            Err(WeakKey),         // 0: S = 0, small-order A and R
            Err(WeakKey),         // 1: small-order A
            Err(SmallOrderR),     // 2: small-order R
            Ok(()),               // 3: mixed-order A and R, passes cofactorless
            Err(BadSignature),    // 4: passes only the cofactored equation
            Err(BadSignature),    // 5: likewise, with 8h pre-reduced
            Err(NonCanonicalS),   // 6: S > L
            Err(NonCanonicalS),   // 7: S >> L
            Err(NonCanonicalR),   // 8: non-canonical (small-order) R, reduced for hash
            Err(NonCanonicalR),   // 9: non-canonical R, not reduced for hash
            Err(NonCanonicalKey), // 10: non-canonical (small-order) A, reduced for hash
            Err(NonCanonicalKey), // 11: non-canonical A, not reduced for hash
        ]
    );
}

/// Flags under which ed25519-dalek `verify_strict` still accepts a CCTV vector.
const CCTV_STRICT_OK_FLAGS: [&str; 2] = ["low_order_component_A", "low_order_component_R"];

fn cctv_strict_expects_accept(flags: &[String]) -> bool {
    flags
        .iter()
        .all(|f| CCTV_STRICT_OK_FLAGS.contains(&f.as_str()))
}

#[test]
fn cctv_strict_accepted_set() {
    let vectors = cctv();
    assert_eq!(vectors.len(), 914);
    let mut accepted = 0;
    let mut rejected = 0;
    let mut no_flags = 0;
    for v in &vectors {
        let got = v.case.strict();
        if v.flags.is_empty() {
            no_flags += 1;
        }
        if cctv_strict_expects_accept(&v.flags) {
            assert_eq!(got, Ok(()), "{} flags {:?}", v.case.name, v.flags);
            accepted += 1;
        } else {
            assert!(
                got.is_err(),
                "{} flags {:?} should be rejected",
                v.case.name,
                v.flags
            );
            assert_ne!(got, Err(Rejection::WrongKeyLength));
            assert_ne!(got, Err(Rejection::WrongSignatureLength));
            rejected += 1;
        }
    }
    assert_eq!(no_flags, 1);
    assert_eq!((accepted, rejected), (43, 871));
}

/// Our `verify_strict` against ed25519-dalek's own `verify_strict` on every edge-case vector
/// (Wycheproof, speccheck, CCTV; the djb lines are all plain valid signatures): the same
/// accept/reject answer. The crate is documented as "dalek strict, plus refusing non-canonical
/// keys", and no vector has a non-canonical key of large order.
#[test]
fn strict_agrees_with_ed25519_dalek_verify_strict() {
    let mut all: Vec<Case> = wycheproof().into_iter().map(|c| c.case).collect();
    all.extend(speccheck());
    all.extend(cctv().into_iter().map(|c| c.case));
    assert_eq!(all.len(), 151 + 12 + 914);
    let mut compared = 0;
    for c in &all {
        let Some((pk, sig)) = c.batchable() else {
            assert!(c.strict().is_err(), "{}", c.name);
            continue;
        };
        let dalek = VerifyingKey::from_bytes(&pk)
            .map(|k| {
                k.verify_strict(&c.message, &Signature::from_bytes(&sig))
                    .is_ok()
            })
            .unwrap_or(false);
        assert_eq!(c.strict().is_ok(), dalek, "{}", c.name);
        compared += 1;
    }
    assert_eq!(compared, all.len() - 12);
}

// ---------------------------------------------------------------------------------------------
// SHA-256 (NIST CAVP SHAVS, byte-oriented)
// ---------------------------------------------------------------------------------------------

/// Parse a `.rsp` file into (message, digest) pairs. Lines end in CRLF; the message is the first
/// `Len / 8` bytes of `Msg` (for `Len = 0` the file says `Msg = 00`, the message is empty).
fn nist_rsp(name: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let text = read_text(name);
    assert!(
        text.contains("\r\n"),
        "{name}: expected NIST's CRLF line endings"
    );
    assert!(text.contains("[L = 32]"), "{name}");
    let mut out = Vec::new();
    let mut len_bits: Option<usize> = None;
    let mut msg: Option<Vec<u8>> = None;
    for line in text.lines() {
        let line = line.trim_end_matches('\r').trim();
        if let Some(v) = line.strip_prefix("Len = ") {
            len_bits = Some(v.parse().expect("Len"));
        } else if let Some(v) = line.strip_prefix("Msg = ") {
            msg = Some(unhex(v));
        } else if let Some(v) = line.strip_prefix("MD = ") {
            let bits = len_bits.take().expect("Len before MD");
            let full = msg.take().expect("Msg before MD");
            assert_eq!(bits % 8, 0, "{name}: byte-oriented file");
            let bytes = bits / 8;
            assert!(full.len() >= bytes, "{name}: Msg shorter than Len");
            assert_eq!(
                full.len(),
                bytes.max(1),
                "{name}: Msg is Len/8 bytes (1 for Len = 0)"
            );
            out.push((full[..bytes].to_vec(), unhex(v)));
        }
    }
    out
}

fn check_sha256(name: &str, want_cases: usize) -> Vec<usize> {
    let cases = nist_rsp(name);
    assert_eq!(cases.len(), want_cases, "{name}");
    for (i, (msg, md)) in cases.iter().enumerate() {
        assert_eq!(md.len(), 32);
        // One-shot, and streamed in uneven pieces as a hashing pipeline would feed it.
        assert_eq!(
            Sha256::digest(msg).as_slice(),
            &md[..],
            "{name} case {i} (one-shot)"
        );
        let mut h = Sha256::new();
        for piece in msg.chunks(37) {
            h.update(piece);
        }
        assert_eq!(
            h.finalize().as_slice(),
            &md[..],
            "{name} case {i} (streamed)"
        );
    }
    cases.iter().map(|(m, _)| m.len()).collect()
}

#[test]
fn nist_sha256_short_messages() {
    let lengths = check_sha256("sha256-shortmsg.rsp", 65);
    assert_eq!(
        lengths,
        (0..=64).collect::<Vec<_>>(),
        "Len 0..512 bits in steps of 8"
    );
}

#[test]
fn nist_sha256_long_messages() {
    let lengths = check_sha256("sha256-longmsg.rsp", 64);
    let want: Vec<usize> = (0..64).map(|i| (1304 + 792 * i) / 8).collect();
    assert_eq!(lengths, want, "Len 1304..51200 bits in steps of 792");
}

// ---------------------------------------------------------------------------------------------
// Batch verification: verify_many must give exactly verify_strict's answer
// ---------------------------------------------------------------------------------------------

/// Run `verify_many` over `cases` (all of them 32-byte keys and 64-byte signatures) and assert
/// that every answer equals `verify_strict`'s. Returns the number accepted.
fn assert_batch_agrees(cases: &[&Case]) -> usize {
    let arrays: Vec<([u8; 32], [u8; 64])> = cases
        .iter()
        .map(|c| {
            c.batchable()
                .unwrap_or_else(|| panic!("{}: not batchable", c.name))
        })
        .collect();
    let items: Vec<BatchItem<'_>> = cases
        .iter()
        .zip(&arrays)
        .map(|(c, (pk, sig))| BatchItem {
            public_key: pk,
            message: &c.message,
            signature: sig,
        })
        .collect();
    let got = verify_many(&items);
    assert_eq!(got.len(), cases.len());
    for (c, g) in cases.iter().zip(&got) {
        assert_eq!(
            *g,
            c.strict(),
            "{}: verify_many disagrees with verify_strict",
            c.name
        );
    }
    got.iter().filter(|r| r.is_ok()).count()
}

#[test]
fn batch_agrees_with_strict_on_every_vector() {
    let wycheproof: Vec<Case> = wycheproof()
        .into_iter()
        .map(|c| c.case)
        .filter(|c| c.signature.len() == 64)
        .collect();
    let speccheck = speccheck();
    let cctv: Vec<Case> = cctv().into_iter().map(|c| c.case).collect();
    assert_eq!(
        (wycheproof.len(), speccheck.len(), cctv.len()),
        (139, 12, 914)
    );

    // Each set as one call (many batches, fallbacks, torsion routing) ...
    assert_eq!(
        assert_batch_agrees(&wycheproof.iter().collect::<Vec<_>>()),
        88
    );
    assert_eq!(
        assert_batch_agrees(&speccheck.iter().collect::<Vec<_>>()),
        1
    );
    assert_eq!(assert_batch_agrees(&cctv.iter().collect::<Vec<_>>()), 43);

    // ... every vector on its own ...
    let all: Vec<&Case> = wycheproof.iter().chain(&speccheck).chain(&cctv).collect();
    let mut accepted = 0;
    for c in &all {
        accepted += assert_batch_agrees(&[*c]);
    }
    assert_eq!(accepted, 88 + 1 + 43);

    // ... and each one that reaches the equation hidden between two valid signatures, so that
    // it shares a batch equation with them. (A vector rejected by a pre-check never reaches the
    // batch: the pre-checks are the same code in both functions.)
    let lines = djb();
    let valid: Vec<Case> = lines
        .iter()
        .take(BATCH_CHUNK)
        .enumerate()
        .map(|(i, l)| l.case(i))
        .collect();
    let mut reaching_equation = 0;
    for c in &all {
        if matches!(c.strict(), Ok(()) | Err(Rejection::BadSignature)) {
            reaching_equation += 1;
            let ok = usize::from(c.strict().is_ok());
            assert_eq!(
                assert_batch_agrees(&[&valid[0], c, &valid[1]]),
                2 + ok,
                "{}",
                c.name
            );
        }
    }
    assert_eq!(reaching_equation, 88 + 12 + 1 + 2 + 43 + 63);
    // All 1065 in one call, interleaved with valid ones.
    let mut big: Vec<&Case> = Vec::new();
    for (i, c) in all.iter().enumerate() {
        big.push(c);
        big.push(&valid[i % valid.len()]);
    }
    assert_eq!(assert_batch_agrees(&big), all.len() + 88 + 1 + 43);
}

/// A deterministic pseudo-random sequence (64-bit LCG), so the mixed batches are reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound
    }
}

#[test]
fn batch_mixed_sizes() {
    let lines = djb();
    let mut valid: Vec<Case> = lines.iter().enumerate().map(|(i, l)| l.case(i)).collect();
    let mut invalid: Vec<Case> = Vec::new();
    for w in wycheproof() {
        if w.case.signature.len() != 64 {
            continue;
        }
        if w.valid {
            valid.push(w.case);
        } else {
            invalid.push(w.case);
        }
    }
    for c in speccheck()
        .into_iter()
        .chain(cctv().into_iter().map(|v| v.case))
    {
        if c.strict().is_ok() {
            valid.push(c);
        } else {
            invalid.push(c);
        }
    }
    assert_eq!(
        (valid.len(), invalid.len()),
        (1024 + 88 + 1 + 43, 51 + 11 + 871)
    );

    let mut rng = Lcg(0x7472_616e_736d_6974);
    for &size in &[1usize, 2, 63, 64, 65, 300] {
        for round in 0..3 {
            // Round 0: all valid; round 1: about one in four invalid; round 2: all invalid.
            let batch: Vec<&Case> = (0..size)
                .map(|_| {
                    let bad = match round {
                        0 => false,
                        1 => rng.next(4) == 0,
                        _ => true,
                    };
                    if bad {
                        &invalid[rng.next(invalid.len())]
                    } else {
                        &valid[rng.next(valid.len())]
                    }
                })
                .collect();
            let accepted = assert_batch_agrees(&batch);
            match round {
                0 => assert_eq!(accepted, size, "size {size}: all valid"),
                2 => assert_eq!(accepted, 0, "size {size}: all invalid"),
                _ => {}
            }
        }
        // Strictly alternating valid / invalid, starting with each.
        for start_bad in [false, true] {
            let batch: Vec<&Case> = (0..size)
                .map(|j| {
                    if (j % 2 == 1) != start_bad {
                        &invalid[rng.next(invalid.len())]
                    } else {
                        &valid[rng.next(valid.len())]
                    }
                })
                .collect();
            let want_ok = if start_bad {
                size / 2
            } else {
                size.div_ceil(2)
            };
            assert_eq!(
                assert_batch_agrees(&batch),
                want_ok,
                "size {size} alternating"
            );
        }
    }
}

#[test]
fn batch_all_djb_signatures() {
    let lines = djb();
    assert_eq!(lines.len(), 1024);
    let items: Vec<BatchItem<'_>> = lines
        .iter()
        .map(|l| BatchItem {
            public_key: &l.public_key,
            message: &l.message,
            signature: &l.signature,
        })
        .collect();
    let got = verify_many(&items);
    assert_eq!(got.len(), 1024);
    assert!(
        got.iter().all(|r| *r == Ok(())),
        "every djb signature is valid"
    );
}

#[test]
fn batch_one_bad_signature_in_the_middle() {
    let lines = djb();
    assert_eq!(lines.len(), 1024);
    let bad_index = 512;
    let mut sigs: Vec<[u8; 64]> = lines.iter().map(|l| l.signature).collect();
    // Flip a low bit of S: S stays below L, so the signature is well formed but wrong.
    sigs[bad_index][32] ^= 0x01;
    let items: Vec<BatchItem<'_>> = lines
        .iter()
        .zip(&sigs)
        .map(|(l, s)| BatchItem {
            public_key: &l.public_key,
            message: &l.message,
            signature: s,
        })
        .collect();
    let got = verify_many(&items);
    assert_eq!(got.len(), 1024);
    for (i, r) in got.iter().enumerate() {
        if i == bad_index {
            assert_eq!(
                *r,
                Err(Rejection::BadSignature),
                "the tampered signature is named"
            );
        } else {
            assert_eq!(*r, Ok(()), "signature {i} is still accepted");
        }
    }

    // Three bad ones in different chunks of the first 300: a wrong S, a changed R (wrong or
    // undecodable), and an S far above L.
    let mut sigs: Vec<[u8; 64]> = lines.iter().take(300).map(|l| l.signature).collect();
    sigs[150][32] ^= 0x01;
    sigs[3][0] ^= 0x01;
    sigs[299][63] |= 0xf0;
    let items: Vec<BatchItem<'_>> = lines
        .iter()
        .zip(&sigs)
        .map(|(l, s)| BatchItem {
            public_key: &l.public_key,
            message: &l.message,
            signature: s,
        })
        .collect();
    let got = verify_many(&items);
    let rejected: Vec<usize> = (0..got.len()).filter(|&i| got[i].is_err()).collect();
    assert_eq!(rejected, vec![3, 150, 299]);
    assert_eq!(got[150], Err(Rejection::BadSignature));
    assert_eq!(got[299], Err(Rejection::NonCanonicalS));
    for &i in &rejected {
        assert_eq!(
            got[i],
            verify_strict(&lines[i].public_key, &lines[i].message, &sigs[i])
        );
    }
}

/// Why `verify_many` cannot simply trust `ed25519_dalek::verify_batch`: with each vector batched
/// on its own, the batch equation accepts vectors that strict verification rejects (weak keys,
/// non-canonical keys and R, small-order R, which it never checks, and small-order residues
/// when the weight happens to kill them) and rejects strictly valid vectors with mixed-order keys
/// (the key's scalar `z·k` is reduced mod L, which changes its small-order part).
#[test]
fn plain_batch_equation_alone_would_disagree() {
    let mut cases: Vec<Case> = speccheck();
    cases.extend(cctv().into_iter().map(|c| c.case));
    assert_eq!(cases.len(), 926);
    let mut plain_accepts_strict_rejects = 0;
    let mut plain_rejects_strict_accepts = 0;
    let mut plain_residue_accepted = 0;
    for c in &cases {
        let Some((pk, sig)) = c.batchable() else {
            continue;
        };
        let Ok(key) = VerifyingKey::from_bytes(&pk) else {
            continue;
        };
        let plain =
            ed25519_dalek::verify_batch(&[&c.message], &[Signature::from_bytes(&sig)], &[key])
                .is_ok();
        match (plain, c.strict().is_ok()) {
            (true, false) => {
                plain_accepts_strict_rejects += 1;
                if c.strict() == Err(Rejection::BadSignature) {
                    plain_residue_accepted += 1;
                }
            }
            (false, true) => plain_rejects_strict_accepts += 1,
            _ => {}
        }
        // verify_many agrees with strict on exactly these cases.
        assert_eq!(
            assert_batch_agrees(&[c]),
            usize::from(c.strict().is_ok()),
            "{}",
            c.name
        );
    }
    // With ed25519-dalek 2.2.0: 176 and 35 (see docs/SECURITY.md). Bounds, not exact counts,
    // because the weights come from dalek's transcript.
    assert!(
        plain_accepts_strict_rejects > 100,
        "plain batch accepted only {plain_accepts_strict_rejects} strictly-invalid vectors"
    );
    assert!(
        plain_residue_accepted > 0,
        "a small-order residue passed no plain batch"
    );
    assert!(
        plain_rejects_strict_accepts > 0,
        "mixed-order keys: the plain batch should reject some strictly valid vectors"
    );
}
