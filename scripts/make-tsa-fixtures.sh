#!/usr/bin/env bash
# Makes the RFC 3161 fixtures of crates/core/src/timestamp/tests.rs in crates/core/tests/data/tsa/
# with OpenSSL 3 (and python3's standard library for the few tokens `openssl ts` refuses to make).
#
# Everything is throwaway: a root CA, an intermediate CA, TSA certificates (RSA-2048, ECDSA P-256,
# ECDSA P-384) with the critical timeStamping extended key usage, TSA certificates without it (or
# with it not critical, or with a second purpose), an expired TSA certificate, two TSA
# certificates the root revokes (keyCompromise, superseded) with the root's CRLs, and an unrelated
# root. The tokens cover one fixed imprint: SHA-256 of the 64 bytes 00 01 .. 3f (standing in for an
# Ed25519 signature). Run it again to make new ones; the tests only rely on what is described in
# crates/core/tests/data/tsa/README.md.
set -euo pipefail

root_dir=$(cd "$(dirname "$0")/.." && pwd)
out="$root_dir/crates/core/tests/data/tsa"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p "$out"

python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(64)))' > signature.bin

# --- Certificates ------------------------------------------------------------------------------
cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
new_certs_dir = newcerts
serial = serial
crlnumber = crlnumber
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
email_in_dn = no
[ any ]
countryName = optional
organizationName = optional
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_ca_serverauth ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_noeku ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_noncritical ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_extra ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping,codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
mkdir newcerts
: > index.txt
echo 1000 > serial
echo 01 > crlnumber

key() { # key NAME rsa|p256|p384
  case "$2" in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
  esac
}

root() { # root NAME KEYTYPE "CN"
  key "$1" "$2"
  openssl req -new -x509 -key "$1.key" -subj "/O=Transmittal Test/CN=$3" -days 36500 \
    -config ca.cnf -extensions v3_ca -set_serial 1 -out "$1.pem"
}

issue() { # issue NAME KEYTYPE "CN" ISSUER EXTENSIONS START END
  key "$1" "$2"
  openssl req -new -key "$1.key" -subj "/O=Transmittal Test/CN=$3" -out "$1.csr"
  openssl ca -batch -config ca.cnf -cert "$4.pem" -keyfile "$4.key" -in "$1.csr" \
    -extensions "$5" -startdate "$6" -enddate "$7" -notext -out "$1.pem" 2>/dev/null
}

root root p256 "Test TSA Root"
root other-root p256 "Unrelated Root"
root namesake-root p256 "Test TSA Root"
issue inter p256 "Test TSA Intermediate" root v3_ca 20200101000000Z 21000101000000Z
issue inter-serverauth p256 "Test Server-Auth Intermediate" root v3_ca_serverauth 20200101000000Z 21000101000000Z
issue tsa-rsa rsa "Test TSA RSA" root tsa 20200101000000Z 21000101000000Z
issue tsa-p256 p256 "Test TSA P-256" root tsa 20200101000000Z 21000101000000Z
issue tsa-p384 p384 "Test TSA P-384" inter tsa 20200101000000Z 21000101000000Z
issue tsa-expired p256 "Test TSA Expired" root tsa 20200101000000Z 20210101000000Z
issue tsa-noeku p256 "Test TSA No EKU" root tsa_noeku 20200101000000Z 21000101000000Z
issue tsa-noncritical p256 "Test TSA Non-critical EKU" root tsa_noncritical 20200101000000Z 21000101000000Z
issue tsa-extra p256 "Test TSA Extra EKU" root tsa_extra 20200101000000Z 21000101000000Z
issue tsa-under-serverauth p256 "Test TSA Under Server-Auth CA" inter-serverauth tsa 20200101000000Z 21000101000000Z
issue tsa-kc p256 "Test TSA Key Compromised" root tsa 20200101000000Z 21000101000000Z
issue tsa-sup p256 "Test TSA Superseded" root tsa 20200101000000Z 21000101000000Z

# --- Requests ----------------------------------------------------------------------------------
# The request of build_request(SHA-256(signature.bin), 01 02 .. 10): version 1, the imprint with
# sha256 (NULL parameters, as OpenSSL writes them), the 16-byte nonce, certReq TRUE. Written here
# byte by byte so the test compares the core's encoder against an independent one.
python3 - <<'PY'
import hashlib
def tlv(tag, body):
    n = len(body)
    if n < 0x80: length = bytes([n])
    elif n < 0x100: length = bytes([0x81, n])
    else: length = bytes([0x82, n >> 8, n & 0xff])
    return bytes([tag]) + length + body
imprint = hashlib.sha256(bytes(range(64))).digest()
sha256 = tlv(0x30, tlv(0x06, bytes.fromhex("608648016503040201")) + b"\x05\x00")
req = tlv(0x30, tlv(0x02, b"\x01") + tlv(0x30, sha256 + tlv(0x04, imprint))
          + tlv(0x02, bytes(range(1, 17))) + tlv(0x01, b"\xff"))
open("request.tsq", "wb").write(req)
PY
openssl ts -query -data signature.bin -sha256 -cert -out other-nonce.tsq

# --- Tokens from `openssl ts -reply` -----------------------------------------------------------
reply() { # reply TSA QUERY OUT [CHAIN]
  cat > ts.cnf <<CNF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = tsaserial
crypto_device = builtin
signer_cert = $1.pem
signer_key = $1.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1.1
other_policies = 1.3.6.1.4.1.99999.1.2
digests = sha256, sha384, sha512
$( [ -n "${ACCURACY-secs:1}" ] && echo "accuracy = ${ACCURACY-secs:1}" )
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
  if [ -n "${4:-}" ]; then echo "certs = $4.pem" >> ts.cnf; fi
  [ -f tsaserial ] || echo 01 > tsaserial
  openssl ts -reply -config ts.cnf -queryfile "$2" -out "$3" 2>/dev/null
  # `openssl ts -reply` exits 0 and writes a rejection when it cannot sign: insist on "Granted".
  openssl ts -reply -in "$3" -text | grep -q 'Status: Granted' || { echo "reply $3 not granted" >&2; exit 1; }
}

reply tsa-rsa request.tsq rsa.tsr
reply tsa-p256 request.tsq p256.tsr
reply tsa-p384 request.tsq p384.tsr inter
reply tsa-expired request.tsq expired.tsr
reply tsa-p256 other-nonce.tsq other-nonce.tsr
reply tsa-under-serverauth request.tsq ca-eku.tsr inter-serverauth
reply tsa-kc request.tsq kc.tsr
reply tsa-sup request.tsq sup.tsr
ACCURACY="secs:2, millisecs:500" reply tsa-p256 request.tsq accuracy-ms.tsr
ACCURACY="microsecs:1" reply tsa-p256 request.tsq accuracy-us.tsr
ACCURACY="" reply tsa-p256 request.tsq no-accuracy.tsr
for r in rsa p256 p384 expired ca-eku kc sup accuracy-ms accuracy-us no-accuracy; do
  openssl ts -reply -in $r.tsr -token_out -out $r.tst
done

# A rejected response: a request for an imprint algorithm the TSA does not accept (SHA-1).
openssl ts -query -data signature.bin -sha1 -cert -out sha1.tsq
sed -i 's/^digests = .*/digests = sha256/' ts.cnf
openssl ts -reply -config ts.cnf -queryfile sha1.tsq -out rejected.tsr 2>/dev/null || true
openssl ts -reply -in rejected.tsr -text | grep -q 'Status: Rejected' || { echo "rejected.tsr is not a rejection" >&2; exit 1; }

# --- Tokens `openssl ts` will not make ---------------------------------------------------------
# OpenSSL refuses to sign a token with a certificate whose only extended key usage is not a
# critical timeStamping one, so these are CMS SignedData built here around the TSTInfo of the
# P-256 token, signed with `openssl dgst`: signed attributes contentType, messageDigest and
# signingCertificateV2 (or signingCertificate, or none), exactly as `openssl ts` lays them out.
openssl cms -verify -noverify -binary -inform DER -in p256.tst -out tstinfo.der 2>/dev/null
for c in root tsa-p256 tsa-noeku tsa-noncritical tsa-extra; do
  openssl x509 -in $c.pem -outform DER -out $c.der
done

build() { # build SIGNER OUT ESS-MODE
  python3 - "$1" "$3" <<'PY' > attrs.der
import hashlib, sys
signer, mode = sys.argv[1], sys.argv[2]
def tlv(tag, body):
    n = len(body)
    if n < 0x80: length = bytes([n])
    elif n < 0x100: length = bytes([0x81, n])
    else: length = bytes([0x82, n >> 8, n & 0xff])
    return bytes([tag]) + length + body
def oid(hexs): return tlv(0x06, bytes.fromhex(hexs))
tst = open("tstinfo.der", "rb").read()
cert = open(signer + ".der", "rb").read()
if mode == "wrong-cert":
    cert = open("root.der", "rb").read()
attrs = [
    tlv(0x30, oid("2a864886f70d010903") + tlv(0x31, oid("2a864886f70d0109100104"))),
    tlv(0x30, oid("2a864886f70d010904") + tlv(0x31, tlv(0x04, hashlib.sha256(tst).digest()))),
]
if mode in ("v2", "wrong-cert"):
    ess = tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, hashlib.sha256(cert).digest()))))
    attrs.append(tlv(0x30, oid("2a864886f70d010910022f") + tlv(0x31, ess)))
elif mode == "v1":
    ess = tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x04, hashlib.sha1(cert).digest()))))
    attrs.append(tlv(0x30, oid("2a864886f70d010910020c") + tlv(0x31, ess)))
attrs.sort()
sys.stdout.buffer.write(tlv(0x31, b"".join(attrs)))
PY
  openssl dgst -sha256 -sign "$1.key" -out sig.bin attrs.der
  python3 - "$1" "$2" <<'PY'
import hashlib, sys
signer, out = sys.argv[1], sys.argv[2]
def tlv(tag, body):
    n = len(body)
    if n < 0x80: length = bytes([n])
    elif n < 0x100: length = bytes([0x81, n])
    else: length = bytes([0x82, n >> 8, n & 0xff])
    return bytes([tag]) + length + body
def parse(b, i=0):
    tag = b[i]; n = b[i + 1]; i += 2
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[i:i + k], "big"); i += k
    return tag, b[i:i + n], i + n
def children(body):
    i, out = 0, []
    while i < len(body):
        start = i
        tag, value, i = parse(body, i)
        out.append(body[start:i])
    return out
def oid(hexs): return tlv(0x06, bytes.fromhex(hexs))
tst = open("tstinfo.der", "rb").read()
cert = open(signer + ".der", "rb").read()
attrs = open("attrs.der", "rb").read()
sig = open("sig.bin", "rb").read()
_, cert_body, _ = parse(cert)
tbs = children(cert_body)[0]
_, tbs_body, _ = parse(tbs)
fields = children(tbs_body)
serial, issuer = fields[1], fields[3]
sha256 = tlv(0x30, oid("608648016503040201"))
ecdsa_sha256 = tlv(0x30, oid("2a8648ce3d040302"))
signer_info = tlv(0x30, tlv(0x02, b"\x01") + tlv(0x30, issuer + serial) + sha256
                  + b"\xa0" + attrs[1:] + ecdsa_sha256 + tlv(0x04, sig))
signed_data = tlv(0x30, tlv(0x02, b"\x03") + tlv(0x31, sha256)
                  + tlv(0x30, oid("2a864886f70d0109100104") + tlv(0xa0, tlv(0x04, tst)))
                  + tlv(0xa0, cert) + tlv(0x31, signer_info))
token = tlv(0x30, oid("2a864886f70d010702") + tlv(0xa0, signed_data))
open(out, "wb").write(token)
PY
  # The token must be a CMS signature OpenSSL itself accepts.
  openssl cms -verify -noverify -binary -inform DER -in "$2" -out /dev/null 2>/dev/null \
    || { echo "$2 does not verify as CMS" >&2; exit 1; }
}

build tsa-p256 built-good.tst v2
build tsa-noeku noeku.tst v2
build tsa-noncritical noncritical.tst v2
build tsa-extra extra-eku.tst v2
build tsa-p256 ess-v1.tst v1
build tsa-p256 no-ess.tst none
build tsa-p256 ess-wrong-cert.tst wrong-cert

# --- Revocations and CRLs ----------------------------------------------------------------------
# The root revokes tsa-kc (keyCompromise) and tsa-sup (superseded). `openssl ca -revoke` stamps
# the current time; the index is edited to the dates each CRL should say.
openssl ca -config ca.cnf -cert root.pem -keyfile root.key -revoke tsa-kc.pem \
  -crl_reason keyCompromise 2>/dev/null
openssl ca -config ca.cnf -cert root.pem -keyfile root.key -revoke tsa-sup.pem \
  -crl_reason superseded 2>/dev/null
gencrl() { # gencrl LAST NEXT OUT
  openssl ca -config ca.cnf -cert root.pem -keyfile root.key -gencrl -crl_lastupdate "$1" \
    -crl_nextupdate "$2" -out crl.pem 2>/dev/null
  openssl crl -in crl.pem -outform DER -out "$3"
}
revoked_on() { sed -i -E "s/^R\t([0-9]+Z)\t[0-9]+Z/R\t\1\t$1/" index.txt; }
revoked_on 490101000000Z
gencrl 20250101000000Z 21000101000000Z crl-root.der
gencrl 20200101000000Z 20200201000000Z crl-root-stale.der
revoked_on 200601000000Z
gencrl 20250101000000Z 21000101000000Z crl-root-early.der
openssl crl -inform DER -in crl-root.der -noout -text | grep -q "Jan  1 00:00:00 2049 GMT" \
  || { echo "crl-root.der does not say 2049" >&2; exit 1; }

# --- Out ---------------------------------------------------------------------------------------
rm -f "$out"/*.der "$out"/*.tst "$out"/*.tsr "$out"/*.tsq
cp crl-root.der crl-root-stale.der crl-root-early.der "$out/"
for c in root other-root namesake-root; do openssl x509 -in $c.pem -outform DER -out "$out/$c.der"; done
cp root.pem "$out/root.pem"
cp request.tsq rsa.tsr p256.tsr p384.tsr expired.tsr other-nonce.tsr rejected.tsr "$out/"
cp rsa.tst p256.tst p384.tst expired.tst ca-eku.tst built-good.tst noeku.tst noncritical.tst extra-eku.tst \
  ess-v1.tst no-ess.tst ess-wrong-cert.tst kc.tst sup.tst accuracy-ms.tst accuracy-us.tst \
  no-accuracy.tst "$out/"
echo "fixtures written to $out"
