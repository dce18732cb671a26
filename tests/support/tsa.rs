//! A throwaway RFC 3161 time-stamping authority for tests: OpenSSL's `ts -reply` behind a tiny
//! HTTP server on 127.0.0.1.
//!
//! [`TestTsa::start`] makes, in a temporary directory, a root CA and a TSA certificate (the same
//! recipe as `scripts/make-tsa-fixtures.sh`) and serves `POST` requests from a thread until the
//! `TestTsa` is dropped. Each request body is written to a file, answered by
//! `openssl ts -reply`, checked to be granted (OpenSSL exits 0 and writes a rejection when it
//! cannot sign) and sent back as `200 application/timestamp-reply`. Needs `openssl` 3 on `PATH`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// The TSA's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA-2048, PKCS#1 v1.5 signatures.
    Rsa,
    /// ECDSA P-256.
    P256,
    /// ECDSA P-384.
    P384,
}

/// The TSA certificate. (A certificate without the timeStamping extended key usage is not
/// offered: `openssl ts -reply` refuses to sign with one; the core's fixtures cover it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertVariant {
    /// Valid 2020–2100, critical extended key usage timeStamping.
    Good,
    /// Valid 2020–2021 only: expired at any `genTime` the TSA writes today.
    Expired,
}

/// How the test TSA behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The TSA's key.
    pub key: KeyType,
    /// The TSA's certificate.
    pub cert: CertVariant,
    /// Answer each request with the reply to another request: the same imprint, another nonce.
    pub wrong_nonce: bool,
    /// The root CA's common name (its subject is `O=Transmittal Test, CN=...`).
    pub root_cn: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            key: KeyType::P256,
            cert: CertVariant::Good,
            wrong_nonce: false,
            root_cn: "Test TSA Root",
        }
    }
}

/// A running test TSA; stops its thread when dropped.
pub struct TestTsa {
    dir: tempfile::TempDir,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Runs `openssl` with `args` in `dir` and panics with its stderr when it fails.
fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

const CA_CONFIG: &str = "\
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
email_in_dn = no
[ any ]
organizationName = optional
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

fn genkey(dir: &Path, name: &str, key: KeyType) {
    let out = format!("{name}.key");
    let args: &[&str] = match key {
        KeyType::Rsa => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        KeyType::P256 => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        KeyType::P384 => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    };
    let mut all = vec!["genpkey"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-out", &out]);
    openssl(dir, &all);
}

/// Makes `root.pem` / `root.key` and `tsa.pem` / `tsa.key` in `dir`, and the `ts` config.
fn make_pki(dir: &Path, options: Options) {
    std::fs::write(dir.join("ca.cnf"), CA_CONFIG).unwrap();
    std::fs::create_dir(dir.join("newcerts")).unwrap();
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "1000\n").unwrap();
    std::fs::write(dir.join("tsaserial"), "01\n").unwrap();

    genkey(dir, "root", KeyType::P256);
    let root_subject = format!("/O=Transmittal Test/CN={}", options.root_cn);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            "root.key",
            "-subj",
            &root_subject,
            "-days",
            "36500",
            "-config",
            "ca.cnf",
            "-extensions",
            "v3_ca",
            "-set_serial",
            "1",
            "-out",
            "root.pem",
        ],
    );
    openssl(
        dir,
        &[
            "x509", "-in", "root.pem", "-outform", "DER", "-out", "root.der",
        ],
    );

    genkey(dir, "tsa", options.key);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "tsa.key",
            "-subj",
            "/O=Transmittal Test/CN=Test TSA",
            "-out",
            "tsa.csr",
        ],
    );
    let end = match options.cert {
        CertVariant::Good => "21000101000000Z",
        CertVariant::Expired => "20210101000000Z",
    };
    openssl(
        dir,
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            "root.pem",
            "-keyfile",
            "root.key",
            "-in",
            "tsa.csr",
            "-extensions",
            "tsa",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            end,
            "-notext",
            "-out",
            "tsa.pem",
        ],
    );
    std::fs::write(
        dir.join("ts.cnf"),
        "\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = tsaserial
crypto_device = builtin
signer_cert = tsa.pem
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
",
    )
    .unwrap();
}

/// The longest request the server reads.
const MAX_REQUEST: usize = 64 * 1024;

/// Reads one HTTP request; returns its body.
fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())?;
            if len > MAX_REQUEST {
                return None;
            }
            while data.len() < end + 4 + len {
                let n = stream.read(&mut buf).ok()?;
                if n == 0 {
                    return None;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return Some(data[end + 4..end + 4 + len].to_vec());
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 || data.len() > MAX_REQUEST {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// The same query with another nonce: the request of `build_request` holds the imprint as the
/// first `OCTET STRING` of 32 bytes.
fn with_other_nonce(query: &[u8]) -> Option<Vec<u8>> {
    let at = query.windows(2).position(|w| w == [0x04, 0x20])? + 2;
    let imprint: [u8; 32] = query.get(at..at + 32)?.try_into().ok()?;
    Some(transmittal_core::timestamp::build_request(
        &imprint,
        &[0x5a; 16],
    ))
}

/// Answers one request: the reply `openssl ts -reply` makes, or why there is none.
fn answer(dir: &Path, n: usize, query: &[u8], options: Options) -> Result<Vec<u8>, String> {
    let query = if options.wrong_nonce {
        with_other_nonce(query).ok_or("not a request of build_request")?
    } else {
        query.to_vec()
    };
    let tsq = format!("query-{n}.tsq");
    let tsr = format!("reply-{n}.tsr");
    std::fs::write(dir.join(&tsq), &query).map_err(|e| e.to_string())?;
    let out = Command::new("openssl")
        .args([
            "ts",
            "-reply",
            "-config",
            "ts.cnf",
            "-queryfile",
            &tsq,
            "-out",
            &tsr,
        ])
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = Command::new("openssl")
        .args(["ts", "-reply", "-in", &tsr, "-text"])
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    if !text.contains("Status: Granted") {
        return Err(format!(
            "openssl ts -reply did not grant the request:\n{text}"
        ));
    }
    std::fs::read(dir.join(&tsr)).map_err(|e| e.to_string())
}

impl TestTsa {
    /// A TSA with a good certificate and a key of type `key`.
    pub fn start(key: KeyType) -> TestTsa {
        TestTsa::with(Options {
            key,
            ..Options::default()
        })
    }

    /// A TSA as `options` say.
    pub fn with(options: Options) -> TestTsa {
        let dir = tempfile::tempdir().unwrap();
        make_pki(dir.path(), options);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                for (n, stream) in listener.incoming().enumerate() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    let Some(query) = read_request(&mut stream) else {
                        respond(&mut stream, "400 Bad Request", "text/plain", b"bad request");
                        continue;
                    };
                    match answer(&dir, n, &query, options) {
                        Ok(reply) => {
                            respond(&mut stream, "200 OK", "application/timestamp-reply", &reply)
                        }
                        Err(why) => respond(
                            &mut stream,
                            "500 Internal Server Error",
                            "text/plain",
                            why.as_bytes(),
                        ),
                    }
                }
            })
        };
        TestTsa {
            dir,
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// The URL to POST requests to.
    pub fn url(&self) -> String {
        format!("http://{}/tsr", self.addr)
    }

    /// The root CA's certificate, PEM (what goes in a trust store's `tsa/` folder).
    pub fn root_pem_path(&self) -> PathBuf {
        self.dir.path().join("root.pem")
    }

    /// The root CA's certificate, PEM.
    pub fn root_pem(&self) -> Vec<u8> {
        std::fs::read(self.root_pem_path()).unwrap()
    }

    /// The root CA's certificate, DER (what `verify_token` takes).
    pub fn root_der(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("root.der")).unwrap()
    }

    /// The TSA's certificate, PEM.
    pub fn tsa_cert_pem(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("tsa.pem")).unwrap()
    }
}

impl Drop for TestTsa {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
