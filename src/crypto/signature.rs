//! The platform's SHA-1 signatures: `signature` over (token, timestamp, nonce) and
//! `msg_signature` over (token, timestamp, nonce, encrypt), each the lowercase hex SHA-1 of the
//! parts sorted bytewise and concatenated with no separator.

use sha1::{Digest, Sha1};

use super::host::{self, Host};

/// Lowercase hex SHA-1 of the parts, sorted bytewise and concatenated.
pub fn sorted_sha1_hex(parts: &mut [&str]) -> [u8; 40] {
    sorted_sha1_hex_with(None, parts)
}

/// As [`sorted_sha1_hex`], on the host's SHA-1 when the input is large enough.
pub fn sorted_sha1_hex_with(host: Option<&Host>, parts: &mut [&str]) -> [u8; 40] {
    sort_parts(parts);
    let total: usize = parts.iter().map(|p| p.len()).sum();
    if let Some(h) = host::for_sha1_len(host, total) {
        let mut bytes: [&[u8]; 4] = [&[]; 4];
        for (slot, part) in bytes.iter_mut().zip(parts.iter()) {
            *slot = part.as_bytes();
        }
        let mut digest = [0u8; 20];
        if parts.len() <= 4 && h.sha1(&bytes[..parts.len()], &mut digest) {
            return to_hex(&digest);
        }
    }
    let mut hasher = Sha1::new();
    for part in parts.iter() {
        hasher.update(part.as_bytes());
    }
    to_hex(&hasher.finalize().into())
}

/// Sorts the parts bytewise. An insertion sort: there are three or four of them, and the
/// standard library's general sort would add about 2 KB (gzipped) to the .wasm for it.
fn sort_parts(parts: &mut [&str]) {
    for i in 1..parts.len() {
        let mut j = i;
        while j > 0 && parts[j - 1] > parts[j] {
            parts.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `signature` (3 parts) or `msg_signature` (4 parts, when `encrypt` is given).
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypt: Option<&str>) -> [u8; 40] {
    signature_with(None, token, timestamp, nonce, encrypt)
}

/// As [`signature`], on the host's SHA-1 when the input is large enough.
pub fn signature_with(
    host: Option<&Host>,
    token: &str,
    timestamp: &str,
    nonce: &str,
    encrypt: Option<&str>,
) -> [u8; 40] {
    match encrypt {
        Some(encrypt) => sorted_sha1_hex_with(host, &mut [token, timestamp, nonce, encrypt]),
        None => sorted_sha1_hex_with(host, &mut [token, timestamp, nonce]),
    }
}

/// Compares an expected hex signature with one received, in time independent of where they
/// differ. Uppercase hex in the received value is accepted.
pub fn signature_matches(expected: &[u8; 40], received: &str) -> bool {
    let received = received.as_bytes();
    if received.len() != expected.len() {
        return false;
    }
    let mut diff = 0u8;
    for (a, b) in expected.iter().zip(received) {
        diff |= a ^ b.to_ascii_lowercase();
    }
    diff == 0
}

fn to_hex(digest: &[u8; 20]) -> [u8; 40] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 40];
    for (i, byte) in digest.iter().enumerate() {
        out[2 * i] = HEX[usize::from(byte >> 4)];
        out[2 * i + 1] = HEX[usize::from(byte & 0x0f)];
    }
    out
}

/// The hex bytes as a `&str` (they are always ASCII).
pub fn hex_str(hex: &[u8; 40]) -> &str {
    core::str::from_utf8(hex).unwrap_or_default()
}
