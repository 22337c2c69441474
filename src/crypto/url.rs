//! URL verification (the GET the platform sends when the server URL is saved).
//!
//! Plain (Mini Programs and Official Accounts): `signature` over token, timestamp, nonce; the
//! answer is `echostr` as received. Encrypted (WeCom's form, kept for the low-level
//! `WXBizMsgCrypt.verifyUrl` only): `msg_signature` over token, timestamp, nonce, echostr; the
//! answer is the decrypted `echostr`.
//!
//! Either way the answer must look like an echostr ([`check_echostr`]): a short run of
//! printable ASCII without markup characters. A captured push's `Encrypt` value carries a valid
//! `msg_signature`, so without that rule the encrypted form decrypts any captured push for
//! whoever sends it back (a decryption oracle); with it, a push's plaintext (XML or JSON, with
//! `<` or `"`) is never answered.

use alloc::borrow::Cow;
use alloc::string::String;

use super::WxBizMsgCrypt;
use crate::error::{Details, Error, ErrorKind, Result};

/// The longest echostr answered (the platform's are about 19 digits).
pub const MAX_ECHOSTR: usize = 512;

/// The query of a verification request. When `msg_signature` is present it decides the mode.
#[derive(Debug, Clone, Copy, Default)]
pub struct UrlVerification<'a> {
    pub signature: Option<&'a str>,
    pub msg_signature: Option<&'a str>,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub echostr: &'a str,
}

/// An echostr as the platform sends it: 1 to [`MAX_ECHOSTR`] printable ASCII characters
/// without `<`, `>`, `&`, `"` or `'` (-41004 otherwise), so that a verification answer can
/// never be markup, a captured push or arbitrary text.
pub fn check_echostr(echostr: &str, what: &str) -> Result<()> {
    let ok = !echostr.is_empty()
        && echostr.len() <= MAX_ECHOSTR
        && echostr
            .bytes()
            .all(|b| (0x20..=0x7e).contains(&b) && !matches!(b, b'<' | b'>' | b'&' | b'"' | b'\''));
    if ok {
        Ok(())
    } else {
        Err(Error::with_message(
            ErrorKind::InvalidQuery,
            alloc::format!(
                "{what} must be 1 to {MAX_ECHOSTR} printable ASCII characters without markup \
                 characters (< > & \" '), as the platform sends it"
            ),
        )
        .with_details(Details {
            field: Some(Cow::Borrowed("echostr")),
            ..Details::default()
        }))
    }
}

pub(super) fn verify(crypt: &WxBizMsgCrypt, request: &UrlVerification<'_>) -> Result<String> {
    if let Some(msg_signature) = request.msg_signature {
        crypt.verify_signature(
            msg_signature,
            request.timestamp,
            request.nonce,
            Some(request.echostr),
        )?;
        let plaintext = crypt.decrypt(request.echostr)?.plaintext;
        // Never an oracle: what decrypts to more than an echostr (a captured push) is refused,
        // and the error says nothing of what it decrypted to.
        check_echostr(&plaintext, "the decrypted echostr")?;
        return Ok(plaintext);
    }
    match request.signature {
        Some(signature) => {
            crypt.verify_signature(signature, request.timestamp, request.nonce, None)?;
            check_echostr(request.echostr, "echostr")?;
            Ok(request.echostr.into())
        }
        None => Err(Error::new(
            ErrorKind::ValidateSignature,
            "the verification request has neither signature nor msg_signature",
        )),
    }
}
