//! URL verification (the GET the platform sends when the server URL is saved).
//!
//! Plain: `signature` over token, timestamp, nonce; the answer is `echostr` as received.
//! Encrypted (WeCom style): `msg_signature` over token, timestamp, nonce, echostr; the answer
//! is the decrypted `echostr`.

use alloc::string::String;

use super::WxBizMsgCrypt;
use crate::error::{Error, ErrorKind, Result};

/// The query of a verification request. When `msg_signature` is present it decides the mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct UrlVerification<'a> {
    pub signature: Option<&'a str>,
    pub msg_signature: Option<&'a str>,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub echostr: &'a str,
}

pub(super) fn verify(crypt: &WxBizMsgCrypt, request: &UrlVerification<'_>) -> Result<String> {
    if let Some(msg_signature) = request.msg_signature {
        crypt.verify_signature(
            msg_signature,
            request.timestamp,
            request.nonce,
            Some(request.echostr),
        )?;
        return Ok(crypt.decrypt(request.echostr)?.plaintext);
    }
    match request.signature {
        Some(signature) => {
            crypt.verify_signature(signature, request.timestamp, request.nonce, None)?;
            Ok(request.echostr.into())
        }
        None => Err(Error::new(
            ErrorKind::ValidateSignature,
            "the verification request has neither signature nor msg_signature",
        )),
    }
}
