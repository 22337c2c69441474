//! Writes a `Message` as the JSON object the JavaScript API exposes, in this order:
//! 1. the common fields (`msgType`, `event` whenever the push has an `Event`, `toUserName`,
//!    `fromUserName`, `createTime`, `msgId`, `businessId`) and `known` (false for kinds this
//!    version does not type); a typed user message (text, image, miniprogrampage) always has
//!    `msgId`, empty when the push has none (its type says it is a string);
//! 2. the typed fields of the kind (`content`, `kfAccount`, `list`, ...);
//! 3. every other field of the push under its lowerCamelCase name (see `camel`), for unknown
//!    kinds too, with its structure and with the names inside nested objects camel-cased as
//!    well. A name already written (a common or typed field, `known`, `raw`), a second
//!    field with the same camelCase form, or a name of `Object.prototype`'s members
//!    (`ToString` -> `toString`: see `raw::PROTOTYPE_NAMES`) is left out here: the first one
//!    wins, and `raw` keeps them all;
//! 4. `raw`: every original field by its original name with its structure (see `raw`).
//!
//! Integers a JavaScript number cannot hold exactly are written as strings of their digits.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::camel::camel_case_into;
use super::model::{Kind, Message, MAX_SAFE_INTEGER};
use super::raw::{is_prototype_name, RawValue};
use super::subscribe::SubscribeEntry;
use crate::json::push_json_string;

fn push_key(out: &mut String, first: &mut bool, key: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    push_json_string(out, key);
    out.push(':');
}

fn push_str_field(out: &mut String, first: &mut bool, key: &str, value: &str) {
    push_key(out, first, key);
    push_json_string(out, value);
}

/// Long strings of the message's top level, taken out of its JSON: each one's value is
/// written as `0` and recorded here (name and text, in order) for the caller to hand over
/// apart, so that a long content is neither escaped nor parsed as JSON.
#[derive(Debug, Default)]
pub struct Spans<'m> {
    /// Strings of at least this many bytes are taken out.
    pub min_bytes: usize,
    /// The member names and their texts, in the order written.
    pub taken: Vec<(String, &'m str)>,
}

/// A top-level string member: written, or taken out into `spans` when long enough.
fn push_top_str<'m>(
    out: &mut String,
    first: &mut bool,
    key: &str,
    value: &'m str,
    spans: &mut Option<&mut Spans<'m>>,
) {
    push_key(out, first, key);
    match spans {
        Some(spans) if value.len() >= spans.min_bytes => {
            out.push('0');
            spans.taken.push((key.into(), value));
        }
        _ => push_json_string(out, value),
    }
}

/// Appends the decimal digits of `n` (without the formatting machinery).
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Writes a JSON number literal; an integer beyond 2^53 becomes a string of its digits.
pub fn push_json_number(out: &mut String, literal: &str) {
    let digits = literal.strip_prefix('-').unwrap_or(literal);
    let integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let unsafe_int = integer
        && digits.len() >= 16
        && digits.parse::<u64>().map_or(true, |n| n > MAX_SAFE_INTEGER);
    if unsafe_int {
        push_json_string(out, literal);
    } else {
        out.push_str(literal);
    }
}

/// The length of `{"name":value,...}` for these members, without escapes (see
/// [`Message::raw_json_min_len`]); a nested array or object counts as its brackets.
fn members_len(members: &[(String, RawValue)]) -> usize {
    let each: usize = members
        .iter()
        .map(|(name, value)| {
            name.len()
                + 4
                + match value {
                    RawValue::Text(text) => text.len() + 2,
                    RawValue::Number(number) => number.len(),
                    RawValue::Bool(_) | RawValue::Null => 4,
                    RawValue::List(_) | RawValue::Object(_) => 2,
                }
        })
        .sum();
    each + 1
}

/// Writes a raw value; `camel` also camel-cases the names of nested objects (first wins).
fn push_raw_value(out: &mut String, value: &RawValue, camel: bool) {
    match value {
        RawValue::Text(text) => push_json_string(out, text),
        RawValue::Number(number) => push_json_number(out, number),
        RawValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        RawValue::Null => out.push_str("null"),
        RawValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_raw_value(out, item, camel);
            }
            out.push(']');
        }
        RawValue::Object(members) => {
            out.push('{');
            let mut first = true;
            if camel {
                let mut used = Used::new();
                push_camel_members(out, &mut first, members, &|_| false, &mut used, &mut None);
            } else {
                for (name, value) in members {
                    push_key(out, &mut first, name);
                    push_raw_value(out, value, false);
                }
            }
            out.push('}');
        }
    }
}

/// Writes each member under its camelCase name unless that name is empty, one of
/// [`PROTOTYPE_NAMES`](super::raw::PROTOTYPE_NAMES) (`ToString` stays in `raw` only),
/// `reserved` or already used (text members long enough go to `spans`).
fn push_camel_members<'m>(
    out: &mut String,
    first: &mut bool,
    members: &'m [(String, RawValue)],
    reserved: &dyn Fn(&str) -> bool,
    used: &mut Used,
    spans: &mut Option<&mut Spans<'m>>,
) {
    let mut camel = String::new();
    for (name, value) in members {
        camel_case_into(name, &mut camel);
        if camel.is_empty()
            || is_prototype_name(&camel)
            || reserved(&camel)
            || used.contains_key(&camel)
        {
            continue;
        }
        match value {
            RawValue::Text(text) => push_top_str(out, first, &camel, text, spans),
            _ => {
                push_key(out, first, &camel);
                push_raw_value(out, value, true);
            }
        }
        used.insert(camel.clone(), 0);
    }
}

/// Names already written in one object. The same map type as `raw::group`'s (one copy of the
/// B-tree code in the `.wasm`); the value is unused here.
type Used = BTreeMap<String, usize>;

/// The common names, always reserved (even when absent) so that a field of the push can
/// never stand in for them with another type.
const COMMON: [&str; 9] = [
    "msgType",
    "event",
    "toUserName",
    "fromUserName",
    "createTime",
    "msgId",
    "businessId",
    "known",
    "raw",
];

/// Which entry fields each subscribe event carries: (camelCase name, accessor).
type EntryField = (&'static str, fn(&SubscribeEntry) -> &str);
const POPUP: &[EntryField] = &[
    ("templateId", |e| &e.template_id),
    ("subscribeStatusString", |e| &e.subscribe_status_string),
    ("popupScene", |e| &e.popup_scene),
];
const CHANGE: &[EntryField] = &[
    ("templateId", |e| &e.template_id),
    ("subscribeStatusString", |e| &e.subscribe_status_string),
];
const SENT: &[EntryField] = &[
    ("templateId", |e| &e.template_id),
    ("msgId", |e| &e.msg_id),
    ("errorCode", |e| &e.error_code),
    ("errorStatus", |e| &e.error_status),
];

fn push_entries(
    out: &mut String,
    first: &mut bool,
    list: &[SubscribeEntry],
    fields: &[EntryField],
) {
    push_key(out, first, "list");
    out.push('[');
    for (i, entry) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        let mut first_field = true;
        for (name, get) in fields {
            push_str_field(out, &mut first_field, name, get(entry));
        }
        out.push('}');
    }
    out.push(']');
}

impl Message {
    fn write_json_object<'m>(
        &'m self,
        out: &mut String,
        with_raw: bool,
        mut spans: Option<&mut Spans<'m>>,
    ) {
        let spans = &mut spans;
        let mut first = true;
        out.push('{');
        push_top_str(out, &mut first, "msgType", &self.msg_type, spans);
        if let Some(event) = &self.event {
            push_top_str(out, &mut first, "event", event, spans);
        }
        push_top_str(out, &mut first, "toUserName", &self.to_user_name, spans);
        push_top_str(out, &mut first, "fromUserName", &self.from_user_name, spans);
        push_key(out, &mut first, "createTime");
        push_u64(out, self.create_time);
        match &self.msg_id {
            Some(id) => push_top_str(out, &mut first, "msgId", id, spans),
            None if matches!(
                self.kind,
                Kind::Text { .. } | Kind::Image { .. } | Kind::MiniProgramPage { .. }
            ) =>
            {
                push_str_field(out, &mut first, "msgId", "")
            }
            None => {}
        }
        if let Some(id) = self.business_id {
            push_key(out, &mut first, "businessId");
            push_u64(out, id);
        }
        push_key(out, &mut first, "known");
        out.push_str(if self.known() { "true" } else { "false" });
        let typed: &[(&str, &str)] = match &self.kind {
            Kind::Text { content } => &[("content", content)],
            Kind::Image { pic_url, media_id } => &[("picUrl", pic_url), ("mediaId", media_id)],
            Kind::MiniProgramPage {
                title,
                app_id,
                page_path,
                thumb_url,
                thumb_media_id,
            } => &[
                ("title", title),
                ("appId", app_id),
                ("pagePath", page_path),
                ("thumbUrl", thumb_url),
                ("thumbMediaId", thumb_media_id),
            ],
            Kind::UserEnterTempSession { session_from } => &[("sessionFrom", session_from)],
            Kind::KfCreateSession { kf_account } => &[("kfAccount", kf_account)],
            Kind::KfCloseSession {
                kf_account,
                close_type,
            } => &[("kfAccount", kf_account), ("closeType", close_type)],
            Kind::KfSwitchSession {
                from_kf_account,
                to_kf_account,
            } => &[
                ("fromKfAccount", from_kf_account),
                ("toKfAccount", to_kf_account),
            ],
            Kind::SubscribeMsgPopup { list } => {
                push_entries(out, &mut first, list, POPUP);
                &[]
            }
            Kind::SubscribeMsgChange { list } => {
                push_entries(out, &mut first, list, CHANGE);
                &[]
            }
            Kind::SubscribeMsgSent { list } => {
                push_entries(out, &mut first, list, SENT);
                &[]
            }
            Kind::Other => &[],
        };
        let has_list = matches!(
            self.kind,
            Kind::SubscribeMsgPopup { .. }
                | Kind::SubscribeMsgChange { .. }
                | Kind::SubscribeMsgSent { .. }
        );
        for (key, value) in typed {
            push_top_str(out, &mut first, key, value, spans);
        }
        // The common and typed names are reserved without a map entry each.
        let reserved = |camel: &str| {
            COMMON.contains(&camel)
                || typed.iter().any(|(key, _)| *key == camel)
                || (has_list && camel == "list")
        };
        push_camel_members(
            out,
            &mut first,
            &self.raw,
            &reserved,
            &mut Used::new(),
            spans,
        );
        if with_raw {
            push_key(out, &mut first, "raw");
            self.write_raw_json(out);
        }
        out.push('}');
    }

    /// The message as a JSON object (see the module documentation).
    pub fn write_json(&self, out: &mut String) {
        self.write_json_object(out, true, None);
    }

    /// The message as a JSON object without its last member, `raw` (parts 1 to 3 of the
    /// module documentation): for a caller that hands `raw` over separately
    /// ([`Message::write_raw_json`]), so that the content is not carried twice.
    pub fn write_json_without_raw(&self, out: &mut String) {
        self.write_json_object(out, false, None);
    }

    /// [`Message::write_json`] (or without `raw`), with the long top-level strings taken out
    /// into `spans` (see [`Spans`]).
    pub fn write_json_spans<'m>(&'m self, out: &mut String, with_raw: bool, spans: &mut Spans<'m>) {
        self.write_json_object(out, with_raw, Some(spans));
    }

    /// A lower bound of the length in bytes of [`Message::write_raw_json`]'s output, exact for
    /// fields of text, numbers, `true` and `null` when no character needs escaping. For a caller that picks how to hand
    /// `raw` over by its size, without writing it first.
    pub fn raw_json_min_len(&self) -> usize {
        members_len(&self.raw)
    }

    /// `raw` alone: every original field by its original name with its structure.
    pub fn write_raw_json(&self, out: &mut String) {
        out.push('{');
        let mut first = true;
        for (name, value) in &self.raw {
            push_key(out, &mut first, name);
            push_raw_value(out, value, false);
        }
        out.push('}');
    }

    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.raw.len() * 96);
        self.write_json(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Format;

    /// The estimate is the written length when nothing is escaped, and below it otherwise.
    #[test]
    fn raw_json_min_len_bounds_the_written_length() {
        let xml = "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>\
                   <CreateTime>1</CreateTime><MsgType>text</MsgType><Content>客服 hi</Content>\
                   <MsgId>2</MsgId><A><B>x</B><B>y</B><C></C></A><A>z</A><E/></xml>";
        let json = r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x",
                     "N":-1.5e3,"T":true,"Z":null,"E":[],"O":{}}"#;
        for (body, format) in [(xml, Format::Xml), (json, Format::Json)] {
            let message = super::super::parse(body, format, 32).unwrap();
            let mut out = String::new();
            message.write_raw_json(&mut out);
            let exact = message.raw_json_min_len() == out.len();
            assert_eq!(exact, format == Format::Json, "{out}");
            assert!(message.raw_json_min_len() <= out.len(), "{out}");
        }
        // Nested values, false and integers beyond 2^53 (written as strings) count less.
        let json = r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x",
                     "F":false,"L":[1,"a",[],{}],"O":{"P":{}},"Big":12345678901234567890}"#;
        let message = super::super::parse(json, Format::Json, 32).unwrap();
        let mut out = String::new();
        message.write_raw_json(&mut out);
        assert_eq!(
            message.raw_json_min_len() + 1 + 11 + 6 + 2,
            out.len(),
            "{out}"
        );
        // Each escape adds a byte: four here.
        let below = |body: &str| {
            let message = super::super::parse(body, Format::Xml, 32).unwrap();
            let mut out = String::new();
            message.write_raw_json(&mut out);
            out.len() - message.raw_json_min_len()
        };
        let escaped = xml.replace("hi", "&quot;h\ti\\&quot;");
        assert_eq!(below(&escaped), below(xml) + 4);
    }

    #[test]
    fn u64_digits() {
        for n in [0, 7, 9, 10, 99, 100, 1_700_000_000, u64::MAX - 1, u64::MAX] {
            let mut out = String::from("x");
            push_u64(&mut out, n);
            assert_eq!(out, alloc::format!("x{n}"));
        }
    }

    /// The JSON with spans, each `0` put back by its name, is the JSON without them.
    #[test]
    fn spans_put_back_give_the_same_json() {
        let long = |c: &str| c.repeat(40);
        let body = alloc::format!(
            "<xml><ToUserName>gh</ToUserName><FromUserName>{}</FromUserName>\
             <CreateTime>1</CreateTime><MsgType>text</MsgType><Content>{}</Content>\
             <MsgId>2</MsgId><Extra_Note>{}</Extra_Note><Nested><A>{}</A></Nested>\
             <Short>s</Short></xml>",
            long("o"),
            long("客 &amp; \"q\" 😀"),
            long("n"),
            long("a"),
        );
        let message = super::super::parse(&body, crate::crypto::Format::Xml, 32).unwrap();
        for min_bytes in [0, 1, 39, 40, 41, 200, usize::MAX] {
            for with_raw in [false, true] {
                let mut plain = String::new();
                message.write_json_object(&mut plain, with_raw, None);
                let mut spans = Spans {
                    min_bytes,
                    taken: Vec::new(),
                };
                let mut out = String::new();
                message.write_json_spans(&mut out, with_raw, &mut spans);
                let mut value: serde_json::Value = serde_json::from_str(&out).unwrap();
                let object = value.as_object_mut().unwrap();
                for (name, text) in &spans.taken {
                    assert!(text.len() >= min_bytes);
                    assert_eq!(object[name.as_str()], serde_json::json!(0), "{name}");
                    object.insert(name.clone(), serde_json::Value::String((*text).into()));
                }
                let want: serde_json::Value = serde_json::from_str(&plain).unwrap();
                assert_eq!(value, want, "{min_bytes}");
                let names: Vec<&str> = spans.taken.iter().map(|(n, _)| n.as_str()).collect();
                let expected: &[&str] = match min_bytes {
                    0 | 1 => &[
                        "msgType",
                        "toUserName",
                        "fromUserName",
                        "msgId",
                        "content",
                        "extraNote",
                        "short",
                    ],
                    39 | 40 => &["fromUserName", "content", "extraNote"],
                    41 | 200 => &["content"],
                    _ => &[],
                };
                assert_eq!(names, expected, "{min_bytes}");
            }
        }
    }

    /// The JSON without `raw`, with `raw` written apart put back as its last member, is the
    /// whole JSON, byte for byte.
    #[test]
    fn json_without_raw_and_raw_apart_make_the_whole_json() {
        let body = "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>\
                    <CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content>\
                    <MsgId>2</MsgId><Extra>x</Extra></xml>";
        let message = super::super::parse(body, crate::crypto::Format::Xml, 32).unwrap();
        let mut without = String::from("x");
        message.write_json_without_raw(&mut without);
        let mut raw = String::new();
        message.write_raw_json(&mut raw);
        let mut whole = String::from("x");
        message.write_json(&mut whole);
        assert!(
            without.ends_with('}') && !without.contains("\"raw\""),
            "{without}"
        );
        without.pop();
        assert_eq!(alloc::format!("{without},\"raw\":{raw}}}"), whole);
        assert_eq!(whole[1..], message.to_json());
    }

    #[test]
    fn json_strings_read_back_exactly_wherever_the_escaped_byte_sits() {
        for filler in ["a", "客", "ab"] {
            for len in 0..20 {
                for at in 0..=len {
                    for b in (0u8..0x80).chain([b'"', b'\\']) {
                        let mut text: String = filler.repeat(len);
                        let at = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                        text.insert(at, char::from(b));
                        let mut out = String::new();
                        push_json_string(&mut out, &text);
                        let back: String = serde_json::from_str(&out).unwrap();
                        assert_eq!(back, text);
                        let escaped = b < 0x20 || b == b'"' || b == b'\\';
                        assert_eq!(out.len() == text.len() + 2, !escaped, "{out}");
                    }
                }
            }
        }
    }
}
