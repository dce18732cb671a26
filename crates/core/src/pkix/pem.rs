//! Certificates and CRLs as people keep them: PEM files (one or more `-----BEGIN …-----`
//! blocks, RFC 7468, decoded by the RustCrypto `pem-rfc7468` crate through `der`) or bare DER.

/// The largest certificate or CRL file read, in bytes.
pub const MAX_PEM_FILE_BYTES: usize = 16 << 20;
/// The most PEM blocks one file may hold.
pub const MAX_PEM_BLOCKS: usize = super::path::MAX_PEM_BLOCKS;

/// The DER blobs of `bytes` whose PEM label is one of `labels`: every such block of a PEM file,
/// or the whole input when it is DER (starts with a SEQUENCE tag). Other PEM blocks (a private
/// key by mistake, say) are an error naming the label, so nothing is silently left out.
pub fn der_blobs(bytes: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>, String> {
    if bytes.len() > MAX_PEM_FILE_BYTES {
        return Err(format!("larger than {MAX_PEM_FILE_BYTES} bytes"));
    }
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "neither PEM text nor DER".to_owned())?;
    let mut out = Vec::new();
    let mut rest = text;
    let mut blocks = 0usize;
    while let Some(start) = rest.find("-----BEGIN ") {
        blocks += 1;
        if blocks > MAX_PEM_BLOCKS {
            return Err(format!("more than {MAX_PEM_BLOCKS} PEM blocks"));
        }
        let block = &rest[start..];
        let label_end = block[11..]
            .find("-----")
            .ok_or_else(|| "a PEM block whose BEGIN line does not end".to_owned())?;
        let label = &block[11..11 + label_end];
        let end_marker = format!("-----END {label}-----");
        let end = block
            .find(&end_marker)
            .ok_or_else(|| format!("a PEM block {label:?} without its END line"))?;
        let pem = &block[..end + end_marker.len()];
        if !labels.contains(&label) {
            return Err(format!(
                "holds a PEM block {label:?}; expected {}",
                labels.join(" or ")
            ));
        }
        let (_, der) = der::pem::decode_vec(pem.as_bytes())
            .map_err(|e| format!("a PEM block {label:?} does not decode: {e}"))?;
        out.push(der);
        rest = &block[end + end_marker.len()..];
    }
    if out.is_empty() {
        return Err(format!("no {} PEM block and not DER", labels.join(" or ")));
    }
    Ok(out)
}

/// The certificates of a PEM or DER file.
pub fn certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    der_blobs(bytes, &["CERTIFICATE"])
}

/// The CRLs of a PEM or DER file.
pub fn crls(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    der_blobs(bytes, &["X509 CRL"])
}

/// `der` as a PEM block labelled `label` (64-character lines, LF).
pub fn to_pem(label: &str, der: &[u8]) -> Result<String, String> {
    der::pem::encode_string(label, der::pem::LineEnding::LF, der).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";

    #[test]
    fn pem_blocks_and_der_are_read_and_other_blocks_refused() {
        assert_eq!(
            certificates(PEM.as_bytes()).unwrap(),
            vec![vec![0x30, 3, 2, 1, 1]]
        );
        let two = format!("junk\n{PEM}{PEM}");
        assert_eq!(certificates(two.as_bytes()).unwrap().len(), 2);
        assert_eq!(certificates(&[0x30, 0]).unwrap(), vec![vec![0x30, 0]]);
        let key = PEM.replace("CERTIFICATE", "PRIVATE KEY");
        assert!(certificates(key.as_bytes())
            .unwrap_err()
            .contains("PRIVATE KEY"));
        assert!(crls(PEM.as_bytes()).is_err());
        assert!(certificates(b"hello").is_err());
        assert_eq!(to_pem("CERTIFICATE", &[0x30, 3, 2, 1, 1]).unwrap(), PEM);
        let cut = &PEM[..40];
        assert!(certificates(cut.as_bytes()).is_err());
    }
}
