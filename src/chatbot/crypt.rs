//! The bot's crypt: WXBizMsgCrypt's message cipher keyed with the bot's EncodingAESKey and
//! APPID. sendmsg carries the bare ciphertext as `{"encrypt": ...}` (not the XML envelope);
//! callbacks carry `{"encrypted": ...}`; neither is signed.

use alloc::string::String;
use serde_json::Value;

use super::payload::{parse_payload_xml, Payload};
use crate::api::{api_error, Endpoint, Request};
use crate::crypto::{AesKey, MessageCipher};
use crate::error::{Error, ErrorKind, Result};

/// One bot: TOKEN (in the sendmsg URL), cipher (EncodingAESKey, APPID).
#[derive(Clone)]
pub struct ChatbotCrypt {
    token: String,
    cipher: MessageCipher,
}

impl core::fmt::Debug for ChatbotCrypt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChatbotCrypt")
            .field("token", &"<redacted>")
            .field("app_id", &self.cipher.receive_id())
            .finish()
    }
}

/// The string member `name` of a JSON object body; Err(()) when the body is not an object.
fn member(body: &str, name: &str) -> core::result::Result<Option<String>, ()> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(mut map)) => Ok(match map.remove(name) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }),
        _ => Err(()),
    }
}

impl ChatbotCrypt {
    /// The TOKEN must be letters, digits, `-` or `_` (it goes into the URL path).
    pub fn new(token: &str, encoding_aes_key: &str, app_id: &str) -> Result<Self> {
        if token.is_empty() {
            return Err(Error::invalid_option(
                "token",
                "token is required: pass the bot's TOKEN from the dialogue platform's settings"
                    .into(),
            ));
        }
        if !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::invalid_option(
                "token",
                "token must be letters, digits, '-' or '_' (it goes into the URL path)".into(),
            ));
        }
        let key = AesKey::parse(encoding_aes_key)?;
        if app_id.is_empty() {
            return Err(Error::invalid_option(
                "appId",
                "appId is empty: pass the bot's APPID from the dialogue platform's settings".into(),
            ));
        }
        Ok(ChatbotCrypt {
            token: token.into(),
            cipher: MessageCipher::new(&key, app_id),
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn app_id(&self) -> &str {
        self.cipher.receive_id()
    }

    /// The payload's XML, encrypted: the bare base64 ciphertext.
    pub fn encrypt_payload(&self, payload: &Payload, random: &[u8; 16]) -> Result<String> {
        self.cipher.encrypt(&payload.to_xml()?, random)
    }

    /// `POST /openapi/sendmsg/{TOKEN}` with body `{"encrypt":"<ciphertext>"}`.
    pub fn sendmsg(&self, payload: &Payload, random: &[u8; 16]) -> Result<Request> {
        let encrypt = self.encrypt_payload(payload, random)?;
        let body = crate::api::json::Obj::new()
            .str("encrypt", &encrypt)
            .finish();
        let mut request = Request::new(Endpoint::ChatbotSendMsg).with_body(body);
        request.path.push_str(&self.token);
        Ok(request)
    }

    /// The platform's side of sendmsg: reads `{"encrypt": ...}`, decrypts and checks the
    /// payload, failing with the platform's codes (1004 empty, 1005 undecryptable, 1008
    /// missing fields).
    pub fn open_sendmsg(&self, body: &str) -> Result<Payload> {
        let encrypt = member(body, "encrypt")
            .map_err(|_| api_error(1004, "body is not JSON {\"encrypt\": ...}"))?
            .filter(|e| !e.is_empty())
            .ok_or_else(|| api_error(1004, "encrypt field is empty"))?;
        let decrypted = self
            .cipher
            .decrypt(&encrypt)
            .map_err(|_| api_error(1005, "encrypt cannot be decrypted with this bot's key"))?;
        let payload = parse_payload_xml(&decrypted.plaintext).map_err(|e| match e.kind() {
            ErrorKind::Api => e,
            _ => api_error(1005, "the decrypted payload is not XML"),
        })?;
        payload.validate_as_platform()?;
        Ok(payload)
    }

    /// Decrypts a callback body `{"encrypted": ...}` (or the bare ciphertext) to its plaintext.
    pub fn decrypt_callback(&self, body: &str) -> Result<String> {
        let trimmed = body.trim();
        let plaintext = if trimmed.starts_with('{') {
            let encrypted = member(trimmed, "encrypted").map_err(|_| {
                Error::new(
                    ErrorKind::ParseJson,
                    "the callback body is not JSON {\"encrypted\": ...}",
                )
            })?;
            let encrypted = encrypted.ok_or(Error::new(
                ErrorKind::ParseJson,
                "the callback body has no \"encrypted\" field",
            ))?;
            self.cipher.decrypt(&encrypted)?.plaintext
        } else {
            self.cipher.decrypt(trimmed)?.plaintext
        };
        Ok(plaintext)
    }

    /// Encrypts a callback as the platform would (for tests and the emulator).
    pub fn encrypt_callback(&self, plaintext: &str, random: &[u8; 16]) -> Result<String> {
        let encrypted = self.cipher.encrypt(plaintext, random)?;
        Ok(crate::api::json::Obj::new()
            .str("encrypted", &encrypted)
            .finish())
    }
}
