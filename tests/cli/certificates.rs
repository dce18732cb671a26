//! Organisation certificates end to end: a real PKI made with `openssl ca` at test time
//! (tests/support/pki.rs), a signatory's request from `keygen --csr`, `sign --cert --chain`,
//! a recipient who trusts only the root (`keys import --x509`), and every way a certificate can
//! fail to vouch (docs/FORMAT.md §7.5, §8.4).

use crate::common::{bin, codes, root, verify_json, verify_json_with};
use crate::pki::{pem_to_der, Profile, Reason, TestPki};
use crate::tsa;
use base64::Engine as _;
use std::path::Path;

const DOC: &str = "letter.md";
const SIG: &str = "letter.md.sig.json";
const LETTER: &str =
    "Letter\n\nThe Ministry of Records agrees to the terms of the exchange.\n\n(Signed) Jane Doe\n";

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let o = bin().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {out}");
    out
}

/// A signatory (Jane Doe, key and request from `keygen --csr`), the PKI, the recipient's store
/// `recipient/` holding only the PKI's root, and the letter signed with a good certificate
/// on 2025-06-01.
struct World {
    dir: tempfile::TempDir,
    pki: TestPki,
    csr: String,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        let d = d.as_path();
        std::fs::write(d.join(DOC), LETTER).unwrap();
        ok(
            d,
            &[
                "keygen",
                "--id",
                "jdoe",
                "--name",
                "Jane Doe",
                "--title",
                "Legal Counsel",
                "--org",
                "Ministry of Records",
                "--out-dir",
                "signer-keys",
                "--secret-dir",
                "secret",
                "--unencrypted",
                "--csr",
                "jdoe.csr",
            ],
        );
        let csr = std::fs::read_to_string(d.join("jdoe.csr")).unwrap();
        assert!(
            csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
            "{csr}"
        );
        let pki = TestPki::new();
        assert!(pki.openssl_verifies_csr(&csr));
        std::fs::write(d.join("root.pem"), pki.root_pem()).unwrap();
        std::fs::write(d.join("inter.pem"), pki.intermediate_pem()).unwrap();
        let out = ok(
            d,
            &[
                "keys",
                "import",
                "--x509",
                "root.pem",
                "--keys",
                "recipient",
            ],
        );
        assert!(
            out.contains("CN=Test Root CA as an organisation root"),
            "{out}"
        );
        let w = World { dir, pki, csr };
        let d = w.path();
        let cert = w.issue(Profile::Good);
        std::fs::write(d.join("jdoe.pem"), &cert).unwrap();
        ok(
            d,
            &[
                "sign",
                DOC,
                "--key",
                "secret/jdoe.key",
                "--cert",
                "jdoe.pem",
                "--chain",
                "inter.pem",
                "--keys",
                "recipient",
                "--date",
                "2025-06-01",
                "--accept-structure",
            ],
        );
        w
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn issue(&self, profile: Profile) -> String {
        self.pki.issue(&self.csr, profile)
    }

    /// Replaces the certificates the signature carries (they are evidence, not signed).
    fn carry(&self, chain: &[Vec<u8>]) {
        let p = self.path().join(SIG);
        let mut f: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        f["layers"][0]["signatures"][0]["certificates"] = chain
            .iter()
            .map(|c| base64::engine::general_purpose::STANDARD.encode(c))
            .collect();
        std::fs::write(&p, serde_json::to_string_pretty(&f).unwrap()).unwrap();
    }

    fn verify(&self, extra: &[&str]) -> (i32, serde_json::Value) {
        let mut args = vec!["--keys", "recipient"];
        args.extend_from_slice(extra);
        verify_json_with(self.path(), DOC, &args)
    }

    fn put_crl(&self, pem: &str) {
        let d = self.path().join("recipient/crls");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("inter.pem"), pem).unwrap();
    }
}

/// Another key for a "Jane Doe" (`keygen --id ID --out-dir OUT --secret-dir SECRET`, with a
/// request in `CSR` if asked).
fn another_jane_doe(d: &Path, id: &str, out: &str, secret: &str, csr: Option<&str>) {
    let mut args = vec![
        "keygen",
        "--id",
        id,
        "--name",
        "Jane Doe",
        "--out-dir",
        out,
        "--secret-dir",
        secret,
        "--unencrypted",
    ];
    if let Some(c) = csr {
        args.extend(["--csr", c]);
    }
    ok(d, &args);
}

fn sig(r: &serde_json::Value) -> &serde_json::Value {
    &r["layers"][0]["signatures"][0]
}

#[test]
fn a_certified_signatory_is_valid_for_a_recipient_who_trusts_only_the_root() {
    let w = World::new();
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 0, "{:?}", codes(&r));
    let s = sig(&r);
    assert_eq!(s["vouched_by"], "certificate");
    assert_eq!(s["signer"], "Jane Doe");
    assert_eq!(s["title"], "Legal Counsel");
    assert_eq!(s["organisation"], "Ministry of Records");
    assert!(s["certificate"]["certified_by"]
        .as_str()
        .unwrap()
        .contains("CN=Test Root CA"));
    assert_eq!(s["certificate"]["chain"].as_array().unwrap().len(), 3);
    let (_, text) = run(w.path(), &["verify", DOC, "--keys", "recipient"]);
    assert!(
        text.contains("certified by O=Ministry of Records,CN=Test Root CA"),
        "{text}"
    );
    // The recipient's store has no entry at all: only roots/.
    assert!(!w.path().join("recipient").read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".pub.json")));
    // Without the root: unknown, indeterminate.
    let (code, r) = verify_json_with(w.path(), DOC, &["--keys", "signer-keys"]);
    assert_eq!(code, 0, "the signer's own entry vouches: {:?}", codes(&r));
    assert_eq!(sig(&r)["vouched_by"], "trust-store");
    std::fs::create_dir_all(w.path().join("other/roots")).unwrap();
    std::fs::write(
        w.path().join("other/roots/other.pem"),
        w.pki.other_root_pem(),
    )
    .unwrap();
    let (code, r) = verify_json_with(w.path(), DOC, &["--keys", "other"]);
    assert_eq!(code, 3);
    assert_eq!(
        sig(&r)["codes"],
        serde_json::json!(["certificate-unknown-root"])
    );
    assert_eq!(sig(&r)["vouched_by"], "none");
}

#[test]
fn each_broken_certificate_has_its_verdict_and_code() {
    let w = World::new();
    let other_key_csr = {
        let d = w.path();
        another_jane_doe(d, "mallory", "m-keys", "m-secret", Some("m.csr"));
        std::fs::read_to_string(d.join("m.csr")).unwrap()
    };
    let inter = pem_to_der(&w.pki.intermediate_pem());
    let cases: Vec<(&str, Vec<Vec<u8>>, i32, &str)> = vec![
        (
            "expired",
            w.pki
                .chain_der(&w.issue(Profile::Expired), Profile::Expired),
            1,
            "certificate-expired",
        ),
        (
            "not yet valid",
            w.pki
                .chain_der(&w.issue(Profile::NotYetValid), Profile::NotYetValid),
            1,
            "certificate-not-yet-valid",
        ),
        (
            "wrong extended key usage",
            w.pki
                .chain_der(&w.issue(Profile::WrongEku), Profile::WrongEku),
            1,
            "certificate-wrong-usage",
        ),
        (
            "path too long",
            w.pki
                .chain_der(&w.issue(Profile::PathTooLong), Profile::PathTooLong),
            1,
            "certificate-path-constraints",
        ),
        (
            "unknown issuer",
            w.pki
                .chain_der(&w.issue(Profile::WrongIssuer), Profile::WrongIssuer),
            3,
            "certificate-unknown-root",
        ),
        (
            "another key's certificate",
            vec![
                pem_to_der(&w.pki.issue(&other_key_csr, Profile::Good)),
                inter.clone(),
            ],
            1,
            "certificate-key-mismatch",
        ),
        (
            "intermediate missing",
            vec![pem_to_der(&w.issue(Profile::Good))],
            3,
            "certificate-unknown-root",
        ),
        (
            "garbage",
            vec![b"not a certificate".to_vec()],
            1,
            "certificate-malformed",
        ),
    ];
    let mut failed = Vec::new();
    for (name, chain, want_exit, want_code) in cases {
        w.carry(&chain);
        let (code, r) = w.verify(&[]);
        let got = sig(&r)["codes"].clone();
        if code != want_exit || got != serde_json::json!([want_code]) {
            failed.push(format!(
                "{name}: exit {code}, codes {got}; expected {want_exit} {want_code}"
            ));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn crls_revoke_by_reason_and_time_and_stale_ones_are_indeterminate() {
    let w = World::new();
    let cert = std::fs::read_to_string(w.path().join("jdoe.pem")).unwrap();
    // A fresh CRL that revokes nothing: valid.
    w.put_crl(&w.pki.crl(false));
    assert_eq!(w.verify(&[]).0, 0);
    // Stale: indeterminate, unless allowed.
    w.put_crl(&w.pki.crl(true));
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 3);
    assert_eq!(sig(&r)["codes"], serde_json::json!(["crl-stale"]));
    assert_eq!(w.verify(&["--allow-stale-crl"]).0, 0);
    std::fs::remove_dir_all(w.path().join("recipient/crls")).unwrap();
    // Superseded on 2025-03-01, signed 2025-06-01: revoked at the signing time.
    w.pki.revoke_at(&cert, Reason::Superseded, "250301000000Z");
    std::fs::write(w.path().join("now.crl"), w.pki.crl(false)).unwrap();
    let (code, r) = w.verify(&["--crl", "now.crl"]);
    assert_eq!(code, 1);
    assert_eq!(sig(&r)["codes"], serde_json::json!(["certificate-revoked"]));
    // Without the CRL, nothing is known of the revocation.
    assert_eq!(w.verify(&[]).0, 0);
}

#[test]
fn a_certificate_revoked_for_key_compromise_needs_an_earlier_timestamp() {
    let w = World::new();
    let cert = std::fs::read_to_string(w.path().join("jdoe.pem")).unwrap();
    // Revoked for keyCompromise in 2049: the signature claims 2025, which proves nothing.
    w.pki
        .revoke_at(&cert, Reason::KeyCompromise, "491231000000Z");
    w.put_crl(&w.pki.crl(false));
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        sig(&r)["codes"],
        serde_json::json!(["time-unproven-after-compromise"])
    );
    // A trusted timestamp (today) proves it existed before 2049.
    let tsa = tsa::TestTsa::start(tsa::KeyType::P256);
    std::fs::create_dir_all(w.path().join("recipient/tsa")).unwrap();
    std::fs::write(w.path().join("recipient/tsa/root.pem"), tsa.root_pem()).unwrap();
    ok(
        w.path(),
        &["timestamp", DOC, "--tsa", &tsa.url(), "--keys", "recipient"],
    );
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(sig(&r)["signing_time"], "proven");
}

#[test]
fn sign_refuses_a_certificate_recipients_would_refuse() {
    let w = World::new();
    let d = w.path();
    std::fs::write(d.join(SIG), b"").unwrap();
    std::fs::remove_file(d.join(SIG)).unwrap();
    let sign = |cert: &str| {
        run(
            d,
            &[
                "sign",
                DOC,
                "--key",
                "secret/jdoe.key",
                "--cert",
                cert,
                "--chain",
                "inter.pem",
                "--keys",
                "recipient",
                "--date",
                "2025-06-01",
                "--accept-structure",
            ],
        )
    };
    std::fs::write(d.join("expired.pem"), w.issue(Profile::Expired)).unwrap();
    // Refusals of `sign` exit 1, as every other refusal does.
    let (code, out) = sign("expired.pem");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("recipients would refuse this certificate"),
        "{out}"
    );
    assert!(!d.join(SIG).exists());
    // A certificate for another key.
    another_jane_doe(d, "other", "o-keys", "o-secret", Some("o.csr"));
    let other = w.pki.issue(
        &std::fs::read_to_string(d.join("o.csr")).unwrap(),
        Profile::Good,
    );
    std::fs::write(d.join("other.pem"), other).unwrap();
    let (code, out) = sign("other.pem");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("certifies another key"), "{out}");
    assert!(!d.join(SIG).exists());
}

#[test]
fn keys_import_x509_files_roots_tsa_roots_crls_and_signatory_certificates() {
    let w = World::new();
    let d = w.path();
    std::fs::write(d.join("crl.pem"), w.pki.crl(false)).unwrap();
    ok(
        d,
        &["keys", "import", "--crl", "crl.pem", "--keys", "recipient"],
    );
    ok(
        d,
        &[
            "keys",
            "import",
            "--x509",
            "root.pem",
            "--tsa",
            "--keys",
            "recipient",
        ],
    );
    let out = ok(d, &["keys", "list", "--keys", "recipient", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["roots"].as_array().unwrap().len(), 1);
    assert_eq!(v["tsa_roots"].as_array().unwrap().len(), 1);
    assert_eq!(v["crls"], 1);
    assert!(v["roots"][0]["subject"]
        .as_str()
        .unwrap()
        .contains("Test Root CA"));
    // The same root again is refused; a signatory's certificate is not a TSA root.
    let (code, _) = run(
        d,
        &[
            "keys",
            "import",
            "--x509",
            "root.pem",
            "--keys",
            "recipient",
        ],
    );
    assert_eq!(code, 2);
    let (code, out) = run(
        d,
        &[
            "keys",
            "import",
            "--x509",
            "jdoe.pem",
            "--tsa",
            "--keys",
            "recipient",
        ],
    );
    assert_eq!(code, 2);
    assert!(out.contains("not a CA certificate"), "{out}");
    // A signatory's certificate becomes a direct entry, its fields from the certificate.
    ok(
        d,
        &[
            "keys", "import", "--x509", "jdoe.pem", "--id", "jane", "--keys", "direct",
        ],
    );
    let e: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("direct/jane.pub.json")).unwrap()).unwrap();
    assert_eq!(e["name"], "Jane Doe");
    assert_eq!(e["title"], "Legal Counsel");
    assert_eq!(e["valid_from"], "2020-01-01");
    let (code, r) = verify_json_with(d, DOC, &["--keys", "direct"]);
    assert_eq!(code, 0, "{:?}", codes(&r));
    assert_eq!(sig(&r)["vouched_by"], "trust-store");
    // A private key put into roots/ by mistake fails the store's load, naming the file.
    std::fs::write(
        d.join("recipient/roots/oops.pem"),
        "-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let (code, out) = run(d, &["verify", DOC, "--keys", "recipient"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("oops.pem") && out.contains("PRIVATE KEY"),
        "{out}"
    );
}

#[test]
fn the_certified_demo_example_verifies_with_only_the_demo_root() {
    let r = root();
    let (code, report) = verify_json(&r, "examples/kfor-2017-q3-certified.md");
    // TEST_ENV names `keys` as the store; name the demo recipient store instead.
    let _ = (code, report);
    let (code, report) = verify_json_with(
        &r,
        "examples/kfor-2017-q3-certified.md",
        &["--keys", "examples/demo-pki/recipient"],
    );
    assert_eq!(code, 0, "{:?}", codes(&report));
    for layer in [0, 1] {
        let s = &report["layers"][layer]["signatures"][0];
        assert_eq!(s["vouched_by"], "certificate", "layer {layer}");
        assert!(s["certificate"]["certified_by"]
            .as_str()
            .unwrap()
            .contains("DEMO ONLY"));
    }
    // The store holds the root and nothing else.
    let names: Vec<String> = std::fs::read_dir(r.join("examples/demo-pki/recipient"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["roots"]);
}

#[test]
fn an_id_the_store_gives_another_key_is_a_mismatch_whatever_the_certificate() {
    let w = World::new();
    let d = w.path();
    // Another "jdoe" (the id the signature was made under), with another key, and no roots.
    another_jane_doe(d, "jdoe", "other-store", "s2", None);
    let (code, r) = verify_json_with(d, DOC, &["--keys", "other-store"]);
    assert_eq!(code, 1, "{:?}", codes(&r));
    assert!(
        codes(&r).contains(&"key-mismatch".to_owned()),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn a_certified_name_the_store_pins_to_another_key_is_indeterminate() {
    let w = World::new();
    let d = w.path();
    another_jane_doe(d, "jane-old", "recipient", "s3", None);
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 3, "{:?}", codes(&r));
    assert_eq!(
        sig(&r)["codes"],
        serde_json::json!(["certificate-name-pinned"])
    );
}

#[test]
fn the_letter_date_is_checked_against_the_certificate_too() {
    let w = World::new();
    let d = w.path();
    std::fs::remove_file(d.join(SIG)).unwrap();
    ok(
        d,
        &[
            "sign",
            DOC,
            "--key",
            "secret/jdoe.key",
            "--cert",
            "jdoe.pem",
            "--chain",
            "inter.pem",
            "--keys",
            "recipient",
            "--date",
            "2025-06-01",
            "--letter-date",
            "2010-01-01",
            "--force-letter-date",
            "--accept-structure",
        ],
    );
    let (code, r) = w.verify(&[]);
    assert_eq!(code, 1, "{:?}", codes(&r));
    assert_eq!(
        sig(&r)["codes"],
        serde_json::json!(["certificate-not-yet-valid"])
    );
}
