//! WeChat Cloud Hosting (微信云托管) pushes. The platform delivers message pushes to a Cloud
//! Hosting service over its internal link: XML or JSON, with no encryption and no signature.
//! Configuring the push first sends a probe (`{"action":"CheckContainerPath"}` or
//! `<xml><action>CheckContainerPath</action></xml>`) that must be answered 200 `success`.
//! Trust comes from the network, not from a signature. The platform adds `x-wx-source` to every
//! request that reaches the service through WeChat, a mini program user's own
//! `wx.cloud.callContainer` calls included (with the caller's `x-wx-openid`), so a request is a
//! push only when nothing in it says a client sent it: no empty or client `x-wx-source`, no
//! caller openid other than the push's sender, and with public access an `x-wx-source` present.
//! The body goes through the same message parser, limits and dedup key as other pushes.

use alloc::string::String;
use alloc::vec::Vec;

use super::fields::{write_checked, FieldValue};
use super::reply::{transfer_plaintext, ReplyTarget};
use super::{dedup_key, detect_format, utf8, Mode, Push};
use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::message::{self, Message, RawValue};

/// The `action` of the platform's probe.
pub const PROBE_ACTION: &str = "CheckContainerPath";

/// The `x-wx-source` values of requests that a mini program's own code (a user's
/// `wx.cloud.callContainer`, the developer tools, local debugging) sends through the platform:
/// never a push, whatever their body says.
pub const DEFAULT_CLIENT_SOURCES: [&str; 3] = ["wx_client", "wx_devtools", "wx_localdebug"];

/// Limits and the trust rule of one Cloud Hosting receiver.
#[derive(Debug, Clone)]
pub struct CloudLimits {
    pub max_body_bytes: usize,
    pub max_json_depth: usize,
    /// Whether the service has public access: then only requests with `x-wx-source` are trusted.
    pub public_access: bool,
    /// `x-wx-source` values refused as a client's call (compared without regard to ASCII case);
    /// [`DEFAULT_CLIENT_SOURCES`] by default.
    pub client_sources: Vec<String>,
}

impl Default for CloudLimits {
    fn default() -> Self {
        CloudLimits {
            max_body_bytes: super::DEFAULT_MAX_BODY_BYTES,
            max_json_depth: message::DEFAULT_MAX_JSON_DEPTH,
            public_access: true,
            client_sources: DEFAULT_CLIENT_SOURCES
                .iter()
                .map(|s| String::from(*s))
                .collect(),
        }
    }
}

/// What the request's headers say about who sent it: `x-wx-source`, and the caller identity the
/// platform adds to a user's own calls (`x-wx-openid`, `x-wx-from-openid`). `None` when absent.
#[derive(Debug, Clone, Copy, Default)]
pub struct CloudCaller<'a> {
    pub source: Option<&'a str>,
    pub openid: Option<&'a str>,
    pub from_openid: Option<&'a str>,
}

impl<'a> From<Option<&'a str>> for CloudCaller<'a> {
    /// A caller known by its `x-wx-source` alone.
    fn from(source: Option<&'a str>) -> Self {
        CloudCaller {
            source,
            ..CloudCaller::default()
        }
    }
}

const fn untrusted(message: &'static str) -> Error {
    Error::new(ErrorKind::UntrustedSource, message)
}

/// The trust rule on the headers alone (before the body is read): an empty `x-wx-source` or a
/// client's source is refused in every mode; with public access, a request without it too.
fn check_source(caller: &CloudCaller<'_>, limits: &CloudLimits) -> Result<()> {
    match caller.source {
        Some(source) if source.trim().is_empty() => Err(untrusted(
            "the request's x-wx-source header is empty: the platform's pushes carry a value",
        )),
        Some(source)
            if limits
                .client_sources
                .iter()
                .any(|c| c.eq_ignore_ascii_case(source.trim())) =>
        {
            Err(untrusted(
                "the request's x-wx-source names a mini program client (a user's \
                 wx.cloud.callContainer call, the developer tools or local debugging), not a \
                 push: keep the push path off the routes the mini program calls",
            ))
        }
        None if limits.public_access => Err(untrusted(
            "the request has no x-wx-source header: with public access on, only requests over \
             the platform's internal link (which carry it) are pushes",
        )),
        _ => Ok(()),
    }
}

/// The trust rule on the push: a caller identity in the headers (a user's own call carries
/// `x-wx-openid` or `x-wx-from-openid`) must be the push's sender.
fn check_caller(caller: &CloudCaller<'_>, message: &Message) -> Result<()> {
    for openid in [caller.openid, caller.from_openid].into_iter().flatten() {
        if !openid.is_empty() && openid != message.from_user_name {
            return Err(untrusted(
                "the request carries a caller openid (x-wx-openid or x-wx-from-openid) that is \
                 not the push's FromUserName: a user's own call posting a push is refused",
            ));
        }
    }
    Ok(())
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

/// Receives one Cloud Hosting request. `caller` is what its headers say of its sender
/// (`x-wx-source`, `x-wx-openid`, `x-wx-from-openid`; an `Option<&str>` is the source alone).
/// Checks trust (-41008), then the size limit, the format, the JSON depth, and parses into the
/// same typed message (mode `cloud`) and dedup key as every other push; a push whose sender is
/// not the caller named in the headers is refused (-41008) before it is keyed.
pub fn receive_cloud<'a>(
    body: &[u8],
    content_type: Option<&str>,
    caller: impl Into<CloudCaller<'a>>,
    limits: &CloudLimits,
) -> Result<CloudPush> {
    let caller = caller.into();
    check_source(&caller, limits)?;
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
    check_caller(&caller, &message)?;
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
    let values: Vec<(String, FieldValue)> = fields
        .iter()
        .map(|(name, value)| (name.clone(), FieldValue::Text(value.clone())))
        .collect();
    cloud_push_fields(&values, format)
}

/// [`cloud_push_body`] for fields that may nest (the subscribe-message events' lists: an
/// object is an element with children, a list repeated elements in XML or an array in JSON);
/// every name at any depth follows the same rule.
pub fn cloud_push_fields(fields: &[(String, FieldValue)], format: Format) -> Result<String> {
    write_checked(fields, format, check_field_name)
}

fn check_field_name(name: &str) -> Result<()> {
    if is_field_name(name) {
        return Ok(());
    }
    Err(Error::with_message(
        ErrorKind::InvalidField,
        alloc::format!(
            "the field name '{}' is not a push field name (ASCII letters, digits and '_', \
             starting with a letter)",
            name.chars().take(40).collect::<String>()
        ),
    ))
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
