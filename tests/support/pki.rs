//! A test PKI built at test time with `openssl ca` in a temporary directory: an organisation's
//! root CA (ECDSA P-256) and issuing CA (Ed25519, pathLenConstraint 0), plus a sub-CA the
//! issuing CA should not have certified (for paths too long) and an unrelated root (for
//! certificates from an unknown issuer).
//!
//! ```ignore
//! let pki = TestPki::new();
//! let cert = pki.issue(&csr_pem, Profile::Good);
//! let chain = pki.chain_der(&cert, Profile::Good); // signatory's certificate first, DER
//! pki.revoke(&cert, Reason::KeyCompromise);
//! let crl = pki.crl(false);
//! ```
//!
//! Every certificate is valid at 2025-06-01 unless its profile says otherwise; the CAs are valid
//! from 2000 to 2099. Needs `openssl` (3.0 or later) on the PATH.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What kind of certificate [`TestPki::issue`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Issued by the issuing CA, valid 2020..2099, digitalSignature, id-kp-documentSigning.
    Good,
    /// As `Good` but valid 2020-01-01..2021-01-01.
    Expired,
    /// As `Good` but valid 2090-01-01..2095-01-01.
    NotYetValid,
    /// As `Good` but with extended key usage emailProtection only.
    WrongEku,
    /// Issued by the sub-CA, which the issuing CA (pathlen:0) certified: one CA too many.
    PathTooLong,
    /// Issued by an unrelated root that no trust store has.
    WrongIssuer,
    /// As `Good`, but the key usage and extended key usage are the ones the request asked for
    /// (`copy_extensions = copy`); the CA adds only basic constraints.
    AsRequested,
}

/// A CRL reason for [`TestPki::revoke`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `keyCompromise`.
    KeyCompromise,
    /// `superseded`.
    Superseded,
    /// `cessationOfOperation`.
    CessationOfOperation,
}

impl Reason {
    fn openssl_name(self) -> &'static str {
        match self {
            Reason::KeyCompromise => "keyCompromise",
            Reason::Superseded => "superseded",
            Reason::CessationOfOperation => "cessationOfOperation",
        }
    }
}

const CONFIG: &str = r#"
[ca]
default_ca = CA_default

[CA_default]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir/certs
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = default
default_crl_days = 30
policy = policy_any
preserve = yes
unique_subject = no
email_in_dn = no
copy_extensions = none
utf8 = yes
string_mask = utf8only

[CA_copy]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir/certs
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = default
default_crl_days = 30
policy = policy_any
preserve = yes
unique_subject = no
email_in_dn = no
copy_extensions = copy
utf8 = yes
string_mask = utf8only

[policy_any]
commonName = supplied
title = optional
organizationName = optional
organizationalUnitName = optional
countryName = optional

[req]
distinguished_name = req_dn
prompt = no
utf8 = yes
string_mask = utf8only

[req_dn]
CN = unused

[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_sub]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf_good]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf_basic]
basicConstraints = critical, CA:FALSE
authorityKeyIdentifier = keyid

[leaf_wrong_eku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection
authorityKeyIdentifier = keyid
"#;

/// The test PKI; its directory is deleted when it is dropped.
pub struct TestPki {
    dir: tempfile::TempDir,
    counter: std::cell::Cell<u32>,
}

impl Default for TestPki {
    fn default() -> Self {
        Self::new()
    }
}

impl TestPki {
    /// Creates the CAs: `root` (CN=Test Root CA, O=Ministry of Records), `inter` (CN=Test
    /// Issuing CA), `sub` (CN=Test Sub CA, issued by inter) and `other` (CN=Other Root CA).
    pub fn new() -> TestPki {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("ca.cnf"), CONFIG).expect("write ca.cnf");
        let pki = TestPki {
            dir,
            counter: std::cell::Cell::new(0),
        };
        pki.new_ca(
            "root",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        );
        pki.ca_cert(
            "root",
            "root",
            "v3_root",
            "/CN=Test Root CA/O=Ministry of Records",
        );
        pki.new_ca("inter", &["-algorithm", "ed25519"]);
        pki.ca_cert(
            "inter",
            "root",
            "v3_inter",
            "/CN=Test Issuing CA/O=Ministry of Records",
        );
        pki.new_ca("sub", &["-algorithm", "ed25519"]);
        pki.ca_cert(
            "sub",
            "inter",
            "v3_sub",
            "/CN=Test Sub CA/O=Ministry of Records",
        );
        pki.new_ca("other", &["-algorithm", "ed25519"]);
        pki.ca_cert("other", "other", "v3_root", "/CN=Other Root CA/O=Elsewhere");
        pki
    }

    /// The temporary directory (CA directories `root/`, `inter/`, `sub/`, `other/`).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn openssl(&self, cadir: &str, args: &[&str]) -> String {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(self.path())
            .env("CADIR", self.path().join(cadir))
            .env("OPENSSL_CONF", self.path().join("ca.cnf"))
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn new_ca(&self, name: &str, keyopts: &[&str]) {
        let ca = self.path().join(name);
        fs::create_dir_all(ca.join("certs")).expect("mkdir");
        fs::write(ca.join("index.txt"), "").expect("index");
        fs::write(ca.join("serial"), "1000\n").expect("serial");
        fs::write(ca.join("crlnumber"), "01\n").expect("crlnumber");
        let key = format!("{name}/ca.key");
        let mut args = vec!["genpkey"];
        args.extend_from_slice(keyopts);
        args.extend_from_slice(&["-out", &key]);
        self.openssl(name, &args);
    }

    fn ca_cert(&self, name: &str, issuer: &str, ext: &str, subject: &str) {
        let key = format!("{name}/ca.key");
        let csr = format!("{name}/ca.csr");
        let cert = format!("{name}/ca.pem");
        self.openssl(
            name,
            &[
                "req", "-config", "ca.cnf", "-new", "-key", &key, "-subj", subject, "-out", &csr,
            ],
        );
        let mut args = vec![
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-notext",
            "-extensions",
            ext,
            "-startdate",
            "20000101000000Z",
            "-enddate",
            "20991231000000Z",
            "-in",
            &csr,
            "-out",
            &cert,
        ];
        if name == issuer {
            args.extend_from_slice(&["-selfsign", "-keyfile", &key]);
        }
        self.openssl(issuer, &args);
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).expect("read")
    }

    fn next_file(&self, stem: &str) -> (String, PathBuf) {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        let rel = format!("{stem}-{n}.pem");
        let abs = self.path().join(&rel);
        (rel, abs)
    }

    /// Issues a certificate for the request `csr_pem` (the request's subject kept as it is).
    pub fn issue(&self, csr_pem: &str, profile: Profile) -> String {
        let (csr_rel, csr_abs) = self.next_file("request");
        fs::write(csr_abs, csr_pem).expect("write csr");
        let (cert_rel, cert_abs) = self.next_file("cert");
        let section = if profile == Profile::AsRequested {
            "CA_copy"
        } else {
            "CA_default"
        };
        let (issuer, ext, start, end) = match profile {
            Profile::AsRequested => ("inter", "leaf_basic", "20200101000000Z", "20990101000000Z"),
            Profile::Good => ("inter", "leaf_good", "20200101000000Z", "20990101000000Z"),
            Profile::Expired => ("inter", "leaf_good", "20200101000000Z", "20210101000000Z"),
            Profile::NotYetValid => ("inter", "leaf_good", "20900101000000Z", "20950101000000Z"),
            Profile::WrongEku => (
                "inter",
                "leaf_wrong_eku",
                "20200101000000Z",
                "20990101000000Z",
            ),
            Profile::PathTooLong => ("sub", "leaf_good", "20200101000000Z", "20990101000000Z"),
            Profile::WrongIssuer => ("other", "leaf_good", "20200101000000Z", "20990101000000Z"),
        };
        self.openssl(
            issuer,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-name",
                section,
                "-notext",
                "-extensions",
                ext,
                "-startdate",
                start,
                "-enddate",
                end,
                "-in",
                &csr_rel,
                "-out",
                &cert_rel,
            ],
        );
        fs::read_to_string(cert_abs).expect("read cert")
    }

    /// The certificates a signature file would carry for a certificate of `profile`: `cert_pem`
    /// first, then its intermediates (none for `WrongIssuer`, whose issuer is a root), as DER.
    pub fn chain_der(&self, cert_pem: &str, profile: Profile) -> Vec<Vec<u8>> {
        let mut pems = vec![cert_pem.to_owned()];
        match profile {
            Profile::PathTooLong => {
                pems.push(self.sub_ca_pem());
                pems.push(self.intermediate_pem());
            }
            Profile::WrongIssuer => {}
            _ => pems.push(self.intermediate_pem()),
        }
        pems.iter().map(|p| pem_to_der(p)).collect()
    }

    /// Revokes `cert_pem` (issued by the issuing CA) now, for `reason`.
    pub fn revoke(&self, cert_pem: &str, reason: Reason) {
        let (rel, abs) = self.next_file("revoke");
        fs::write(abs, cert_pem).expect("write cert");
        self.openssl(
            "inter",
            &[
                "ca",
                "-config",
                "ca.cnf",
                "-revoke",
                &rel,
                "-crl_reason",
                reason.openssl_name(),
            ],
        );
    }

    /// Revokes `cert_pem` as [`TestPki::revoke`] does, then dates the revocation `yymmddhhmmssZ`
    /// (e.g. `"250301000000Z"`) in the CA's database, for tests of revocation times.
    pub fn revoke_at(&self, cert_pem: &str, reason: Reason, yymmddhhmmss_z: &str) {
        self.revoke(cert_pem, reason);
        let serial = self.serial(cert_pem);
        let index_path = self.path().join("inter/index.txt");
        let index = fs::read_to_string(&index_path).expect("index");
        let updated: Vec<String> = index
            .lines()
            .map(|line| {
                let mut fields: Vec<String> = line.split('\t').map(str::to_owned).collect();
                if fields.len() > 3 && fields[0] == "R" && fields[3] == serial {
                    // Field 2 is "date" or "date,reason".
                    fields[2] = match fields[2].split_once(',') {
                        Some((_, reason)) => format!("{yymmddhhmmss_z},{reason}"),
                        None => yymmddhhmmss_z.to_owned(),
                    };
                }
                fields.join("\t")
            })
            .collect();
        fs::write(index_path, updated.join("\n") + "\n").expect("write index");
    }

    fn serial(&self, cert_pem: &str) -> String {
        let (rel, abs) = self.next_file("serial");
        fs::write(abs, cert_pem).expect("write cert");
        let out = self.openssl("inter", &["x509", "-in", &rel, "-noout", "-serial"]);
        out.trim().trim_start_matches("serial=").to_owned()
    }

    /// The issuing CA's CRL (PEM): fresh (now, for 30 days) or stale (2020-01-01 to 2020-02-01).
    pub fn crl(&self, stale: bool) -> String {
        let (rel, abs) = self.next_file("crl");
        let mut args = vec!["ca", "-config", "ca.cnf", "-gencrl", "-out", &rel];
        if stale {
            args.extend_from_slice(&[
                "-crl_lastupdate",
                "20200101000000Z",
                "-crl_nextupdate",
                "20200201000000Z",
            ]);
        }
        self.openssl("inter", &args);
        fs::read_to_string(abs).expect("read crl")
    }

    /// The root CA's certificate (PEM), for a trust store's `roots/`.
    pub fn root_pem(&self) -> String {
        self.read("root/ca.pem")
    }

    /// The issuing CA's certificate (PEM).
    pub fn intermediate_pem(&self) -> String {
        self.read("inter/ca.pem")
    }

    /// The sub-CA's certificate (PEM): a CA below the issuing CA, beyond its path length.
    pub fn sub_ca_pem(&self) -> String {
        self.read("sub/ca.pem")
    }

    /// The unrelated root's certificate (PEM).
    pub fn other_root_pem(&self) -> String {
        self.read("other/ca.pem")
    }

    /// Asks `openssl req -verify` whether `csr_pem` is a well-formed, self-signed request.
    /// (OpenSSL 3.0 exits with 0 even when the signature fails: its message decides.)
    pub fn openssl_verifies_csr(&self, csr_pem: &str) -> bool {
        let (rel, abs) = self.next_file("verify");
        fs::write(abs, csr_pem).expect("write csr");
        let Ok(out) = Command::new("openssl")
            .args(["req", "-verify", "-noout", "-in", &rel])
            .current_dir(self.path())
            .output()
        else {
            return false;
        };
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.status.success() && text.contains("verify OK") && !text.contains("failure")
    }
}

/// The DER of the first PEM block in `pem`.
pub fn pem_to_der(pem: &str) -> Vec<u8> {
    transmittal_core::pkix::path::certs_from_pem_or_der(pem.as_bytes())
        .ok()
        .and_then(|mut v| {
            if v.is_empty() {
                None
            } else {
                Some(v.remove(0))
            }
        })
        .or_else(|| {
            transmittal_core::pkix::path::crls_from_pem_or_der(pem.as_bytes())
                .ok()
                .and_then(|mut v| {
                    if v.is_empty() {
                        None
                    } else {
                        Some(v.remove(0))
                    }
                })
        })
        .expect("a PEM certificate or CRL")
}
