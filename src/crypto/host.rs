//! Host crypto: an optional capability the edge may hand in, like randomness or the clock.
//!
//! The core's own engines (RustCrypto AES-256-CBC and SHA-1, compiled to wasm) are always
//! there and are the reference. A host with hardware-accelerated primitives (Node's OpenSSL
//! with AES-NI and SHA extensions) may supply them for large inputs, where software AES in
//! wasm is several times slower. Framing, padding, lengths and every check stay in the core;
//! the host only runs the raw primitive. A host call that fails falls back to the core.
//!
//! The same goes for UTF-8 validation of large messages (`utf8_valid`): a host with a native
//! validator (Node's `buffer.isUtf8`, SIMD) answers in a fraction of the time the core's
//! byte-at-a-time check takes on non-ASCII text in wasm (a decrypted XML push is not checked
//! before it is read at all: `xml::read_document_bytes`); and for decoding a large `Encrypt`
//! value's base64 (`base64_decode`: `Uint8Array.prototype.setFromBase64` in Deno and Bun).

use alloc::rc::Rc;

/// Raw primitives supplied by the host. Each returns `false` (or `None`) to make the core use
/// its own.
///
/// # Safety
/// `utf8_valid` must answer `Some(true)` only for bytes that are valid UTF-8: the core then
/// takes them as a `str` without checking them again. (Every other answer is safe: `false` and
/// `None` make the core check for itself.)
pub unsafe trait HostCrypto {
    /// AES-256-CBC decryption without padding, in place; `data.len()` is a multiple of 16.
    fn aes256_cbc_decrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool;
    /// AES-256-CBC encryption without padding, in place; `data.len()` is a multiple of 16.
    fn aes256_cbc_encrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool;
    /// SHA-1 of the concatenated parts.
    fn sha1(&self, parts: &[&[u8]], out: &mut [u8; 20]) -> bool;
    /// Inputs shorter than this many bytes stay in the core: a host call has a fixed cost.
    fn min_len(&self) -> usize;
    /// The same for SHA-1, whose host call costs more than its work up to a few KB (measured
    /// with Node: AES pays off from about 250 bytes, SHA-1 from about 4 KB). Defaults to
    /// [`HostCrypto::min_len`].
    fn min_sha1_len(&self) -> usize {
        self.min_len()
    }
    /// Whether `bytes` are valid UTF-8; `None` when the host has no validator.
    fn utf8_valid(&self, bytes: &[u8]) -> Option<bool> {
        let _ = bytes;
        None
    }
    /// Shorter inputs are checked by the core (default: all of them).
    fn min_utf8_len(&self) -> usize {
        usize::MAX
    }
    /// Decodes `src`, standard base64 with padding, into `out`, which has exactly the decoded
    /// length that `src`'s length and padding give. `true` only if all of `src` was decoded
    /// into all of `out` under the core's own rules (no whitespace or other characters outside
    /// the alphabet, `=` only as final padding, zero bits after the last byte); anything else
    /// answers `false` and the core decodes (and reports) itself. Default: no host decoder.
    fn base64_decode(&self, src: &[u8], out: &mut [u8]) -> bool {
        let _ = (src, out);
        false
    }
    /// Shorter base64 inputs are decoded by the core (default: all of them).
    fn min_base64_len(&self) -> usize {
        usize::MAX
    }
}

/// A shared handle to a host, cloned into each cipher that uses it.
pub type Host = Rc<dyn HostCrypto>;

/// The host, if there is one and the input is large enough to be worth the call.
pub(crate) fn for_len(host: Option<&Host>, len: usize) -> Option<&Host> {
    host.filter(|h| len >= h.min_len())
}

/// `bytes` as a `String` if they are valid UTF-8 (checked by the host when it has a validator
/// and the input is large enough, else by the core); the bytes back otherwise.
pub(crate) fn string_from_utf8(
    host: Option<&Host>,
    bytes: alloc::vec::Vec<u8>,
) -> core::result::Result<alloc::string::String, alloc::vec::Vec<u8>> {
    if let Some(h) = host.filter(|h| bytes.len() >= h.min_utf8_len()) {
        if h.utf8_valid(&bytes) == Some(true) {
            // SAFETY: the host's answer, under the contract of the (unsafe) trait.
            return Ok(unsafe { alloc::string::String::from_utf8_unchecked(bytes) });
        }
    }
    alloc::string::String::from_utf8(bytes).map_err(|e| e.into_bytes())
}

/// `bytes` as a `str` if they are valid UTF-8 (see [`string_from_utf8`]).
pub(crate) fn str_from_utf8<'a>(host: Option<&Host>, bytes: &'a [u8]) -> Option<&'a str> {
    if let Some(h) = host.filter(|h| bytes.len() >= h.min_utf8_len()) {
        if h.utf8_valid(bytes) == Some(true) {
            // SAFETY: the host's answer, under the contract of the (unsafe) trait.
            return Some(unsafe { core::str::from_utf8_unchecked(bytes) });
        }
    }
    core::str::from_utf8(bytes).ok()
}

/// The host, if there is one and the input is large enough for its SHA-1.
pub(crate) fn for_sha1_len(host: Option<&Host>, len: usize) -> Option<&Host> {
    host.filter(|h| len >= h.min_sha1_len())
}

/// Standard base64 with padding (the `Encrypt` value) decoded by the host when it has a
/// decoder and `src` is long enough, else by the core (`base64::STANDARD`); `None` if `src` is
/// not valid base64.
pub(crate) fn decode_base64(host: Option<&Host>, src: &[u8]) -> Option<alloc::vec::Vec<u8>> {
    use base64::Engine;
    if let Some(h) = host.filter(|h| src.len() >= h.min_base64_len()) {
        if let Some(len) = padded_base64_len(src) {
            let mut out = alloc::vec![0u8; len];
            if h.base64_decode(src, &mut out) {
                return Some(out);
            }
        }
    }
    base64::engine::general_purpose::STANDARD.decode(src).ok()
}

/// The number of bytes that padded base64 of this length and padding decodes to; `None` for
/// a length that is not a positive multiple of 4 (the core then reports the error).
fn padded_base64_len(src: &[u8]) -> Option<usize> {
    if src.is_empty() || src.len() % 4 != 0 {
        return None;
    }
    let pad = src.iter().rev().take(2).take_while(|&&b| b == b'=').count();
    Some(src.len() / 4 * 3 - pad)
}
