//! The compact form of the commonest push: a text message holding exactly the platform's six
//! fields, in its order (`ToUserName`, `FromUserName`, `CreateTime`, `MsgType`, `Content`,
//! `MsgId`, each text). Its JSON object (see [`Push::to_json`]) has a fixed shape, so only the
//! values need to cross: `[0,mode,format,dedupKey,msgType,toUserName,fromUserName,createTime,
//! msgId,rawCreateTime]`, a NUL, then the content as it is (neither escaped nor parsed as JSON;
//! the JSON holds no NUL, so the first one ends it), from which the JavaScript side builds that
//! same object with an object literal (several times cheaper than `JSON.parse` of the whole
//! object, and the content crosses once instead of twice). Any other push is written in full.

use alloc::string::String;

use super::Push;
use crate::json::push_json_string;
use crate::message::{push_u64, Kind, RawValue};

/// The platform's fields of a text message, in its order.
const TEXT_FIELDS: [&str; 6] = [
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "Content",
    "MsgId",
];

impl Push {
    /// Writes the compact form (see the module documentation) and returns `true` when the push
    /// has the fixed shape; otherwise writes nothing and returns `false`.
    pub fn write_compact_text(&self, out: &mut String) -> bool {
        let message = &self.message;
        if !matches!(message.kind, Kind::Text { .. }) {
            return false;
        }
        let (Some(msg_id), None, None) = (&message.msg_id, &message.event, message.business_id)
        else {
            return false;
        };
        if message.raw.len() != TEXT_FIELDS.len() {
            return false;
        }
        let mut texts = [""; 6];
        for ((name, value), (want, text)) in message
            .raw
            .iter()
            .zip(TEXT_FIELDS.iter().zip(texts.iter_mut()))
        {
            match value {
                RawValue::Text(value) if name == want => *text = value,
                _ => return false,
            }
        }
        let [to, from, create_time, msg_type, content, raw_msg_id] = texts;
        // The other typed members are copies of these texts (`Message::from_fields`, six
        // distinct names); `msgId` is trimmed: a MsgId with spaces around it is written in full.
        if raw_msg_id != msg_id {
            return false;
        }
        out.push_str("[0,\"");
        out.push_str(self.mode.as_str());
        out.push_str("\",\"");
        out.push_str(self.format.as_str());
        out.push_str("\",");
        for text in [self.dedup_key.as_str(), msg_type, to, from] {
            push_json_string(out, text);
            out.push(',');
        }
        push_u64(out, message.create_time);
        for text in [msg_id.as_str(), create_time] {
            out.push(',');
            push_json_string(out, text);
        }
        out.push_str("]\0");
        out.push_str(content);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Format;
    use crate::message::parse;
    use crate::push::{dedup_key, Mode};

    fn push(body: &str, format: Format) -> Push {
        let message = parse(body, format, 32).unwrap();
        Push {
            mode: Mode::Safe,
            format,
            dedup_key: dedup_key(&message),
            message,
        }
    }

    /// The object the JavaScript side builds from the values (receiver's `textPush`), as JSON.
    fn expand(compact: &str) -> serde_json::Value {
        let (values, content) = compact.split_once('\0').unwrap();
        let mut v: serde_json::Value = serde_json::from_str(values).unwrap();
        assert_eq!(v[0], 0);
        v.as_array_mut().unwrap().push(content.into());
        serde_json::json!({
            "mode": v[1], "format": v[2], "dedupKey": v[3], "known": true,
            "message": {
                "msgType": v[4], "toUserName": v[5], "fromUserName": v[6], "createTime": v[7],
                "msgId": v[8], "known": true, "content": v[10],
                "raw": {
                    "ToUserName": v[5], "FromUserName": v[6], "CreateTime": v[9],
                    "MsgType": v[4], "Content": v[10], "MsgId": v[8],
                },
            },
        })
    }

    /// Member names in order, at every level (serde_json's map keeps them sorted otherwise).
    fn keys(json: &str) -> alloc::vec::Vec<String> {
        json.split('"')
            .collect::<alloc::vec::Vec<_>>()
            .windows(2)
            .filter(|w| w[1].starts_with(':'))
            .map(|w| w[0].into())
            .collect()
    }

    const TEXT: &str = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName>\
        <FromUserName><![CDATA[o\"x]]></FromUserName><CreateTime> 1700000000</CreateTime>\
        <MsgType><![CDATA[text]]></MsgType><Content><![CDATA[客服 \\ \"hi\"\n]]></Content>\
        <MsgId>6054768590064713728</MsgId></xml>";

    #[test]
    fn the_compact_form_expands_to_the_full_json() {
        let numbers = r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"text","Content":"x","MsgId":2}"#;
        let strings = r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":"1","MsgType":"text","Content":"a\u0000b\"\\","MsgId":"2"}"#;
        for (body, format) in [
            (TEXT, Format::Xml),
            (numbers, Format::Json),
            (strings, Format::Json),
        ] {
            let push = push(body, format);
            let mut out = String::new();
            let compact = push.write_compact_text(&mut out);
            if body == numbers {
                // CreateTime and MsgId are numbers: written in full.
                assert!(!compact && out.is_empty());
                continue;
            }
            assert!(compact, "{body}");
            let full = push.to_json();
            assert_eq!(
                expand(&out),
                serde_json::from_str::<serde_json::Value>(&full).unwrap()
            );
        }
    }

    /// The order of the members in the full JSON, which the JavaScript literal follows
    /// (checked there against this same list, in js-tests/node/receiver-compact.test.mjs).
    #[test]
    fn the_full_json_has_the_literal_member_order() {
        let body = TEXT.replace(['"', '\\'], "");
        let full = push(&body, Format::Xml).to_json();
        assert_eq!(
            keys(&full),
            [
                "mode",
                "format",
                "dedupKey",
                "known",
                "message",
                "msgType",
                "toUserName",
                "fromUserName",
                "createTime",
                "msgId",
                "known",
                "content",
                "raw",
                "ToUserName",
                "FromUserName",
                "CreateTime",
                "MsgType",
                "Content",
                "MsgId"
            ],
            "{full}"
        );
    }

    #[test]
    fn other_pushes_are_written_in_full() {
        for body in [
            // Another type, an extra field, another order, a missing MsgId, a trimmed MsgId,
            // a repeated field, a field with children.
            TEXT.replace("[text]", "[image]"),
            TEXT.replace("</xml>", "<Extra>1</Extra></xml>"),
            TEXT.replace("<CreateTime> 1700000000</CreateTime>", "")
                .replace("</MsgId>", "</MsgId><CreateTime>1</CreateTime>"),
            TEXT.replace("<MsgId>6054768590064713728</MsgId>", "<Other>1</Other>"),
            TEXT.replace("<MsgId>6054768590064713728", "<MsgId> 6054768590064713728"),
            TEXT.replace("<MsgId>6054768590064713728</MsgId>", "<Content>2</Content>"),
            TEXT.replace("<![CDATA[gh_1]]>", "<A>1</A>"),
            TEXT.replace("</MsgId>", "</MsgId><BusinessId>5</BusinessId>"),
        ] {
            let message = parse(&body, Format::Xml, 32);
            let Ok(message) = message else { continue };
            let push = Push {
                mode: Mode::Safe,
                format: Format::Xml,
                dedup_key: dedup_key(&message),
                message,
            };
            let mut out = String::new();
            assert!(!push.write_compact_text(&mut out), "{body}");
            assert!(out.is_empty());
        }
    }
}
