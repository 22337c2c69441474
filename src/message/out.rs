//! Writes a `Message` as the JSON object the JavaScript API exposes: typed fields in
//! lowerCamelCase, `msgId` as a string, `raw` with every original field. Integers a JavaScript
//! number cannot hold exactly are written as strings of their digits.

use alloc::string::String;

use super::model::{Kind, Message, RawValue, MAX_SAFE_INTEGER};

/// Appends `text` as a JSON string literal. Scans bytes: only `"`, `\\` and control bytes
/// need escaping, and none of them occurs inside a multi-byte UTF-8 sequence.
pub fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        // `i` is at an ASCII byte, so it is a char boundary.
        out.push_str(text.get(start..i).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

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

/// Writes a JSON value, turning integers beyond 2^53 into strings of their digits.
pub fn push_json_value(out: &mut String, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let unsafe_int = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u > MAX_SAFE_INTEGER,
                (None, Some(i)) => i < -(MAX_SAFE_INTEGER as i64),
                _ => false,
            };
            if unsafe_int {
                push_json_string(out, &n.to_string());
            } else {
                out.push_str(&n.to_string());
            }
        }
        Value::String(s) => push_json_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, v) in map {
                push_key(out, &mut first, k);
                push_json_value(out, v);
            }
            out.push('}');
        }
    }
}

impl Message {
    /// The message as a JSON object (see the module documentation).
    pub fn write_json(&self, out: &mut String) {
        let mut first = true;
        out.push('{');
        push_str_field(out, &mut first, "msgType", &self.msg_type);
        if let Some(event) = &self.event {
            push_str_field(out, &mut first, "event", event);
        }
        push_str_field(out, &mut first, "toUserName", &self.to_user_name);
        push_str_field(out, &mut first, "fromUserName", &self.from_user_name);
        push_key(out, &mut first, "createTime");
        out.push_str(&alloc::format!("{}", self.create_time));
        if let Some(id) = &self.msg_id {
            push_str_field(out, &mut first, "msgId", id);
        }
        if let Some(id) = self.business_id {
            push_key(out, &mut first, "businessId");
            out.push_str(&alloc::format!("{id}"));
        }
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
            Kind::Other => &[],
        };
        for (key, value) in typed {
            push_str_field(out, &mut first, key, value);
        }
        push_key(out, &mut first, "raw");
        out.push('{');
        let mut first_raw = true;
        for (name, value) in &self.raw {
            push_key(out, &mut first_raw, name);
            match value {
                RawValue::Text(text) => push_json_string(out, text),
                RawValue::Number(number) => push_json_number(out, number),
                RawValue::Json(json) => push_json_value(out, json),
            }
        }
        out.push('}');
        out.push('}');
    }

    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.raw.len() * 48);
        self.write_json(&mut out);
        out
    }
}
