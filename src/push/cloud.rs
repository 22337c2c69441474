//! WeChat Cloud Hosting (微信云托管) pushes. The platform delivers message pushes to a Cloud
//! Hosting service over its internal link: XML or JSON, with no encryption and no signature.
//! Configuring the push first sends a probe (`{"action":"CheckContainerPath"}` or
//! `<xml><action>CheckContainerPath</action></xml>`) that must be answered 200 `success`.
//! Trust comes from the network, not from a signature: without public access every request is
//! the platform's; with public access only requests carrying the `x-wx-source` header are.
//! The body goes through the same message parser, limits and dedup key as other pushes.

use alloc::string::String;
use alloc::vec::Vec;

use super::reply::{transfer_plaintext, ReplyTarget};
use super::{dedup_key, detect_format, utf8, Mode, Push};
use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::message::{self, push_json_string, Message, RawValue};
use crate::xml::{push_element, push_text_element};

/// The `action` of the platform's probe.
pub const PROBE_ACTION: &str = "CheckContainerPath";

/// Fields written as bare numbers by the platform (when their value is all digits).
const NUMERIC: [&str; 3] = ["CreateTime", "MsgId", "BusinessId"];

/// Limits and the trust rule of one Cloud Hosting receiver.
#[derive(Debug, Clone, Copy)]
pub struct CloudLimits {
    pub max_body_bytes: usize,
    pub max_json_depth: usize,
    /// Whether the service has public access: then only requests with `x-wx-source` are trusted.
    pub public_access: bool,
}

impl Default for CloudLimits {
    fn default() -> Self {
        CloudLimits {
            max_body_bytes: super::DEFAULT_MAX_BODY_BYTES,
            max_json_depth: message::DEFAULT_MAX_JSON_DEPTH,
            public_access: true,
        }
    }
}

/// What a Cloud Hosting request turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum CloudPush {
    /// The platform's CheckContainerPath probe: answer 200 `success`, nothing else.
    Probe { format: Format },
    /// A message or event, parsed and keyed for dedup.
    Push(alloc::boxed::Box<Push>),
}

impl CloudPush {
    /// The JSON handed to JavaScript: `{"probe":true,"format"}` or the push's JSON.
    pub fn to_json(&self) -> String {
        match self {
            CloudPush::Probe { format } => {
                alloc::format!("{{\"probe\":true,\"format\":\"{}\"}}", format.as_str())
            }
            CloudPush::Push(push) => push.to_json(),
        }
    }
}

fn is_probe(fields: &[(String, RawValue)]) -> bool {
    let text = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_text())
    };
    text("MsgType").is_none() && text("action").is_some_and(|a| a == PROBE_ACTION)
}

/// Receives one Cloud Hosting request. `source` is the value of the `x-wx-source` header
/// (`None` when absent). Checks trust, then the size limit, the format, the JSON depth, and
/// parses into the same typed message (mode `cloud`) and dedup key as every other push.
pub fn receive_cloud(
    body: &[u8],
    content_type: Option<&str>,
    source: Option<&str>,
    limits: &CloudLimits,
) -> Result<CloudPush> {
    if limits.public_access && source.is_none() {
        return Err(Error::new(
            ErrorKind::UntrustedSource,
            "the request has no x-wx-source header: with public access on, only requests over \
             the platform's internal link (which carry it) are pushes",
        ));
    }
    if body.len() > limits.max_body_bytes {
        return Err(Error::with_message(
            ErrorKind::BodyTooLarge,
            alloc::format!(
                "the body is {} bytes, more than the limit of {}",
                body.len(),
                limits.max_body_bytes
            ),
        ));
    }
    let format = detect_format(body, content_type)?;
    let text = utf8(None, body, format)?;
    let fields: Vec<(String, RawValue)> = match format {
        Format::Xml => message::read_xml_fields(text)?,
        Format::Json => {
            message::check_json_limits(text, limits.max_json_depth)?;
            message::read_json_fields(text, limits.max_json_depth)?
        }
    };
    if is_probe(&fields) {
        return Ok(CloudPush::Probe { format });
    }
    let message = Message::from_fields(fields, format)?;
    let dedup_key = dedup_key(&message);
    Ok(CloudPush::Push(alloc::boxed::Box::new(Push {
        mode: Mode::Cloud,
        format,
        message,
        dedup_key,
    })))
}

/// The plaintext `transfer_customer_service` passive reply to a Cloud Hosting push (official
/// accounts only: mini programs answer through the send API). Events are never transferred.
pub fn cloud_transfer_reply(target: &ReplyTarget<'_>, create_time: &str) -> Result<String> {
    if target.is_event {
        return Err(Error::new(
            ErrorKind::GenReturnXml,
            "only user messages can be transferred to customer service, not events",
        ));
    }
    transfer_plaintext(target, create_time)
}

/// The body of an unsigned push as the platform sends it to a Cloud Hosting service: the
/// fields in order, `CreateTime`, `MsgId` and `BusinessId` as bare numbers when all digits
/// (JSON numbers of any size), everything else as CDATA (XML) or JSON strings. Field names
/// must be XML names of ASCII letters, digits and `_` (-42002 InvalidField otherwise).
pub fn cloud_push_body(fields: &[(String, String)], format: Format) -> Result<String> {
    if let Some((bad, _)) = fields.iter().find(|(name, _)| !is_field_name(name)) {
        return Err(Error::with_message(
            ErrorKind::InvalidField,
            alloc::format!(
                "the field name '{}' is not a push field name (ASCII letters, digits and '_', \
                 starting with a letter)",
                bad.chars().take(40).collect::<String>()
            ),
        ));
    }
    let mut out = String::with_capacity(64 + fields.len() * 48);
    let numeric = |name: &str, value: &str| {
        NUMERIC.contains(&name) && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
    };
    match format {
        Format::Xml => {
            out.push_str("<xml>");
            for (name, value) in fields {
                if numeric(name, value) {
                    push_text_element(&mut out, name, value);
                } else {
                    push_element(&mut out, name, value);
                }
            }
            out.push_str("</xml>");
        }
        Format::Json => {
            out.push('{');
            for (i, (name, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_string(&mut out, name);
                out.push(':');
                if numeric(name, value) {
                    out.push_str(value);
                } else {
                    push_json_string(&mut out, value);
                }
            }
            out.push('}');
        }
    }
    Ok(out)
}

fn is_field_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The platform's CheckContainerPath probe body.
pub fn probe_body(format: Format) -> String {
    match format {
        Format::Xml => alloc::format!("<xml><action>{PROBE_ACTION}</action></xml>"),
        Format::Json => alloc::format!("{{\"action\":\"{PROBE_ACTION}\"}}"),
    }
}
