//! EncodingAESKey: 43 base64 characters that decode (with a trailing `=`) to the 32-byte
//! AES-256 key. Official keys leave non-zero trailing bits, so those are allowed.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::error::{Error, ErrorKind, Result};

const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The 32-byte AES key decoded from an EncodingAESKey. Its Debug output is redacted.
#[derive(Clone)]
pub struct AesKey([u8; 32]);

impl AesKey {
    /// Parses an EncodingAESKey. Errors (-40004) say what is wrong without echoing the key.
    pub fn parse(encoding_aes_key: &str) -> Result<Self> {
        let chars = encoding_aes_key.chars().count();
        if chars != 43 {
            return Err(Error::with_message(
                ErrorKind::IllegalAesKey,
                alloc::format!(
                    "EncodingAESKey must be exactly 43 characters (got {chars}); copy it again \
                     from the console's message push settings"
                ),
            ));
        }
        if let Some(pos) = encoding_aes_key
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'/'))
        {
            return Err(Error::with_message(
                ErrorKind::IllegalAesKey,
                alloc::format!(
                    "EncodingAESKey may hold only A-Z, a-z, 0-9, '+' and '/' (character {} is not \
                     one of them)",
                    pos + 1
                ),
            ));
        }
        // 43 characters decode to 32 bytes; the decoder's size estimate rounds up to 33.
        let mut buf = [0u8; 33];
        match KEY_ENGINE.decode_slice(encoding_aes_key.as_bytes(), &mut buf) {
            Ok(32) => {
                let mut key = [0u8; 32];
                key.copy_from_slice(&buf[..32]);
                Ok(AesKey(key))
            }
            _ => Err(Error::new(
                ErrorKind::IllegalAesKey,
                "EncodingAESKey does not decode to 32 bytes",
            )),
        }
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The CBC IV: the first 16 bytes of the key.
    pub fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.0[..16]);
        iv
    }
}

impl core::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesKey(<redacted>)")
    }
}
