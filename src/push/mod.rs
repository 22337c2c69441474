//! One inbound push: limits, mode and format, verification, replay window, decryption,
//! parsing, the dedup key, and the replies. Pure: the caller passes the current time and,
//! for encrypted replies, the timestamp, nonce and random bytes.

mod cloud;
mod compact;
mod dedup;
mod fields;
mod replay_window;
mod reply;

pub use cloud::{
    cloud_push_body, cloud_push_fields, cloud_transfer_reply, probe_body, receive_cloud,
    CloudCaller, CloudLimits, CloudPush, DEFAULT_CLIENT_SOURCES, PROBE_ACTION,
};
pub use dedup::{dedup_key, MAX_DEDUP_KEY_BYTES, MAX_KEY_PART_BYTES};
pub use fields::{
    read_fields, write_field_values, write_fields, FieldValue, MAX_FIELD_DEPTH, NUMERIC_FIELDS,
};
pub use replay_window::{
    canonical_timestamp, check_create_time, check_window, MAX_TIMESTAMP_DIGITS,
};
pub use reply::{transfer_reply, ReplyTarget};

use alloc::string::String;

use crate::crypto::{read_envelope, Format, UrlVerification, WxBizMsgCrypt};
use crate::error::{Error, ErrorKind, Result};
use crate::message::{self, Message, DEFAULT_MAX_JSON_DEPTH};

/// Largest body accepted by default: 1 MB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Default replay window: a push whose timestamp is further than this from now is refused.
pub const DEFAULT_MAX_SKEW_SECONDS: u64 = 300;

/// How the push was protected, decided by `encrypt_type=aes` in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No encryption; `signature` authenticates the query only.
    Plaintext,
    /// Encrypted, with the plaintext fields beside `Encrypt` (never trusted).
    Compatible,
    /// Encrypted; the body carries only `ToUserName` and `Encrypt`.
    Safe,
    /// WeChat Cloud Hosting: unencrypted and unsigned, over the platform's internal link.
    Cloud,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Plaintext => "plaintext",
            Mode::Compatible => "compatible",
            Mode::Safe => "safe",
            Mode::Cloud => "cloud",
        }
    }

    pub fn is_encrypted(self) -> bool {
        !matches!(self, Mode::Plaintext | Mode::Cloud)
    }
}

/// The query parameters of a push (absent ones `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct PushQuery<'a> {
    pub signature: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub openid: Option<&'a str>,
    pub encrypt_type: Option<&'a str>,
    pub msg_signature: Option<&'a str>,
}

/// Limits and the replay window.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_json_depth: usize,
    /// The replay window, applied to the query's `timestamp` and, for encrypted pushes, to the
    /// signed `CreateTime`. 0 disables both checks.
    pub max_skew_seconds: u64,
    /// Whether plaintext-mode pushes are accepted although an EncodingAESKey is configured
    /// (default false). An account in compatible or safe mode never sends one, and in
    /// plaintext mode `signature` does not cover the body: anyone who saw one push URL could
    /// send any body with it. A receiver without a key accepts plaintext pushes only, whatever
    /// this says.
    pub allow_plaintext: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_json_depth: DEFAULT_MAX_JSON_DEPTH,
            max_skew_seconds: DEFAULT_MAX_SKEW_SECONDS,
            allow_plaintext: false,
        }
    }
}

/// A verified, decrypted and parsed push.
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    pub mode: Mode,
    pub format: Format,
    pub message: Message,
    pub dedup_key: String,
}

impl Push {
    /// Who a passive reply goes to, and how it must be wrapped.
    pub fn reply_target(&self) -> ReplyTarget<'_> {
        ReplyTarget {
            to_user_name: &self.message.from_user_name,
            from_user_name: &self.message.to_user_name,
            format: self.format,
            encrypted: self.mode.is_encrypted(),
            is_event: !self.message.is_user_message(),
        }
    }

    /// The JSON object handed to JavaScript: `{ mode, format, dedupKey, known, message }`
    /// (`known` is false for message types and events this version does not type).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(320 + self.message.raw.len() * 64);
        self.write_json(&mut out);
        out
    }

    /// [`Push::to_json`], appended to `out`.
    pub fn write_json(&self, out: &mut String) {
        self.write_json_object(out, true, None);
    }

    /// As [`Push::write_json`] (or without `raw`), with the message's long top-level strings
    /// taken out into `spans` (see [`message::Spans`]).
    pub fn write_json_spans<'p>(
        &'p self,
        out: &mut String,
        with_raw: bool,
        spans: &mut message::Spans<'p>,
    ) {
        self.write_json_object(out, with_raw, Some(spans));
    }

    fn write_json_object<'p>(
        &'p self,
        out: &mut String,
        with_raw: bool,
        spans: Option<&mut message::Spans<'p>>,
    ) {
        out.push_str("{\"mode\":\"");
        out.push_str(self.mode.as_str());
        out.push_str("\",\"format\":\"");
        out.push_str(self.format.as_str());
        out.push_str("\",\"dedupKey\":");
        message::push_json_string(out, &self.dedup_key);
        out.push_str(",\"known\":");
        out.push_str(if self.message.kind == crate::message::Kind::Other {
            "false"
        } else {
            "true"
        });
        out.push_str(",\"message\":");
        match spans {
            Some(spans) => self.message.write_json_spans(out, with_raw, spans),
            // Only `write_json` passes no spans, and it wants `raw`.
            None => self.message.write_json(out),
        }
        out.push('}');
    }
}

/// Picks XML or JSON by the body's first significant byte (`<`; `{` or `[`); the content type only decides
/// which parse error an unrecognisable body gets.
pub fn detect_format(body: &[u8], content_type: Option<&str>) -> Result<Format> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Ok(Format::Xml),
        Some(b'{' | b'[') => Ok(Format::Json),
        first => {
            // A byte window rather than `str::contains`: see `xml::write::find_cdata_end`.
            let json = content_type.is_some_and(|t| {
                t.as_bytes()
                    .windows(4)
                    .any(|w| w.eq_ignore_ascii_case(b"json"))
            });
            let kind = if json {
                ErrorKind::ParseJson
            } else {
                ErrorKind::ParseXml
            };
            Err(Error::new(
                kind,
                if first.is_none() {
                    "the body is empty: expected an XML or JSON push"
                } else {
                    "the body is neither XML (starting with '<') nor JSON (starting with '{')"
                },
            ))
        }
    }
}

fn utf8<'b>(host: Option<&crate::crypto::Host>, body: &'b [u8], format: Format) -> Result<&'b str> {
    crate::crypto::str_from_utf8(host, body).ok_or_else(|| {
        Error::new(
            match format {
                Format::Xml => ErrorKind::ParseXml,
                Format::Json => ErrorKind::ParseJson,
            },
            "the body is not valid UTF-8",
        )
    })
}

fn required<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Error::with_message(
            ErrorKind::InvalidQuery,
            alloc::format!("the query has no {name}"),
        )),
    }
}

fn signature_param<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        Error::with_message(
            ErrorKind::ValidateSignature,
            alloc::format!("the query has no {name}"),
        )
    })
}

/// One account's inbound side: the crypt (token, key schedule, appId; or the token only for a
/// plaintext-mode account) and the limits.
#[derive(Debug, Clone)]
pub struct Receiver {
    crypt: WxBizMsgCrypt,
    limits: Limits,
}

impl Receiver {
    pub fn new(crypt: WxBizMsgCrypt, limits: Limits) -> Self {
        Receiver { crypt, limits }
    }

    pub fn crypt(&self) -> &WxBizMsgCrypt {
        &self.crypt
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The whole inbound pipeline for one POST: limits, mode and format, replay window,
    /// signature, decryption, parsing and the dedup key.
    pub fn receive(
        &self,
        query: &PushQuery<'_>,
        body: &[u8],
        content_type: Option<&str>,
        now_seconds: u64,
    ) -> Result<Push> {
        self.receive_body(query, body, None, content_type, now_seconds)
    }

    /// [`Receiver::receive`] for a body already known to be text (the same checks and
    /// results; only the UTF-8 check, which cannot fail, is skipped).
    pub fn receive_str(
        &self,
        query: &PushQuery<'_>,
        body: &str,
        content_type: Option<&str>,
        now_seconds: u64,
    ) -> Result<Push> {
        self.receive_body(
            query,
            body.as_bytes(),
            Some(body),
            content_type,
            now_seconds,
        )
    }

    fn receive_body(
        &self,
        query: &PushQuery<'_>,
        body: &[u8],
        text: Option<&str>,
        content_type: Option<&str>,
        now_seconds: u64,
    ) -> Result<Push> {
        if body.len() > self.limits.max_body_bytes {
            return Err(Error::with_message(
                ErrorKind::BodyTooLarge,
                alloc::format!(
                    "the body is {} bytes, more than the limit of {}",
                    body.len(),
                    self.limits.max_body_bytes
                ),
            ));
        }
        let encrypted = match query.encrypt_type {
            None | Some("") | Some("raw") => false,
            Some(t) if t.eq_ignore_ascii_case("aes") => true,
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    "encrypt_type must be 'aes' (encrypted modes) or absent (plaintext mode)",
                ))
            }
        };
        if encrypted && !self.crypt.has_key() {
            return Err(Error::new(
                ErrorKind::IllegalAesKey,
                "an encrypted push (encrypt_type=aes) reached a receiver configured without an \
                 EncodingAESKey: pass the EncodingAESKey from the console's message push settings",
            ));
        }
        if !encrypted && self.crypt.has_key() && !self.limits.allow_plaintext {
            return Err(Error::new(
                ErrorKind::PlaintextRefused,
                "a plaintext push (no encrypt_type=aes) reached a receiver configured with an \
                 EncodingAESKey, which accepts only encrypted pushes: switch the console's message \
                 encryption to 安全模式 (safe mode), or set allowPlaintext: true to accept \
                 plaintext pushes, whose body no signature covers",
            ));
        }
        let timestamp = required(query.timestamp, "timestamp")?;
        let nonce = required(query.nonce, "nonce")?;
        check_window(timestamp, now_seconds, self.limits.max_skew_seconds)?;
        let format = detect_format(body, content_type)?;
        let text = match text {
            Some(text) => text,
            None => utf8(self.crypt.host(), body, format)?,
        };
        if format == Format::Json {
            message::check_json_limits(text, self.limits.max_json_depth)?;
        }
        let (mode, message) = if encrypted {
            let msg_signature = signature_param(query.msg_signature, "msg_signature")?;
            let envelope = read_envelope(text, format)?;
            self.crypt.verify_signature(
                msg_signature,
                timestamp,
                nonce,
                Some(&envelope.encrypt),
            )?;
            // The message's bytes are checked as UTF-8 as they are parsed (see parse_bytes).
            let plaintext = self.crypt.decrypt_bytes(&envelope.encrypt)?.plaintext;
            let inner_format = detect_format(&plaintext, Some(format.as_str()))
                .map_err(|e| e.unless_not_utf8(&plaintext, crate::crypto::NOT_UTF8))?;
            let message = message::parse_bytes(
                self.crypt.host(),
                &plaintext,
                inner_format,
                self.limits.max_json_depth,
                crate::crypto::NOT_UTF8,
            )?;
            // The query's timestamp is signed, but so is the nonce, and the sorted signature
            // cannot tell them apart: the signed CreateTime must be recent too.
            check_create_time(
                message.create_time,
                now_seconds,
                self.limits.max_skew_seconds,
            )?;
            let mode = if envelope.has_plain_fields {
                Mode::Compatible
            } else {
                Mode::Safe
            };
            (mode, message)
        } else {
            let signature = signature_param(query.signature, "signature")?;
            self.crypt
                .verify_signature(signature, timestamp, nonce, None)?;
            let message = message::parse(text, format, self.limits.max_json_depth)?;
            (Mode::Plaintext, message)
        };
        let dedup_key = dedup_key(&message);
        Ok(Push {
            mode,
            format,
            message,
            dedup_key,
        })
    }

    /// Answers the URL verification GET (`signature`, `timestamp`, `nonce`, `echostr`), after
    /// the replay window check. Mini Programs and Official Accounts verify a URL in this plain
    /// form only: a `msg_signature` (WeCom's encrypted form, which decrypts `echostr`) is
    /// refused (-41004) like any bad request, so that no captured push sent back as `echostr`
    /// is ever decrypted for its sender.
    pub fn verify_url(&self, request: &UrlVerification<'_>, now_seconds: u64) -> Result<String> {
        if request.msg_signature.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "a URL verification with msg_signature (WeCom's encrypted form) is refused: Mini \
                 Programs and Official Accounts verify the URL with signature and a plain echostr",
            ));
        }
        if request.timestamp.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "the query has no timestamp",
            ));
        }
        check_window(request.timestamp, now_seconds, self.limits.max_skew_seconds)?;
        self.crypt.verify_url(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unrecognisable_body_gets_the_error_of_its_content_type() {
        let kind = |content_type| detect_format(b" x", content_type).unwrap_err().kind();
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "x-JsOn",
            "é json",
        ] {
            assert_eq!(kind(Some(json)), ErrorKind::ParseJson, "{json}");
        }
        for other in ["text/xml", "jso", "js on", "", "ＪＳＯＮ"] {
            assert_eq!(kind(Some(other)), ErrorKind::ParseXml, "{other}");
        }
        assert_eq!(kind(None), ErrorKind::ParseXml);
        assert_eq!(
            detect_format(b"", Some("json")).unwrap_err().kind(),
            ErrorKind::ParseJson
        );
    }
}
