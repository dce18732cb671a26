//! Asking a time-stamping authority (RFC 3161 §3.4, "Time-Stamp Protocol via HTTP") for a token
//! over an imprint.
//!
//! One blocking POST of a `TimeStampReq` (`application/timestamp-query`) with a fresh random
//! nonce; the reply must be `200` with `application/timestamp-reply`, at most
//! [`MAX_RESPONSE_BYTES`], granted, for the same imprint and nonce
//! ([`transmittal_core::timestamp::token_from_response`]). The token's signature and its TSA's
//! certificate path are not checked here: that is [`transmittal_core::timestamp::verify_token`]'s
//! job, against the trust store's `tsa/` roots, wherever the token is later read.
//!
//! Only `http://` URLs: the token is signed, so the transport adds nothing to what it proves, and
//! the request carries only a hash (a TLS stack would cost every `verify` start-up time:
//! docs/PERFORMANCE.md). Redirects are not followed.

use rand_core::{OsRng, RngCore};
use std::io::Read;
use std::time::Duration;
use thiserror::Error;
use transmittal_core::timestamp::{build_request, token_from_response, TimestampError};

/// The largest reply read from a TSA, in bytes.
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// The request's media type (RFC 3161 §3.4).
pub const QUERY_CONTENT_TYPE: &str = "application/timestamp-query";

/// The reply's media type (RFC 3161 §3.4).
pub const REPLY_CONTENT_TYPE: &str = "application/timestamp-reply";

/// Why no token came back from a TSA. Every variant names the URL asked.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TsaError {
    /// The URL could not be reached, or the exchange broke off (including a timeout).
    #[error("could not reach the time-stamping authority {url}: {reason}")]
    Connection {
        /// The TSA's URL.
        url: String,
        /// What went wrong, as the HTTP client put it.
        reason: String,
    },
    /// A URL that is not `http://…`: time-stamp requests are sent over plain HTTP.
    #[error("{url}: only http:// URLs are supported; time-stamping authorities answer on http (the token is signed, so the transport adds nothing to its integrity), e.g. http://timestamp.digicert.com")]
    Unsupported {
        /// The URL given.
        url: String,
    },
    /// An HTTP status other than 200.
    #[error("the time-stamping authority {url} answered HTTP {status}")]
    HttpStatus {
        /// The TSA's URL.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// A reply that is not `application/timestamp-reply`.
    #[error("the time-stamping authority {url} answered with {content_type:?}, not {REPLY_CONTENT_TYPE}")]
    ContentType {
        /// The TSA's URL.
        url: String,
        /// The reply's content type (empty when it had none).
        content_type: String,
    },
    /// A reply longer than [`MAX_RESPONSE_BYTES`].
    #[error("the time-stamping authority {url} sent more than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge {
        /// The TSA's URL.
        url: String,
    },
    /// A reply that is not a granted response for this request (see [`TimestampError`]).
    #[error("the time-stamping authority {url}: {source}")]
    Response {
        /// The TSA's URL.
        url: String,
        /// What is wrong with the reply.
        #[source]
        source: TimestampError,
    },
}

impl TsaError {
    /// The URL of the TSA that was asked.
    pub fn url(&self) -> &str {
        match self {
            TsaError::Connection { url, .. }
            | TsaError::HttpStatus { url, .. }
            | TsaError::ContentType { url, .. }
            | TsaError::TooLarge { url }
            | TsaError::Unsupported { url }
            | TsaError::Response { url, .. } => url,
        }
    }
}

/// Whether a `Content-Type` header value is `application/timestamp-reply` (case-insensitive,
/// parameters allowed).
fn is_reply_content_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(REPLY_CONTENT_TYPE))
}

/// Asks the TSA at `url` for a token over `imprint` (SHA-256 of a signature), waiting at most
/// `timeout` for the whole exchange. Returns the DER `TimeStampToken`, checked to be granted for
/// this imprint and this request's nonce; its signature and path are for
/// [`transmittal_core::timestamp::verify_token`].
pub fn request_token(
    url: &str,
    imprint: &[u8; 32],
    timeout: Duration,
) -> Result<Vec<u8>, TsaError> {
    if !url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    {
        return Err(TsaError::Unsupported {
            url: url.to_string(),
        });
    }
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let reply = post(url, &build_request(imprint, &nonce), timeout)?;
    token_from_response(&reply, imprint, Some(&nonce)).map_err(|source| TsaError::Response {
        url: url.to_string(),
        source,
    })
}

/// POSTs `query` to `url` and returns the reply's body, checked for status, type and size.
fn post(url: &str, query: &[u8], timeout: Duration) -> Result<Vec<u8>, TsaError> {
    let connection = |reason: String| TsaError::Connection {
        url: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut response = agent
        .post(url)
        .header("Content-Type", QUERY_CONTENT_TYPE)
        .header("Accept", REPLY_CONTENT_TYPE)
        .send(query)
        .map_err(|e| connection(e.to_string()))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(TsaError::HttpStatus {
            url: url.to_string(),
            status,
        });
    }
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if !is_reply_content_type(&content_type) {
        return Err(TsaError::ContentType {
            url: url.to_string(),
            content_type,
        });
    }
    // Read one byte past the cap to tell "exactly the cap" from "more".
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| connection(e.to_string()))?;
    if body.len() as u64 > MAX_RESPONSE_BYTES {
        return Err(TsaError::TooLarge {
            url: url.to_string(),
        });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    #[test]
    fn reply_content_types() {
        assert!(is_reply_content_type("application/timestamp-reply"));
        assert!(is_reply_content_type(
            "Application/TimeStamp-Reply; charset=binary"
        ));
        assert!(!is_reply_content_type("application/timestamp-query"));
        assert!(!is_reply_content_type("text/html"));
        assert!(!is_reply_content_type(""));
    }

    /// A server on 127.0.0.1 that answers one request with `reply` and returns the request.
    fn serve_once(reply: Vec<u8>) -> (String, std::thread::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tsr", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            // Headers, then the body of Content-Length bytes.
            loop {
                let n = stream.read(&mut buf).unwrap();
                request.extend_from_slice(&buf[..n]);
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map_or(0, |v| v.trim().parse().unwrap());
                    while request.len() < end + 4 + len {
                        let n = stream.read(&mut buf).unwrap();
                        request.extend_from_slice(&buf[..n]);
                    }
                    break;
                }
                if n == 0 {
                    break;
                }
            }
            stream.write_all(&reply).unwrap();
            request
        });
        (url, handle)
    }

    fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
        let mut reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        reply.extend_from_slice(body);
        reply
    }

    const IMPRINT: [u8; 32] = [7; 32];

    #[test]
    fn the_request_is_a_timestamp_query() {
        let (url, server) = serve_once(http("200 OK", REPLY_CONTENT_TYPE, b"\x30\x00"));
        let err = request_token(&url, &IMPRINT, Duration::from_secs(10)).unwrap_err();
        // An empty SEQUENCE is no TimeStampResp.
        assert!(
            matches!(
                err,
                TsaError::Response {
                    source: TimestampError::Malformed(_),
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.url(), url);
        let request = server.join().unwrap();
        let text = String::from_utf8_lossy(&request).to_lowercase();
        assert!(text.starts_with("post /tsr http/1.1\r\n"), "{text}");
        assert!(text.contains("content-type: application/timestamp-query\r\n"));
        // The body is a TimeStampReq over the imprint.
        let body_at = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let body = &request[body_at..];
        assert!(body.windows(32).any(|w| w == IMPRINT));
        assert_eq!(body[0], 0x30);
    }

    #[test]
    fn an_http_error_is_named() {
        let (url, server) = serve_once(http("503 Service Unavailable", "text/plain", b"busy"));
        let err = request_token(&url, &IMPRINT, Duration::from_secs(10)).unwrap_err();
        assert!(
            matches!(err, TsaError::HttpStatus { status: 503, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(&url));
        server.join().unwrap();
    }

    #[test]
    fn another_content_type_is_refused() {
        let (url, server) = serve_once(http("200 OK", "text/html", b"<html>"));
        let err = request_token(&url, &IMPRINT, Duration::from_secs(10)).unwrap_err();
        assert!(
            matches!(&err, TsaError::ContentType { content_type, .. } if content_type == "text/html"),
            "{err:?}"
        );
        server.join().unwrap();
    }

    #[test]
    fn a_huge_reply_is_too_large() {
        let body = vec![0u8; MAX_RESPONSE_BYTES as usize + 10];
        let (url, server) = serve_once(http("200 OK", REPLY_CONTENT_TYPE, &body));
        let err = request_token(&url, &IMPRINT, Duration::from_secs(10)).unwrap_err();
        assert!(matches!(err, TsaError::TooLarge { .. }), "{err:?}");
        let _ = server.join();
    }

    #[test]
    fn nobody_listening_is_a_connection_error() {
        // Bind and drop: the port is (almost certainly) closed now.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/");
        let err = request_token(&url, &IMPRINT, Duration::from_secs(5)).unwrap_err();
        assert!(matches!(err, TsaError::Connection { .. }), "{err:?}");
    }

    #[test]
    fn only_http_urls_are_tried() {
        for url in ["https://127.0.0.1:1/", "ftp://127.0.0.1/", "not a url", ""] {
            let err = request_token(url, &IMPRINT, Duration::from_secs(5)).unwrap_err();
            assert!(
                matches!(err, TsaError::Unsupported { .. }),
                "{url}: {err:?}"
            );
            assert!(err.to_string().contains("only http://"), "{err}");
            assert_eq!(err.url(), url);
        }
        // Upper case is still http.
        let err =
            request_token("HTTP://127.0.0.1:1/", &IMPRINT, Duration::from_secs(5)).unwrap_err();
        assert!(matches!(err, TsaError::Connection { .. }), "{err:?}");
    }

    #[test]
    fn a_redirect_is_not_followed() {
        let reply = b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\n\
            Content-Length: 0\r\nConnection: close\r\n\r\n";
        let (url, server) = serve_once(reply.to_vec());
        let err = request_token(&url, &IMPRINT, Duration::from_secs(10)).unwrap_err();
        assert!(
            matches!(err, TsaError::HttpStatus { status: 302, .. }),
            "{err:?}"
        );
        server.join().unwrap();
    }
}
