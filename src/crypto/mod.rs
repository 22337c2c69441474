//! WXBizMsgCrypt: signatures, the message cipher, envelopes and URL verification.

mod cipher;
mod envelope;
mod host;
mod key;
mod signature;
mod url;

pub(crate) use cipher::NOT_UTF8;
pub use cipher::{Decrypted, MessageCipher};
pub use envelope::{read_encrypt, read_envelope, Envelope, Format, ReplyEnvelope};
pub(crate) use host::str_from_utf8;
pub use host::{Host, HostCrypto};
pub use key::AesKey;
pub use signature::{
    hex_str, signature, signature_matches, signature_with, sorted_sha1_hex, sorted_sha1_hex_with,
};
pub use url::{check_echostr, UrlVerification, MAX_ECHOSTR};

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};

/// What the caller hands in to encrypt a reply: the edge supplies time and randomness.
#[derive(Debug, Clone, Copy)]
pub struct ReplyParams<'a> {
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub random: &'a [u8; 16],
    pub format: Format,
}

/// One configured account: token, AES key schedule and appId (receiveid). A plaintext-mode
/// account has a token only ([`WxBizMsgCrypt::without_key`]): it checks signatures, and every
/// operation that needs the key fails with -40004.
#[derive(Clone)]
pub struct WxBizMsgCrypt {
    token: String,
    cipher: Option<MessageCipher>,
}

impl core::fmt::Debug for WxBizMsgCrypt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WxBizMsgCrypt")
            .field("token", &"<redacted>")
            .field("app_id", &self.app_id())
            .finish()
    }
}

impl WxBizMsgCrypt {
    /// Checks every option: token (-41006 InvalidOption when empty), key (-40004),
    /// appId (-41006 InvalidOption when empty).
    pub fn new(token: &str, encoding_aes_key: &str, app_id: &str) -> Result<Self> {
        if token.is_empty() {
            return Err(Error::invalid_option(
                "token",
                "token is empty: pass the Token configured in the console's message push settings"
                    .into(),
            ));
        }
        let key = AesKey::parse(encoding_aes_key)?;
        if app_id.is_empty() {
            return Err(Error::invalid_option(
                "appId",
                "appId is empty: pass the appId (receiveid) the platform encrypts for".into(),
            ));
        }
        Ok(WxBizMsgCrypt {
            token: token.into(),
            cipher: Some(MessageCipher::new(&key, app_id)),
        })
    }

    /// A plaintext-mode account: the token only (-41006 when empty). It verifies signatures;
    /// encrypting and decrypting fail with -40004.
    pub fn without_key(token: &str) -> Result<Self> {
        if token.is_empty() {
            return Err(Error::invalid_option(
                "token",
                "token is empty: pass the Token configured in the console's message push settings"
                    .into(),
            ));
        }
        Ok(WxBizMsgCrypt {
            token: token.into(),
            cipher: None,
        })
    }

    /// Runs AES and SHA-1 of large messages on the host's primitives (see [`HostCrypto`]).
    pub fn with_host(mut self, host: Host) -> Self {
        self.cipher = self.cipher.map(|c| c.with_host(host));
        self
    }

    /// Whether an EncodingAESKey is configured.
    pub fn has_key(&self) -> bool {
        self.cipher.is_some()
    }

    /// The appId (receiveid); empty for an account without a key.
    pub fn app_id(&self) -> &str {
        self.cipher.as_ref().map_or("", |c| c.receive_id())
    }

    fn keyed(&self) -> Result<&MessageCipher> {
        self.cipher.as_ref().ok_or(Error::new(
            ErrorKind::IllegalAesKey,
            "no EncodingAESKey is configured (a plaintext-mode account): pass the EncodingAESKey \
             from the console's message push settings to encrypt or decrypt",
        ))
    }

    pub(crate) fn host(&self) -> Option<&Host> {
        self.cipher.as_ref().and_then(|c| c.host())
    }

    pub fn encrypt(&self, plaintext: &str, random: &[u8; 16]) -> Result<String> {
        self.keyed()?.encrypt(plaintext, random)
    }

    pub fn decrypt(&self, encrypt: &str) -> Result<Decrypted> {
        self.keyed()?.decrypt(encrypt)
    }

    /// [`Crypt::decrypt`] with the message's bytes not checked as UTF-8 (see
    /// [`MessageCipher::decrypt_bytes`]).
    pub fn decrypt_bytes(&self, encrypt: &str) -> Result<Decrypted<Vec<u8>>> {
        self.keyed()?.decrypt_bytes(encrypt)
    }

    /// `msg_signature` over token, timestamp, nonce and encrypt (lowercase hex).
    pub fn msg_signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        let hex = signature_with(self.host(), &self.token, timestamp, nonce, Some(encrypt));
        hex_str(&hex).into()
    }

    /// Checks a received signature in constant time: over 4 parts when `encrypt` is given.
    pub fn verify_signature(
        &self,
        received: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: Option<&str>,
    ) -> Result<()> {
        let expected = signature_with(self.host(), &self.token, timestamp, nonce, encrypt);
        if signature_matches(&expected, received) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::ValidateSignature,
                match encrypt {
                    Some(_) => {
                        "msg_signature does not match: check the token, and that timestamp, \
                         nonce and the body are passed exactly as received"
                    }
                    None => {
                        "signature does not match: check the token, and that timestamp and \
                         nonce are passed exactly as received"
                    }
                },
            ))
        }
    }

    /// Verifies `msg_signature` over the body's `Encrypt` value, then decrypts it.
    pub fn decrypt_message(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        body: &str,
    ) -> Result<String> {
        let (encrypt, _format) = read_encrypt(body)?;
        self.verify_signature(msg_signature, timestamp, nonce, Some(&encrypt))?;
        Ok(self.decrypt(&encrypt)?.plaintext)
    }

    /// Encrypts a reply and wraps it in the signed envelope of the chosen format.
    pub fn encrypt_message(&self, plaintext: &str, params: &ReplyParams<'_>) -> Result<String> {
        let encrypt = self.encrypt(plaintext, params.random)?;
        let msg_signature = self.msg_signature(params.timestamp, params.nonce, &encrypt);
        ReplyEnvelope {
            encrypt: &encrypt,
            msg_signature: &msg_signature,
            timestamp: params.timestamp,
            nonce: params.nonce,
        }
        .to_format(params.format)
    }

    /// Answers a URL verification GET: the echostr (plain) or its decryption (encrypted).
    pub fn verify_url(&self, request: &UrlVerification<'_>) -> Result<String> {
        url::verify(self, request)
    }
}
