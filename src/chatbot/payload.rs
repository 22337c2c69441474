//! The sendmsg payload: fields, channel and event enums, XML out and in.

use alloc::string::String;

use crate::api::api_error;
use crate::api::validate::{invalid, missing, parse_input};
use crate::error::{Error, ErrorKind, Result};
use crate::xml;

/// Channel ids (the document's channel table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Channel {
    /// Official account / mini program bound by scanning (appid required).
    Bound = 0,
    /// Open interface (not yet open).
    OpenApi = 2,
    /// WeCom group chat bot (not yet open).
    WecomGroup = 3,
    /// WeCom internal customer service bot (not yet open).
    WecomKf = 4,
    /// Official account menu H5 bot (appid required).
    MenuH5 = 5,
    /// Mini program plugin (appid required).
    MiniProgramPlugin = 6,
    /// Web H5 bot (appid optional, or the token).
    WebH5 = 7,
}

/// `(id, name)` of every channel, for the JavaScript enum.
pub const CHANNELS: &[(u8, &str)] = &[
    (0, "Bound"),
    (2, "OpenApi"),
    (3, "WecomGroup"),
    (4, "WecomKf"),
    (5, "MenuH5"),
    (6, "MiniProgramPlugin"),
    (7, "WebH5"),
];

impl Channel {
    pub fn from_id(id: u64) -> Option<Channel> {
        Some(match id {
            0 => Channel::Bound,
            2 => Channel::OpenApi,
            3 => Channel::WecomGroup,
            4 => Channel::WecomKf,
            5 => Channel::MenuH5,
            6 => Channel::MiniProgramPlugin,
            7 => Channel::WebH5,
            _ => return None,
        })
    }

    pub fn id(self) -> u8 {
        self as u8
    }

    /// Channels 0, 5 and 6 need the appid.
    pub fn needs_appid(self) -> bool {
        matches!(
            self,
            Channel::Bound | Channel::MenuH5 | Channel::MiniProgramPlugin
        )
    }
}

/// The events of the document's event table.
pub const EVENTS: &[&str] = &[
    "waiterQualityEvaluate",
    "waiterEnter",
    "waiterSwitch",
    "waiterQuit",
];

/// An event name from [`EVENTS`].
pub type Event = &'static str;

/// A validated sendmsg payload (JavaScript names; `appId` is the XML's `appid`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Payload {
    pub app_id: Option<String>,
    pub openid: String,
    pub msg: String,
    pub channel: Option<u64>,
    pub event: Option<String>,
    pub kefuname: Option<String>,
    pub kefuavatar: Option<String>,
    pub ans_node_name: Option<String>,
}

/// Which check failed, so the builder (-42001/-42002) and the platform side (1008) can each
/// report it their way.
enum Problem {
    Missing(&'static str),
    Invalid(&'static str, &'static str),
}

impl Payload {
    /// Parses and validates a payload given as JSON.
    pub fn from_json(json: &str) -> Result<Payload> {
        let i = parse_input(
            json,
            &[
                "appId",
                "openid",
                "msg",
                "channel",
                "event",
                "kefuname",
                "kefuavatar",
                "ansNodeName",
            ],
        )?;
        let payload = Payload {
            app_id: i.str(&["appId"])?,
            openid: i.str(&["openid"])?.unwrap_or_default(),
            msg: i.str(&["msg"])?.unwrap_or_default(),
            channel: i.id(&["channel"])?,
            event: i.str(&["event"])?,
            kefuname: i.str(&["kefuname"])?,
            kefuavatar: i.str(&["kefuavatar"])?,
            ans_node_name: i.str(&["ansNodeName"])?,
        };
        payload.validate()?;
        Ok(payload)
    }

    fn problem(&self) -> Option<Problem> {
        if self.openid.is_empty() {
            return Some(Problem::Missing("openid"));
        }
        if self.msg.is_empty() {
            return Some(Problem::Missing("msg"));
        }
        let channel = match self.channel {
            None => return Some(Problem::Missing("channel")),
            Some(id) => match Channel::from_id(id) {
                Some(c) => c,
                None => return Some(Problem::Invalid("channel", "must be 0, 2, 3, 4, 5, 6 or 7")),
            },
        };
        if channel.needs_appid() && self.app_id.as_deref().unwrap_or("").is_empty() {
            return Some(Problem::Missing("appId"));
        }
        if let Some(event) = self.event.as_deref() {
            if !event.is_empty() && !EVENTS.contains(&event) {
                return Some(Problem::Invalid(
                    "event",
                    "must be waiterQualityEvaluate, waiterEnter, waiterSwitch or waiterQuit",
                ));
            }
        }
        None
    }

    /// Checks required fields (openid, msg, channel; appid for channels 0, 5, 6) and enums.
    pub fn validate(&self) -> Result<()> {
        match self.problem() {
            None => Ok(()),
            Some(Problem::Missing(field)) => Err(missing(field)),
            Some(Problem::Invalid(field, what)) => Err(invalid(field, what)),
        }
    }

    /// The platform's check: 1008 when appid, openid or msg is missing or the channel is wrong.
    pub fn validate_as_platform(&self) -> Result<()> {
        match self.problem() {
            None => Ok(()),
            Some(_) => Err(api_error(1008, "appid, openid, msg field cannot be empty")),
        }
    }

    /// The XML the platform expects, fields in the document's order; absent ones omitted.
    pub fn to_xml(&self) -> Result<String> {
        self.validate()?;
        let mut out = String::with_capacity(128 + self.msg.len());
        out.push_str("<xml>");
        if let Some(appid) = self.app_id.as_deref().filter(|a| !a.is_empty()) {
            xml::push_element(&mut out, "appid", appid);
        }
        xml::push_element(&mut out, "openid", &self.openid);
        xml::push_element(&mut out, "msg", &self.msg);
        let mut digits = String::new();
        push_u64(&mut digits, self.channel.unwrap_or(0));
        xml::push_text_element(&mut out, "channel", &digits);
        for (name, value) in [
            ("event", &self.event),
            ("kefuname", &self.kefuname),
            ("kefuavatar", &self.kefuavatar),
            ("ans_node_name", &self.ans_node_name),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                xml::push_element(&mut out, name, v);
            }
        }
        out.push_str("</xml>");
        Ok(out)
    }

    /// The payload in JavaScript names (absent fields left out).
    pub fn to_json(&self) -> String {
        crate::api::json::Obj::new()
            .opt_str("appId", self.app_id.as_deref())
            .str("openid", &self.openid)
            .str("msg", &self.msg)
            .opt_u64("channel", self.channel)
            .opt_str("event", self.event.as_deref())
            .opt_str("kefuname", self.kefuname.as_deref())
            .opt_str("kefuavatar", self.kefuavatar.as_deref())
            .opt_str("ansNodeName", self.ans_node_name.as_deref())
            .finish()
    }
}

fn push_u64(out: &mut String, n: u64) {
    use core::fmt::Write;
    let _ = write!(out, "{n}");
}

fn is_payload_field(name: &str) -> bool {
    matches!(
        name,
        "appid"
            | "openid"
            | "msg"
            | "channel"
            | "event"
            | "kefuname"
            | "kefuavatar"
            | "ans_node_name"
    )
}

/// Reads a payload's XML (platform side). Unknown elements are ignored; a channel that is not
/// a number is an error (1008).
pub fn parse_payload_xml(body: &str) -> Result<Payload> {
    let mut p = Payload::default();
    for field in xml::read_document(body)? {
        let xml::Child { name, node } = field;
        let value: String = match node {
            xml::Node::Text(text) => text.into_owned(),
            // No field of a payload has child elements: an unknown one is ignored, a known one
            // is refused below as empty text would be misleading.
            xml::Node::Element(_) if !is_payload_field(&name) => continue,
            xml::Node::Element(_) => {
                return Err(Error::new(
                    ErrorKind::ParseXml,
                    "a field of the chatbot payload holds elements instead of text",
                ))
            }
        };
        match &*name {
            "appid" => p.app_id = Some(value),
            "openid" => p.openid = value,
            "msg" => p.msg = value,
            "channel" => {
                p.channel = Some(
                    value
                        .trim()
                        .parse::<u64>()
                        .map_err(|_| -> Error { api_error(1008, "channel is not a number") })?,
                )
            }
            "event" => p.event = Some(value),
            "kefuname" => p.kefuname = Some(value),
            "kefuavatar" => p.kefuavatar = Some(value),
            "ans_node_name" => p.ans_node_name = Some(value),
            _ => {}
        }
    }
    Ok(p)
}
