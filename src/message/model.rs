//! The typed model: common header fields, one `Kind` per known message type or event, and the
//! raw fields by their original names.

use alloc::string::String;
use alloc::vec::Vec;

use super::raw::{member_text, RawValue};
use super::subscribe::{self, SubscribeEntry};
use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};

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
    /// The user answered a subscribe-message popup (`subscribe_msg_popup_event`): one entry
    /// per template, with `template_id`, `subscribe_status_string` and `popup_scene`.
    SubscribeMsgPopup {
        list: Vec<SubscribeEntry>,
    },
    /// The user changed a subscription in the settings (`subscribe_msg_change_event`):
    /// `template_id` and `subscribe_status_string`.
    SubscribeMsgChange {
        list: Vec<SubscribeEntry>,
    },
    /// The result of sending a subscribe message (`subscribe_msg_sent_event`): `template_id`,
    /// `msg_id`, `error_code` and `error_status`.
    SubscribeMsgSent {
        list: Vec<SubscribeEntry>,
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
    /// `Event`: always for `msgType == "event"` (empty when the push has none), and for any
    /// other type whose push has one (wechatpy's `device_event`, SDK fixtures of text pushes).
    pub event: Option<String>,
    /// The 64-bit message id as its exact decimal digits: `MsgId`, or for a push that is not an
    /// event `MsgID` (the same id spelled otherwise; in an event `MsgID` names another message,
    /// the one sent that the event reports on, and is not the push's id).
    pub msg_id: Option<String>,
    /// The sub-merchant id, for sessions of a sub-merchant (`BusinessId`).
    pub business_id: Option<u64>,
    pub kind: Kind,
    /// Every field by its original name with its structure, in the order read (a repeated
    /// name is one `RawValue::List` at the place of its first copy).
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
    /// The text of a top-level raw field (the last copy when a name repeats); `None` when
    /// absent or not text (an object, an array of objects, null).
    pub fn field(&self, name: &str) -> Option<alloc::borrow::Cow<'_, str>> {
        member_text(&self.raw, name)
    }

    /// Whether `kind` is one of the typed kinds (false for `Kind::Other`).
    pub fn known(&self) -> bool {
        self.kind != Kind::Other
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
        let is_event = message.msg_type == "event";
        message.msg_id = message
            .field("MsgId")
            .or_else(|| (!is_event).then(|| message.field("MsgID")).flatten())
            .map(|id| id.trim().into())
            .filter(|id: &String| !id.is_empty());
        message.business_id = message
            .field("BusinessId")
            .and_then(|id| parse_u64(id.trim()))
            .filter(|id| *id <= MAX_SAFE_INTEGER);
        message.event = if is_event {
            Some(message.text("Event"))
        } else {
            message.field("Event").map(|e| e.into_owned())
        };
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
            ("event", Some("subscribe_msg_popup_event")) => Kind::SubscribeMsgPopup {
                list: subscribe::entries(&self.raw, "SubscribeMsgPopupEvent"),
            },
            ("event", Some("subscribe_msg_change_event")) => Kind::SubscribeMsgChange {
                list: subscribe::entries(&self.raw, "SubscribeMsgChangeEvent"),
            },
            ("event", Some("subscribe_msg_sent_event")) => Kind::SubscribeMsgSent {
                list: subscribe::entries(&self.raw, "SubscribeMsgSentEvent"),
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
