#!/usr/bin/env bash
# Regenerates the organisation-certificate fixtures in crates/core/tests/data/pki/ (the unit tests
# of crates/core/src/pkix/tests.rs) with OpenSSL 3.0's `openssl ca`.
#
#   root        ECDSA P-256, CN=Test Root CA, valid 2020..2099
#   inter       Ed25519, issued by root, pathlen:0 (the issuing CA of the signatories)
#   signatory   the fixed Ed25519 key of "Ann Lee" (signatory.key, raw public key signatory.pub)
#   leaf-*.pem  certificates for that key, issued by inter unless said otherwise:
#     good          CN=Ann Lee, title=Director, O=Ministry of Records; digitalSignature,
#                   id-kp-documentSigning (1.3.6.1.5.5.7.3.36, RFC 9336); 2024..2034
#     expired       valid 2021..2022
#     notyet        valid 2090..2095
#     wrong-eku     emailProtection only
#     no-eku        no extended key usage at all
#     no-digsig     keyUsage nonRepudiation only
#     revoked-kc    revoked 2025-03-01 with keyCompromise
#     revoked-sup   revoked 2025-03-01 with superseded
#     other-root    issued by other-root (not in the trust store)
#     impostor      issued by a CA with inter's name but another key
#     too-long      issued by sub (a CA that inter, pathlen:0, should not have issued)
#     constrained   issued by constrained (nameConstraints permitted dirName O=Elsewhere)
#     constrained-inside  the same with O=Elsewhere, inside the constraint (webpki refuses it too:
#                   it implements no directoryName constraints)
#     under-revoked-ca  issued by revoked-ca, an issuing CA the root revoked (cACompromise)
#     revoked-inv   revoked 2025-03-01 with keyCompromise and invalidityDate 2025-01-15
#     revoked-cess  revoked 2025-03-01 with cessationOfOperation
#     revoked-aff   revoked 2025-03-01 with affiliationChanged
#     revoked-hold  revoked 2025-03-01 with certificateHold
#     revoked-unspec  revoked 2025-03-01 with unspecified
#     revoked-none  revoked 2025-03-01 without a reason code
#   crl-inter.pem        inter's CRL (all the revoked-* above), 2025-01-01..2035-01-01
#   crl-inter-stale.pem  the same, 2024-01-01..2024-02-01
#   crl-inter-empty.pem  inter's CRL from before the revocations (lists nothing), 2025-01-01..2035-01-01
#   crl-inter-stale-empty.pem  the same, 2024-01-01..2024-02-01
#   crl-inter-printable.pem  crl-inter.pem's list signed by inter's key, its issuer name the same
#                        text as PrintableStrings (inter's certificate has UTF8Strings)
#   crl-inter-case.pem   the same, its issuer "CN=TEST ISSUING  CA, O=ministry of records"
#   crl-root.pem         root's CRL (revoked-ca), 2025-01-01..2035-01-01
#   crl-impostor.pem     a CRL in inter's name signed by the impostor's key
#   crl-other-v1.pem     other-root's CRL, version 1 (no extensions, no version field)
#
# The tests validate at 2025-06-01 and check freshness at 2025-06-02.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/crates/core/tests/data/pki"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

cat >ca.cnf <<'EOF'
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

[v3_constrained]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;dirName:nc_dir
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[nc_dir]
O = Elsewhere

[leaf_good]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf_wrong_eku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection
authorityKeyIdentifier = keyid

[leaf_no_eku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
authorityKeyIdentifier = keyid

[leaf_no_digsig]
basicConstraints = critical, CA:FALSE
keyUsage = critical, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
authorityKeyIdentifier = keyid
EOF
export OPENSSL_CONF="$work/ca.cnf" CADIR="$work"

# new_ca NAME KEYALG: a CA directory with a key (no certificate yet).
new_ca() {
    mkdir -p "$1/certs"
    : >"$1/index.txt"
    echo 1000 >"$1/serial"
    echo 01 >"$1/crlnumber"
    case "$2" in
    ed25519) openssl genpkey -algorithm ed25519 -out "$1/ca.key" ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1/ca.key" ;;
    esac
}

# sign ISSUER EXT CSR OUT START END [extra ca args]
sign() {
    local issuer=$1 ext=$2 csr=$3 outfile=$4 start=$5 end=$6
    shift 6
    CADIR="$work/$issuer" openssl ca -batch -config ca.cnf -extensions "$ext" \
        -startdate "$start" -enddate "$end" -in "$csr" -out "$outfile" -notext "$@" 2>>"$work/log" || { cat "$work/log"; exit 1; }
}

# ca_cert NAME ISSUER EXT SUBJECT: the certificate of CA NAME, issued by ISSUER (itself: self-signed).
ca_cert() {
    local name=$1 issuer=$2 ext=$3 subj=$4
    openssl req -new -key "$name/ca.key" -subj "$subj" -out "$name/ca.csr"
    if [ "$name" = "$issuer" ]; then
        CADIR="$work/$name" openssl ca -batch -config ca.cnf -selfsign -keyfile "$name/ca.key" \
            -extensions "$ext" -startdate 20200101000000Z -enddate 20991231000000Z \
            -in "$name/ca.csr" -out "$name/ca.pem" -notext 2>>"$work/log" || { cat "$work/log"; exit 1; }
    else
        sign "$issuer" "$ext" "$name/ca.csr" "$name/ca.pem" 20200101000000Z 20991231000000Z
    fi
}

new_ca root p256
ca_cert root root v3_root "/CN=Test Root CA/O=Ministry of Records"
new_ca inter ed25519
ca_cert inter root v3_inter "/CN=Test Issuing CA/O=Ministry of Records"
new_ca other ed25519
ca_cert other other v3_root "/CN=Other Root CA/O=Elsewhere"
new_ca impostor ed25519
ca_cert impostor impostor v3_inter "/CN=Test Issuing CA/O=Ministry of Records"
new_ca sub ed25519
ca_cert sub inter v3_sub "/CN=Test Sub CA/O=Ministry of Records"
new_ca revoked-ca ed25519
ca_cert revoked-ca root v3_inter "/CN=Revoked Issuing CA/O=Ministry of Records"
new_ca constrained ed25519
ca_cert constrained root v3_constrained "/CN=Constrained CA/O=Elsewhere"

# The signatory's key and request.
openssl genpkey -algorithm ed25519 -out signatory.key
openssl pkey -in signatory.key -pubout -outform DER | tail -c 32 >signatory.pub
openssl req -new -key signatory.key -utf8 \
    -subj "/CN=Ann Lee/title=Director/O=Ministry of Records" -out signatory.csr

sign inter leaf_good signatory.csr leaf-good.pem 20240101000000Z 20340101000000Z
sign inter leaf_good signatory.csr leaf-expired.pem 20210101000000Z 20220101000000Z
sign inter leaf_good signatory.csr leaf-notyet.pem 20900101000000Z 20950101000000Z
sign inter leaf_wrong_eku signatory.csr leaf-wrong-eku.pem 20240101000000Z 20340101000000Z
sign inter leaf_no_eku signatory.csr leaf-no-eku.pem 20240101000000Z 20340101000000Z
sign inter leaf_no_digsig signatory.csr leaf-no-digsig.pem 20240101000000Z 20340101000000Z
sign inter leaf_good signatory.csr leaf-revoked-kc.pem 20240101000000Z 20340101000000Z
sign inter leaf_good signatory.csr leaf-revoked-sup.pem 20240101000000Z 20340101000000Z
sign other leaf_good signatory.csr leaf-other-root.pem 20240101000000Z 20340101000000Z
sign impostor leaf_good signatory.csr leaf-impostor.pem 20240101000000Z 20340101000000Z
sign sub leaf_good signatory.csr leaf-too-long.pem 20240101000000Z 20340101000000Z
sign revoked-ca leaf_good signatory.csr leaf-under-revoked-ca.pem 20240101000000Z 20340101000000Z
for r in inv cess aff hold unspec none; do
    sign inter leaf_good signatory.csr "leaf-revoked-$r.pem" 20240101000000Z 20340101000000Z
done
openssl req -new -key signatory.key -utf8 \
    -subj "/CN=Ann Lee/title=Director/O=Ministry of Records" -out constrained.csr
sign constrained leaf_good constrained.csr leaf-constrained.pem 20240101000000Z 20340101000000Z
openssl req -new -key signatory.key -utf8 -subj "/CN=Ann Lee/O=Elsewhere" -out inside.csr
sign constrained leaf_good inside.csr leaf-constrained-inside.pem 20240101000000Z 20340101000000Z

gencrl() {
    CADIR="$work/$1" openssl ca -config ca.cnf -gencrl -crl_lastupdate "$2" \
        -crl_nextupdate "$3" -out "$4" "${@:5}" 2>>"$work/log" || { cat "$work/log"; exit 1; }
}
# inter's CRLs from before any revocation.
gencrl inter 20250101000000Z 20350101000000Z crl-inter-empty.pem
gencrl inter 20240101000000Z 20240201000000Z crl-inter-stale-empty.pem

# Revocations (2025-03-01) and CRLs.
revoke() { # revoke CA CERT [openssl ca options]
    CADIR="$work/$1" openssl ca -config ca.cnf -revoke "$2" "${@:3}" 2>>"$work/log" || { cat "$work/log"; exit 1; }
}
revoke inter leaf-revoked-inv.pem -crl_compromise 20250115000000Z
revoke inter leaf-revoked-cess.pem -crl_reason cessationOfOperation
revoke inter leaf-revoked-aff.pem -crl_reason affiliationChanged
revoke inter leaf-revoked-hold.pem -crl_reason certificateHold -crl_hold holdInstructionReject
revoke inter leaf-revoked-unspec.pem -crl_reason unspecified
revoke inter leaf-revoked-none.pem
CADIR="$work/inter" openssl ca -config ca.cnf -revoke leaf-revoked-kc.pem \
    -crl_reason keyCompromise 2>>"$work/log" || { cat "$work/log"; exit 1; }
CADIR="$work/inter" openssl ca -config ca.cnf -revoke leaf-revoked-sup.pem \
    -crl_reason superseded 2>>"$work/log" || { cat "$work/log"; exit 1; }
CADIR="$work/root" openssl ca -config ca.cnf -revoke revoked-ca/ca.pem \
    -crl_reason CACompromise 2>>"$work/log" || { cat "$work/log"; exit 1; }
# `openssl ca -revoke` stamps the current time; the fixtures say 2025-03-01.
sed -i -E 's/^R\t([0-9]+Z)\t[0-9]+Z/R\t\1\t250301000000Z/' inter/index.txt root/index.txt
gencrl inter 20250101000000Z 20350101000000Z crl-inter.pem
gencrl inter 20240101000000Z 20240201000000Z crl-inter-stale.pem
gencrl root 20250101000000Z 20350101000000Z crl-root.pem
gencrl impostor 20250101000000Z 20350101000000Z crl-impostor.pem
# inter's list and key under its name spelled otherwise: self-signed stand-ins for inter's
# certificate whose subject `openssl ca -gencrl` copies into the CRL's issuer.
cat >alt.cnf <<'EOF'
[req]
distinguished_name = req_dn
prompt = no
string_mask = nombstr
[req_dn]
CN = unused
EOF
openssl req -new -x509 -config alt.cnf -key inter/ca.key -days 1 \
    -subj "/CN=Test Issuing CA/O=Ministry of Records" -out inter-printable.pem
openssl req -new -x509 -config ca.cnf -utf8 -key inter/ca.key -days 1 \
    -subj "/CN=TEST ISSUING  CA/O=ministry of records" -out inter-case.pem
gencrl inter 20250101000000Z 20350101000000Z crl-inter-printable.pem -cert inter-printable.pem
gencrl inter 20250101000000Z 20350101000000Z crl-inter-case.pem -cert inter-case.pem
# Without a CRL number (no extensions at all) OpenSSL writes a version 1 CRL.
sed -i 's/^crlnumber = .*$/# (no crlnumber)/' ca.cnf
gencrl other 20250101000000Z 20350101000000Z crl-other-v1.pem

cp root/ca.pem "$out/root.pem"
cp inter/ca.pem "$out/inter.pem"
cp other/ca.pem "$out/other-root.pem"
cp impostor/ca.pem "$out/impostor.pem"
cp sub/ca.pem "$out/sub.pem"
cp constrained/ca.pem "$out/constrained.pem"
cp revoked-ca/ca.pem "$out/revoked-ca.pem"
cp signatory.key signatory.pub signatory.csr "$out/"
cp leaf-*.pem crl-*.pem "$out/"
echo "fixtures written to $out"
