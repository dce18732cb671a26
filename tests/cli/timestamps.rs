//! RFC 3161 timestamps end to end: a real TSA (`openssl ts -reply` behind HTTP on 127.0.0.1,
//! tests/support/tsa.rs) answers `sign --tsa` and `timestamp --tsa`; `verify` checks the tokens
//! against the trust store's `tsa/` folder and applies the trusted-time rules (docs/FORMAT.md
//! §7.4, §9.5). Tokens made by OpenSSL for the core's fixtures cover the TSA certificates that
//! `openssl ts` refuses to sign with.

use crate::common::{bin, codes, example_dir, root, snapshot, verify_json, verify_json_with};
use crate::tsa::{CertVariant, KeyType, Options, TestTsa};
use base64::Engine as _;
use std::path::Path;

const DOC: &str = "kfor-2017-q3.md";
const SIG: &str = "kfor-2017-q3.md.sig.json";

/// Puts the TSA's root in the example store's `tsa/` folder.
fn trust_tsa(dir: &Path, root_pem: &[u8]) {
    let d = dir.join("keys/tsa");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("root.pem"), root_pem).unwrap();
}

fn sigfile(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(SIG)).unwrap()).unwrap()
}

fn write_sigfile(dir: &Path, v: &serde_json::Value) {
    std::fs::write(dir.join(SIG), serde_json::to_string_pretty(v).unwrap()).unwrap();
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.as_str().unwrap())
        .unwrap()
}

/// `transmittal timestamp DOC ARGS…` in `dir`; exit code and stderr.
fn timestamp(dir: &Path, args: &[&str]) -> (i32, String) {
    let o = bin()
        .current_dir(dir)
        .arg("timestamp")
        .arg(DOC)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The report of layer `i`'s first signature.
fn sig(report: &serde_json::Value, i: usize) -> &serde_json::Value {
    &report["layers"][i]["signatures"][0]
}

fn revoke(dir: &Path, id: &str, at: &str, reason: &str) {
    bin()
        .current_dir(dir)
        .args([
            "keys",
            "revoke",
            id,
            "--at",
            at,
            "--reason",
            reason,
            "--replace",
        ])
        .assert()
        .code(0);
}

#[test]
fn timestamps_from_rsa_p256_and_p384_tsas_prove_the_time() {
    for key in [KeyType::Rsa, KeyType::P256, KeyType::P384] {
        let tsa = TestTsa::start(key);
        let d = example_dir();
        trust_tsa(d.path(), &tsa.root_pem());
        let (code, err) = timestamp(d.path(), &["--layer", "0", "--tsa", &tsa.url()]);
        assert_eq!(code, 0, "{key:?}: {err}");
        assert!(
            err.contains("timestamped the signature of António Guterres"),
            "{err}"
        );
        let f = sigfile(d.path());
        assert_eq!(
            f["layers"][0]["signatures"][0]["timestamps"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(f["layers"][1]["signatures"][0].get("timestamps").is_none());
        let (code, r) = verify_json(d.path(), DOC);
        assert_eq!(code, 0, "{key:?}: {:?}", codes(&r));
        let s = sig(&r, 0);
        assert_eq!(s["signing_time"], "proven");
        assert_eq!(s["signed_on"], "2017-10-25");
        let proven = s["timestamp"]["proven_time"].as_str().unwrap();
        let today = transmittal::dates::format_iso(transmittal::dates::today());
        assert!(proven.starts_with(&today[..4]), "{proven}");
        assert!(s["timestamp"]["tsa_root"]
            .as_str()
            .unwrap()
            .contains("Test TSA Root"));
        assert_eq!(sig(&r, 1)["signing_time"], "claimed");
        // The human report says it too.
        let o = bin()
            .current_dir(d.path())
            .args(["verify", DOC])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("time proven: the signature existed at"),
            "{text}"
        );
    }
}

#[test]
fn sign_with_tsa_writes_the_token_and_a_failing_tsa_writes_nothing() {
    let tsa = TestTsa::start(KeyType::P256);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    // Remove Guterres's signature and sign again, with a timestamp.
    let mut f = sigfile(d.path());
    f["layers"][0]["signatures"] = serde_json::json!([]);
    write_sigfile(d.path(), &f);
    let sign = |url: &str| {
        bin()
            .current_dir(d.path())
            .args([
                "sign",
                DOC,
                "--key",
                "demo-keys/guterres.key",
                "--date",
                "2017-10-25",
                "--tsa",
                url,
            ])
            .output()
            .unwrap()
    };
    // A TSA that answers with another request's nonce: refused, nothing written.
    let wrong = TestTsa::with(Options {
        wrong_nonce: true,
        ..Options::default()
    });
    let before = snapshot(d.path());
    let o = sign(&wrong.url());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nonce"), "{err}");
    assert_eq!(
        snapshot(d.path()),
        before,
        "a failed TSA request changed files"
    );
    // Nobody listening: refused, nothing written.
    let o = sign("http://127.0.0.1:9/tsr");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(snapshot(d.path()), before);
    // The real one.
    let o = sign(&tsa.url());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(sig(&r, 0)["signing_time"], "proven");
}

#[test]
fn an_untrusted_tsa_proves_nothing() {
    let tsa = TestTsa::start(KeyType::P256);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    assert_eq!(
        timestamp(d.path(), &["--layer", "0", "--tsa", &tsa.url()]).0,
        0
    );
    // Another TSA root in the store, not this one.
    let other = TestTsa::with(Options {
        root_cn: "Another Root",
        ..Options::default()
    });
    trust_tsa(d.path(), &other.root_pem());
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(codes(&r), ["timestamp-untrusted"]);
    assert_eq!(sig(&r, 0)["signing_time"], "claimed");
    assert_eq!(sig(&r, 0)["status"], "valid");
    // A warning, in the report's warnings: --strict refuses it.
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(warnings, ["timestamp-untrusted", "uncovered-header"]);
    let (code, r) = verify_json_with(d.path(), DOC, &["--require-timestamp"]);
    assert_eq!(code, 3);
    assert!(
        codes(&r).contains(&"timestamp-missing".to_owned()),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn require_timestamp_is_indeterminate_until_every_signature_has_one() {
    let tsa = TestTsa::start(KeyType::Rsa);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    let (code, r) = verify_json_with(d.path(), DOC, &["--require-timestamp"]);
    assert_eq!(code, 3);
    assert_eq!(
        codes(&r)
            .iter()
            .filter(|c| *c == "timestamp-missing")
            .count(),
        2
    );
    // Without --require-timestamp nothing changes for files without tokens.
    assert_eq!(verify_json(d.path(), DOC).0, 0);
    assert_eq!(timestamp(d.path(), &["--tsa", &tsa.url()]).0, 0);
    // Both stamped now. Stoltenberg's key expired in 2024: a timestamp obtained today shows only
    // that the signature existed by today, so it neither helps nor hurts the claim of 2017 (anyone
    // can obtain one: it must not turn a valid signature invalid).
    let (code, r) = verify_json_with(d.path(), DOC, &["--require-timestamp"]);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(sig(&r, 1)["status"], "valid");
    assert_eq!(sig(&r, 1)["signing_time"], "proven");
    // Every signature carries a token now: nothing left to stamp.
    let (code, err) = timestamp(d.path(), &["--tsa", &tsa.url()]);
    assert_eq!(code, 2);
    assert!(err.contains("already carries a timestamp"), "{err}");
}

#[test]
fn a_wrong_imprint_or_a_tampered_token_is_invalid() {
    let tsa = TestTsa::start(KeyType::P256);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    assert_eq!(
        timestamp(d.path(), &["--layer", "0", "--tsa", &tsa.url()]).0,
        0
    );
    let good = sigfile(d.path());
    let token = unb64(&good["layers"][0]["signatures"][0]["timestamps"][0]);
    // The token moved to the other signature: it covers other bytes.
    let mut f = good.clone();
    f["layers"][0]["signatures"][0]
        .as_object_mut()
        .unwrap()
        .remove("timestamps");
    f["layers"][1]["signatures"][0]["timestamps"] = serde_json::json!([b64(&token)]);
    write_sigfile(d.path(), &f);
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert_eq!(
        sig(&r, 1)["codes"],
        serde_json::json!(["timestamp-imprint-mismatch"])
    );
    // Attaching it with --tsa-token finds the signature it covers.
    std::fs::write(d.path().join("token.tst"), &token).unwrap();
    f["layers"][1]["signatures"][0]
        .as_object_mut()
        .unwrap()
        .remove("timestamps");
    write_sigfile(d.path(), &f);
    let (code, err) = timestamp(d.path(), &["--tsa-token", "token.tst"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sigfile(d.path()), good);
    // A token over nothing in this file is refused, and nothing is written.
    let before = snapshot(d.path());
    let (code, err) = timestamp(
        d.path(),
        &[
            "--tsa-token",
            root()
                .join("crates/core/tests/data/tsa/p256.tst")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("covers none of the signatures"), "{err}");
    assert_eq!(snapshot(d.path()), before);
    // Tampered: the last byte (the TSA's signature) or a byte of the TSTInfo.
    for (what, at) in [("signature", token.len() - 1), ("content", token.len() / 2)] {
        let mut bad = token.clone();
        bad[at] ^= 0x01;
        let mut f = good.clone();
        f["layers"][0]["signatures"][0]["timestamps"] = serde_json::json!([b64(&bad)]);
        write_sigfile(d.path(), &f);
        let (code, r) = verify_json(d.path(), DOC);
        assert_eq!(code, 1, "{what}");
        let c = sig(&r, 0)["codes"][0].as_str().unwrap().to_owned();
        assert!(
            c.starts_with("timestamp-") && c != "timestamp-untrusted",
            "{what}: {c}"
        );
    }
}

#[test]
fn an_expired_tsa_certificate_or_one_without_timestamping_proves_nothing() {
    // A real token over this signature from a TSA whose certificate expired in 2021.
    let tsa = TestTsa::with(Options {
        cert: CertVariant::Expired,
        ..Options::default()
    });
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    let before = snapshot(d.path());
    let (code, err) = timestamp(d.path(), &["--layer", "0", "--tsa", &tsa.url()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not valid at the token's time"), "{err}");
    assert_eq!(
        snapshot(d.path()),
        before,
        "a token that proves nothing was written"
    );
    let mut f = sigfile(d.path());
    let signature = hex::decode(
        f["layers"][0]["signatures"][0]["signature"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    use sha2::Digest as _;
    let imprint: [u8; 32] = sha2::Sha256::digest(&signature).into();
    let token = transmittal::io::tsa::request_token(
        &tsa.url(),
        &imprint,
        std::time::Duration::from_secs(30),
    )
    .unwrap();
    f["layers"][0]["signatures"][0]["timestamps"] = serde_json::json!([b64(&token)]);
    write_sigfile(d.path(), &f);
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert_eq!(
        sig(&r, 0)["codes"],
        serde_json::json!(["timestamp-cert-not-valid"])
    );
    // OpenSSL-made tokens of the core's fixtures: TSA certificates without the timeStamping
    // usage, with a non-critical one, and an expired one.
    let fixtures = root().join("crates/core/tests/data/tsa");
    trust_tsa(d.path(), &std::fs::read(fixtures.join("root.pem")).unwrap());
    for (file, code_want) in [
        ("noeku.tst", "timestamp-not-for-timestamping"),
        ("noncritical.tst", "timestamp-not-for-timestamping"),
        ("expired.tst", "timestamp-cert-not-valid"),
    ] {
        let token = std::fs::read(fixtures.join(file)).unwrap();
        f["layers"][0]["signatures"][0]["timestamps"] = serde_json::json!([b64(&token)]);
        write_sigfile(d.path(), &f);
        let (code, r) = verify_json(d.path(), DOC);
        assert_eq!(code, 1, "{file}");
        assert_eq!(
            sig(&r, 0)["codes"],
            serde_json::json!([code_want]),
            "{file}"
        );
    }
}

#[test]
fn a_key_revoked_as_compromised_counts_only_with_an_earlier_timestamp() {
    let tsa = TestTsa::start(KeyType::P384);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    // Revoked as compromised long after the claimed date, no timestamp: the backdating attack
    // looks exactly like this, so the claimed date counts for nothing.
    revoke(d.path(), "guterres", "2099-01-01", "compromised");
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert_eq!(
        sig(&r, 0)["codes"],
        serde_json::json!(["time-unproven-after-compromise"])
    );
    // Without --require-timestamp, and the same with it.
    assert_eq!(
        verify_json_with(d.path(), DOC, &["--require-timestamp"]).0,
        1
    );
    // Timestamped today, revoked in 2099: proven before the compromise.
    assert_eq!(
        timestamp(d.path(), &["--layer", "0", "--tsa", &tsa.url()]).0,
        0
    );
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    let reason = sig(&r, 0)["reason"].as_str().unwrap();
    assert!(reason.contains("before that"), "{reason}");
    // Revoked as compromised in 2020: the timestamp (today) is after the revocation.
    revoke(d.path(), "guterres", "2020-01-01", "compromised");
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert_eq!(sig(&r, 0)["codes"], serde_json::json!(["key-revoked"]));
    // Superseded in 2099 instead: the claimed-date rule, valid.
    let d2 = example_dir();
    revoke(d2.path(), "guterres", "2099-01-01", "superseded");
    let (code, r) = verify_json(d2.path(), DOC);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(sig(&r, 0)["signing_time"], "claimed");
    let reason = sig(&r, 0)["reason"].as_str().unwrap();
    assert!(reason.contains("signer's claim, not proven"), "{reason}");
}

#[test]
fn a_backdated_signature_with_a_stolen_key_is_refused() {
    // The thief signs today with the stolen key and claims 2017-10-25, before the revocation
    // the owner then records.
    let d = example_dir();
    let mut f = sigfile(d.path());
    f["layers"][0]["signatures"] = serde_json::json!([]);
    write_sigfile(d.path(), &f);
    bin()
        .current_dir(d.path())
        .args([
            "sign",
            DOC,
            "--key",
            "demo-keys/guterres.key",
            "--date",
            "2017-10-25",
        ])
        .assert()
        .code(0);
    assert_eq!(verify_json(d.path(), DOC).0, 0);
    revoke(d.path(), "guterres", "2018-01-01", "compromised");
    let (code, r) = verify_json(d.path(), DOC);
    assert_eq!(code, 1);
    assert_eq!(r["codes"][0], "time-unproven-after-compromise");
    // A claim earlier than a proof: a TSA saw the signature today, not in 2017; post-dating
    // the claim beyond the proof by more than a day is caught too.
    let tsa = TestTsa::start(KeyType::P256);
    let d = example_dir();
    trust_tsa(d.path(), &tsa.root_pem());
    let mut f = sigfile(d.path());
    f["layers"][0]["signatures"] = serde_json::json!([]);
    write_sigfile(d.path(), &f);
    let tomorrow = transmittal::dates::today().next_day().unwrap();
    bin()
        .current_dir(d.path())
        .args([
            "sign",
            DOC,
            "--key",
            "demo-keys/guterres.key",
            "--date",
            &transmittal::dates::format_iso(tomorrow),
            "--tsa",
            &tsa.url(),
        ])
        .assert()
        .code(0);
    assert_eq!(
        verify_json(d.path(), DOC).0,
        0,
        "one day of skew is allowed"
    );
}

#[test]
fn a_revoked_tsa_proves_nothing() {
    // OpenSSL-made tokens of two TSA certificates the fixtures' root revokes (keyCompromise and
    // superseded), with the root's CRLs in the store's crls/ folder.
    let fixtures = root().join("crates/core/tests/data/tsa");
    let d = example_dir();
    trust_tsa(d.path(), &std::fs::read(fixtures.join("root.pem")).unwrap());
    let crls = d.path().join("keys/crls");
    std::fs::create_dir_all(&crls).unwrap();
    let mut f = sigfile(d.path());
    let mut failed = Vec::new();
    for (token, crl, want_exit, want) in [
        // Revoked for key compromise, even long after the token's time: a stolen TSA key can
        // write any time.
        ("kc.tst", "crl-root.der", 1, "timestamp-tsa-revoked"),
        // Superseded after the token's time: the token's path holds (it then covers another
        // signature's bytes, which is the next check).
        ("sup.tst", "crl-root.der", 1, "timestamp-imprint-mismatch"),
        // Superseded before the token's time.
        ("sup.tst", "crl-root-early.der", 1, "timestamp-tsa-revoked"),
        // A stale CRL still says what it says: a revocation it lists is a fact.
        ("kc.tst", "crl-root-stale.der", 1, "timestamp-tsa-revoked"),
    ] {
        std::fs::write(
            crls.join("root.crl"),
            std::fs::read(fixtures.join(crl)).unwrap(),
        )
        .unwrap();
        let t = std::fs::read(fixtures.join(token)).unwrap();
        f["layers"][0]["signatures"][0]["timestamps"] = serde_json::json!([b64(&t)]);
        write_sigfile(d.path(), &f);
        let (code, r) = verify_json(d.path(), DOC);
        let got = sig(&r, 0)["codes"].clone();
        if code != want_exit || got != serde_json::json!([want]) {
            failed.push(format!("{token} with {crl}: exit {code}, {got}"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
