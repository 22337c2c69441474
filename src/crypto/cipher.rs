//! WXBizMsgCrypt's message cipher: AES-256-CBC (IV = first 16 key bytes) over
//! `random(16) ‖ len(4, big-endian) ‖ msg ‖ receiveid`, PKCS#7-padded to a multiple of 32.

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use aes::{Aes256, Block};
use alloc::string::String;
use alloc::vec::Vec;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::host::{self, Host};
use super::key::AesKey;
use crate::error::{Error, ErrorKind, Result};

/// The padding block size of WXBizMsgCrypt (not the AES block size).
const PAD_BLOCK: usize = 32;
const RANDOM_LEN: usize = 16;
const HEADER_LEN: usize = RANDOM_LEN + 4;

/// A decrypted message and the receiveid found after it: the message as a checked `String`,
/// or as bytes not yet checked as UTF-8 (`Decrypted<Vec<u8>>`, for a reader that checks them as
/// it reads: see [`MessageCipher::decrypt_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted<T = String> {
    pub plaintext: T,
    pub receive_id: String,
}

/// What a decrypted message that is not UTF-8 gets (-40008).
pub(crate) const NOT_UTF8: Error = Error::new(
    ErrorKind::IllegalBuffer,
    "decrypted message is not valid UTF-8",
);

/// The per-key state: the AES key schedule, the IV and the receiveid, built once; and the
/// host's primitives for large messages, when the edge supplied them.
#[derive(Clone)]
pub struct MessageCipher {
    cipher: Aes256,
    key: AesKey,
    iv: [u8; 16],
    receive_id: String,
    host: Option<Host>,
}

impl MessageCipher {
    pub fn new(key: &AesKey, receive_id: &str) -> Self {
        MessageCipher {
            cipher: Aes256::new(key.bytes().into()),
            key: key.clone(),
            iv: key.iv(),
            receive_id: receive_id.into(),
            host: None,
        }
    }

    /// Uses the host's AES for messages of at least `host.min_len()` bytes.
    pub fn with_host(mut self, host: Host) -> Self {
        self.host = Some(host);
        self
    }

    pub(crate) fn host(&self) -> Option<&Host> {
        self.host.as_ref()
    }

    /// CBC over whole blocks, in place (the length is a multiple of 16).
    fn cbc_encrypt(&self, buf: &mut [u8]) {
        if let Some(h) = host::for_len(self.host.as_ref(), buf.len()) {
            if h.aes256_cbc_encrypt(self.key.bytes(), &self.iv, buf) {
                return;
            }
        }
        let (blocks, _) = Block::slice_as_chunks_mut(buf);
        cbc::Encryptor::<Aes256>::inner_iv_init(self.cipher.clone(), &self.iv.into())
            .encrypt_blocks(blocks);
    }

    fn cbc_decrypt(&self, buf: &mut [u8]) {
        if let Some(h) = host::for_len(self.host.as_ref(), buf.len()) {
            if h.aes256_cbc_decrypt(self.key.bytes(), &self.iv, buf) {
                return;
            }
        }
        let (blocks, _) = Block::slice_as_chunks_mut(buf);
        cbc::Decryptor::<Aes256>::inner_iv_init(self.cipher.clone(), &self.iv.into())
            .decrypt_blocks(blocks);
    }

    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// Encrypts `plaintext` with the 16 random bytes the caller drew; returns base64.
    pub fn encrypt(&self, plaintext: &str, random: &[u8; 16]) -> Result<String> {
        let msg = plaintext.as_bytes();
        let msg_len = u32::try_from(msg.len())
            .map_err(|_| Error::new(ErrorKind::EncryptAes, "message longer than 4 GiB"))?;
        let body_len = HEADER_LEN + msg.len() + self.receive_id.len();
        let pad = PAD_BLOCK - body_len % PAD_BLOCK;
        let mut buf = Vec::with_capacity(body_len + pad);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&msg_len.to_be_bytes());
        buf.extend_from_slice(msg);
        buf.extend_from_slice(self.receive_id.as_bytes());
        buf.resize(body_len + pad, pad as u8);
        self.cbc_encrypt(&mut buf);
        Ok(STANDARD.encode(&buf))
    }

    /// Decrypts a base64 `Encrypt` value and checks the receiveid (-40005 on mismatch).
    pub fn decrypt(&self, encrypt: &str) -> Result<Decrypted> {
        let decrypted = self.decrypt_unchecked(encrypt)?;
        self.check_receive_id(&decrypted.receive_id)?;
        Ok(decrypted)
    }

    /// [`MessageCipher::decrypt`] without the message's UTF-8 check, for a caller whose reader
    /// checks every byte as it reads (the XML reader) and reports [`NOT_UTF8`] when it finds
    /// bytes that are not UTF-8.
    pub fn decrypt_bytes(&self, encrypt: &str) -> Result<Decrypted<Vec<u8>>> {
        let decrypted = self.decrypt_raw(encrypt)?;
        self.check_receive_id(&decrypted.receive_id)?;
        Ok(decrypted)
    }

    fn check_receive_id(&self, receive_id: &str) -> Result<()> {
        if receive_id != self.receive_id {
            return Err(Error::with_message(
                ErrorKind::ValidateAppId,
                alloc::format!(
                    "the message was encrypted for appId '{}' but this instance expects '{}': \
                     check the appId option",
                    printable(receive_id),
                    self.receive_id
                ),
            ));
        }
        Ok(())
    }

    /// Decrypts without comparing the receiveid (for callers that check it themselves).
    pub fn decrypt_unchecked(&self, encrypt: &str) -> Result<Decrypted> {
        let Decrypted {
            plaintext,
            receive_id,
        } = self.decrypt_raw(encrypt)?;
        let plaintext =
            host::string_from_utf8(self.host.as_ref(), plaintext).map_err(|_| NOT_UTF8)?;
        Ok(Decrypted {
            plaintext,
            receive_id,
        })
    }

    /// base64, AES, padding and the header: the message's bytes, unchecked.
    fn decrypt_raw(&self, encrypt: &str) -> Result<Decrypted<Vec<u8>>> {
        let mut buf =
            host::decode_base64(self.host.as_ref(), encrypt.as_bytes()).ok_or_else(|| {
                Error::new(
                ErrorKind::DecodeBase64,
                "Encrypt is not valid base64: was the body trimmed, or URL-decoded so that '+' \
                 became a space?",
            )
            })?;
        if buf.is_empty() || buf.len() % 16 != 0 {
            return Err(Error::with_message(
                ErrorKind::DecryptAes,
                alloc::format!(
                    "ciphertext is {} bytes, not a non-zero multiple of 16: the Encrypt value is \
                     truncated or not from WXBizMsgCrypt",
                    buf.len()
                ),
            ));
        }
        self.cbc_decrypt(&mut buf);
        let content_len = unpad(&buf)?;
        split_content(buf, content_len)
    }
}

/// Strict PKCS#7 with pad values 1..=32: every pad byte must equal the pad length.
fn unpad(buf: &[u8]) -> Result<usize> {
    const BAD_PAD: Error = Error::new(
        ErrorKind::DecryptAes,
        "padding is invalid after decryption: the EncodingAESKey is probably wrong, or the \
         Encrypt value was altered",
    );
    let pad = usize::from(*buf.last().ok_or(BAD_PAD)?);
    if pad == 0 || pad > PAD_BLOCK || pad > buf.len() {
        return Err(BAD_PAD);
    }
    let tail = &buf[buf.len() - pad..];
    let mismatch = tail.iter().fold(0u8, |acc, &b| acc | (b ^ pad as u8));
    if mismatch != 0 {
        return Err(BAD_PAD);
    }
    Ok(buf.len() - pad)
}

/// Splits `random ‖ len ‖ msg ‖ receiveid` (already unpadded to `content_len`), reusing the
/// buffer for the message.
fn split_content(mut buf: Vec<u8>, content_len: usize) -> Result<Decrypted<Vec<u8>>> {
    if content_len < HEADER_LEN {
        return Err(Error::new(
            ErrorKind::IllegalBuffer,
            "decrypted message is shorter than its 20-byte header",
        ));
    }
    let mut len_bytes = [0u8; 4];
    len_bytes.copy_from_slice(&buf[RANDOM_LEN..HEADER_LEN]);
    let msg_len = u32::from_be_bytes(len_bytes) as usize;
    let msg_end = match HEADER_LEN.checked_add(msg_len) {
        Some(end) if end <= content_len => end,
        _ => {
            return Err(Error::with_message(
                ErrorKind::IllegalBuffer,
                alloc::format!(
                    "decrypted length field says {msg_len} bytes but only {} follow: the \
                     EncodingAESKey is probably wrong",
                    content_len - HEADER_LEN
                ),
            ))
        }
    };
    let receive_id = core::str::from_utf8(&buf[msg_end..content_len])
        .map_err(|_| Error::new(ErrorKind::IllegalBuffer, "receiveid is not valid UTF-8"))?
        .into();
    buf.truncate(msg_end);
    buf.drain(..HEADER_LEN);
    Ok(Decrypted {
        plaintext: buf,
        receive_id,
    })
}

/// A receiveid for an error message: at most 64 characters, control characters replaced.
fn printable(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
