//! The typed model: common header fields, one `Kind` per known message type or event, and the
//! raw fields by their original names.

use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};

/// A field's value as sent: text (XML, or a JSON string), a JSON number by its exact text, or
/// another JSON value (booleans, null, arrays, objects).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Text(String),
    Number(String),
    Json(serde_json::Value),
}

impl RawValue {
    /// The value as text: strings as they are, numbers by their exact digits, booleans as
    /// `true`/`false`; `None` for null, arrays and objects.
    pub fn as_text(&self) -> Option<alloc::borrow::Cow<'_, str>> {
        use alloc::borrow::Cow;
        match self {
            RawValue::Text(s) | RawValue::Number(s) => Some(Cow::Borrowed(s)),
            RawValue::Json(serde_json::Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            RawValue::Json(serde_json::Value::Bool(b)) => {
                Some(Cow::Borrowed(if *b { "true" } else { "false" }))
            }
            RawValue::Json(_) => None,
        }
    }
}

/// What a message is, by `MsgType` (and `Event` for events). Unknown ones are `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Text {
        content: String,
    },
    Image {
        pic_url: String,
        media_id: String,
    },
    MiniProgramPage {
        title: String,
        app_id: String,
        page_path: String,
        thumb_url: String,
        thumb_media_id: String,
    },
    UserEnterTempSession {
        session_from: String,
    },
    KfCreateSession {
        kf_account: String,
    },
    KfCloseSession {
        kf_account: String,
        close_type: String,
    },
    KfSwitchSession {
        from_kf_account: String,
        to_kf_account: String,
    },
    /// A message type or event this version does not know: read it from `raw`.
    Other,
}

/// One inbound message or event.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub to_user_name: String,
    pub from_user_name: String,
    /// Unix seconds.
    pub create_time: u64,
    pub msg_type: String,
    /// Present for `msgType == "event"`.
    pub event: Option<String>,
    /// The 64-bit message id as its exact decimal digits (messages only).
    pub msg_id: Option<String>,
    /// The sub-merchant id, for sessions of a sub-merchant (`BusinessId`).
    pub business_id: Option<u64>,
    pub kind: Kind,
    /// Every field by its original name, in the order read.
    pub raw: Vec<(String, RawValue)>,
}

fn missing(format: Format, name: &'static str) -> Error {
    let (kind, message) = match (format, name) {
        (Format::Xml, "MsgType") => (
            ErrorKind::ParseXml,
            "the XML push has no MsgType (is the body encrypted while the query lacks \
             encrypt_type=aes?)",
        ),
        (Format::Json, "MsgType") => (
            ErrorKind::ParseJson,
            "the JSON push has no MsgType (is the body encrypted while the query lacks \
             encrypt_type=aes?)",
        ),
        (Format::Xml, "CreateTime") => (
            ErrorKind::ParseXml,
            "the XML push has no CreateTime, or it is not a whole number of seconds",
        ),
        (Format::Json, "CreateTime") => (
            ErrorKind::ParseJson,
            "the JSON push has no CreateTime, or it is not a whole number of seconds",
        ),
        (Format::Xml, _) => (
            ErrorKind::ParseXml,
            "the XML push lacks ToUserName or FromUserName",
        ),
        (Format::Json, _) => (
            ErrorKind::ParseJson,
            "the JSON push lacks ToUserName or FromUserName",
        ),
    };
    Error::new(kind, message)
}

impl Message {
    /// The text of a raw field (the last one when a name repeats).
    pub fn field(&self, name: &str) -> Option<alloc::borrow::Cow<'_, str>> {
        self.raw
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_text())
    }

    fn text(&self, name: &str) -> String {
        self.field(name).map(|v| v.into_owned()).unwrap_or_default()
    }

    /// Lifts the known fields; requires ToUserName, FromUserName, CreateTime and MsgType.
    pub fn from_fields(raw: Vec<(String, RawValue)>, format: Format) -> Result<Message> {
        let mut message = Message {
            to_user_name: String::new(),
            from_user_name: String::new(),
            create_time: 0,
            msg_type: String::new(),
            event: None,
            msg_id: None,
            business_id: None,
            kind: Kind::Other,
            raw,
        };
        message.to_user_name = message
            .field("ToUserName")
            .ok_or_else(|| missing(format, "ToUserName"))?
            .into_owned();
        message.from_user_name = message
            .field("FromUserName")
            .ok_or_else(|| missing(format, "FromUserName"))?
            .into_owned();
        message.msg_type = message
            .field("MsgType")
            .ok_or_else(|| missing(format, "MsgType"))?
            .into_owned();
        message.create_time = message
            .field("CreateTime")
            .and_then(|t| parse_u64(t.trim()))
            .ok_or_else(|| missing(format, "CreateTime"))?;
        message.msg_id = message
            .field("MsgId")
            .map(|id| id.trim().into())
            .filter(|id: &String| !id.is_empty());
        message.business_id = message
            .field("BusinessId")
            .and_then(|id| parse_u64(id.trim()))
            .filter(|id| *id <= MAX_SAFE_INTEGER);
        if message.msg_type == "event" {
            message.event = Some(message.text("Event"));
        }
        message.kind = message.lift_kind();
        Ok(message)
    }

    fn lift_kind(&self) -> Kind {
        match (self.msg_type.as_str(), self.event.as_deref()) {
            ("text", _) => Kind::Text {
                content: self.text("Content"),
            },
            ("image", _) => Kind::Image {
                pic_url: self.text("PicUrl"),
                media_id: self.text("MediaId"),
            },
            ("miniprogrampage", _) => Kind::MiniProgramPage {
                title: self.text("Title"),
                app_id: self.text("AppId"),
                page_path: self.text("PagePath"),
                thumb_url: self.text("ThumbUrl"),
                thumb_media_id: self.text("ThumbMediaId"),
            },
            ("event", Some("user_enter_tempsession")) => Kind::UserEnterTempSession {
                session_from: self.text("SessionFrom"),
            },
            ("event", Some("kf_create_session")) => Kind::KfCreateSession {
                kf_account: self.text("KfAccount"),
            },
            ("event", Some("kf_close_session")) => Kind::KfCloseSession {
                kf_account: self.text("KfAccount"),
                close_type: self.text("CloseType"),
            },
            ("event", Some("kf_switch_session")) => Kind::KfSwitchSession {
                from_kf_account: self.text("FromKfAccount"),
                to_kf_account: self.text("ToKfAccount"),
            },
            _ => Kind::Other,
        }
    }

    /// Whether this is a user message (not an event): only those may be transferred to the
    /// customer-service tools.
    pub fn is_user_message(&self) -> bool {
        self.msg_type != "event"
    }
}

/// 2^53 - 1: the largest integer a JavaScript number holds exactly.
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// Decimal digits only (no sign, no spaces), at most u64.
pub fn parse_u64(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
