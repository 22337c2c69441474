//! Host crypto: an optional capability the edge may hand in, like randomness or the clock.
//!
//! The core's own engines (RustCrypto AES-256-CBC and SHA-1, compiled to wasm) are always
//! there and are the reference. A host with hardware-accelerated primitives (Node's OpenSSL
//! with AES-NI and SHA extensions) may supply them for large inputs, where software AES in
//! wasm is several times slower. Framing, padding, lengths and every check stay in the core;
//! the host only runs the raw primitive. A host call that fails falls back to the core.

use alloc::rc::Rc;

/// Raw primitives supplied by the host. Each returns `false` to make the core use its own.
pub trait HostCrypto {
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
}

/// A shared handle to a host, cloned into each cipher that uses it.
pub type Host = Rc<dyn HostCrypto>;

/// The host, if there is one and the input is large enough to be worth the call.
pub(crate) fn for_len(host: Option<&Host>, len: usize) -> Option<&Host> {
    host.filter(|h| len >= h.min_len())
}

/// The host, if there is one and the input is large enough for its SHA-1.
pub(crate) fn for_sha1_len(host: Option<&Host>, len: usize) -> Option<&Host> {
    host.filter(|h| len >= h.min_sha1_len())
}
