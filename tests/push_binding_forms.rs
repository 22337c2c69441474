//! The forms in which the binding hands a push to JavaScript (src/binding/receiver.rs), checked
//! natively: `Push::write_compact_text` (a text message as its values and its content),
//! `Push::write_json_spans` (the JSON with the long strings taken out, with or without `raw`)
//! and `Message::write_raw_json` beside it. The JS suite checks the objects the JS side builds
//! from them; these tests check that each form, put back together, is `Push::to_json`.

use serde_json::{json, Value};
use wechat_kf::crypto::Format;
use wechat_kf::message::Spans;
use wechat_kf::push::{Limits, Push, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/// `plaintext` received as the binding receives it: encrypted, signed, in an envelope of
/// `format`, through `Receiver::receive`.
fn receive(plaintext: &str, format: Format) -> Push {
    let crypt = WxBizMsgCrypt::new("token", KEY, "wxapp").unwrap();
    let receiver = Receiver::new(crypt.clone(), Limits::default());
    let encrypt = crypt.encrypt(plaintext, &[9; 16]).unwrap();
    let msg_signature = crypt.msg_signature("1700000000", "n", &encrypt);
    let body = match format {
        Format::Xml => format!(
            "<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        ),
        Format::Json => format!("{{\"ToUserName\":\"gh\",\"Encrypt\":\"{encrypt}\"}}"),
    };
    let query = PushQuery {
        timestamp: Some("1700000000"),
        nonce: Some("n"),
        encrypt_type: Some("aes"),
        msg_signature: Some(&msg_signature),
        ..Default::default()
    };
    receiver
        .receive(&query, body.as_bytes(), None, 1_700_000_000)
        .unwrap_or_else(|e| panic!("{e}: {plaintext}"))
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The object the JS side builds from the compact form (inbound/push-json.js `textPush`).
fn expand_compact(compact: &str) -> Value {
    let (values, content) = compact.split_once('\0').expect("a NUL after the values");
    let v = parse(values);
    assert_eq!(v[0], 0, "{compact}");
    assert_eq!(v.as_array().unwrap().len(), 10, "{compact}");
    json!({
        "mode": v[1], "format": v[2], "dedupKey": v[3], "known": true,
        "message": {
            "msgType": v[4], "toUserName": v[5], "fromUserName": v[6], "createTime": v[7],
            "msgId": v[8], "known": true, "content": content,
            "raw": {
                "ToUserName": v[5], "FromUserName": v[6], "CreateTime": v[9],
                "MsgType": v[4], "Content": content, "MsgId": v[8],
            },
        },
    })
}

fn text_xml(fields: &[(&str, &str)]) -> String {
    let inner: String = fields
        .iter()
        .map(|(name, value)| format!("<{name}><![CDATA[{value}]]></{name}>"))
        .collect();
    format!("<xml>{inner}</xml>")
}

const SIX: [(&str, &str); 6] = [
    ("ToUserName", "gh_1"),
    ("FromUserName", "o_user"),
    ("CreateTime", "1700000000"),
    ("MsgType", "text"),
    ("Content", "客服 \"hi\" \\ 😀"),
    ("MsgId", "6054768590064713728"),
];

#[test]
fn a_text_message_of_the_six_fields_in_order_is_compact_and_expands_to_the_json() {
    for format in [Format::Xml, Format::Json] {
        let body = match format {
            Format::Xml => text_xml(&SIX),
            Format::Json => {
                let members: Vec<String> = SIX
                    .iter()
                    .map(|(n, v)| format!("{}:{}", json!(n), json!(v)))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        };
        let push = receive(&body, format);
        let mut out = String::new();
        assert!(push.write_compact_text(&mut out), "{body}");
        assert_eq!(expand_compact(&out), parse(&push.to_json()), "{body}");
        // The content crosses as it is, after the NUL.
        assert!(out.ends_with("\0客服 \"hi\" \\ 😀"), "{out}");
    }
}

#[test]
fn the_six_fields_in_another_order_are_written_in_full() {
    // Each pair of fields swapped: the same names and values, another order. The JS side
    // builds the object in the platform's order, so these go in full (and a compact form
    // would put the values under the wrong names).
    for i in 0..SIX.len() {
        for j in i + 1..SIX.len() {
            let mut fields = SIX;
            fields.swap(i, j);
            let body = text_xml(&fields);
            let push = receive(&body, Format::Xml);
            let mut out = String::new();
            assert!(!push.write_compact_text(&mut out), "{body}");
            assert!(out.is_empty(), "{body}");
        }
    }
}

/// The JSON of `write_json_spans` with each taken string put back under its name.
fn put_back(out: &str, spans: &Spans<'_>) -> Value {
    let mut value = parse(out);
    let message = value["message"].as_object_mut().unwrap();
    for (name, text) in &spans.taken {
        assert!(text.len() >= spans.min_bytes, "{name}");
        assert_eq!(message[name.as_str()], json!(0), "{name} is written as 0");
        message.insert(name.clone(), Value::String((*text).into()));
    }
    value
}

#[test]
fn json_spans_put_back_give_the_whole_json_with_and_without_raw() {
    let long = "长".repeat(100);
    let bodies = [
        text_xml(&[
            ("ToUserName", "gh_1"),
            ("FromUserName", "o_user"),
            ("CreateTime", "1700000000"),
            ("MsgType", "text"),
            ("Content", &long),
            ("MsgId", "1"),
            ("Extra", &"e".repeat(400)),
        ]),
        format!(
            "{{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o_user\",\"CreateTime\":1700000000,\
             \"MsgType\":\"event\",\"Event\":\"user_enter_tempsession\",\"SessionFrom\":\"{long}\",\
             \"Nested\":{{\"A\":[1,\"{long}\"]}}}}"
        ),
    ];
    for (body, format) in bodies.iter().zip([Format::Xml, Format::Json]) {
        let push = receive(body, format);
        let whole = parse(&push.to_json());
        let mut without_raw = whole.clone();
        let raw = without_raw["message"]
            .as_object_mut()
            .unwrap()
            .remove("raw");
        // `raw` apart, as the binding hands it over for a large push.
        let mut raw_apart = String::new();
        push.message.write_raw_json(&mut raw_apart);
        assert_eq!(Some(parse(&raw_apart)), raw);
        for min_bytes in [0, 1, 100, 299, 300, 301, usize::MAX] {
            for with_raw in [true, false] {
                let mut spans = Spans {
                    min_bytes,
                    taken: Vec::new(),
                };
                let mut out = String::from("[");
                push.write_json_spans(&mut out, with_raw, &mut spans);
                let out = out.strip_prefix('[').expect("appended to what was there");
                assert!(out.starts_with("{\"mode\":\"safe\",\"format\":"), "{out}");
                let want = if with_raw { &whole } else { &without_raw };
                assert_eq!(&put_back(out, &spans), want, "{min_bytes} {with_raw}");
                let taken: Vec<&str> = spans.taken.iter().map(|(n, _)| n.as_str()).collect();
                // Only top-level strings of the message are taken, the long ones.
                match (format, min_bytes) {
                    (_, usize::MAX) => assert!(taken.is_empty()),
                    (Format::Xml, 301) => assert_eq!(taken, ["extra"]),
                    (Format::Xml, 100..=300) => assert_eq!(taken, ["content", "extra"]),
                    (Format::Json, 301) => assert!(taken.is_empty()),
                    (Format::Json, 100..=300) => assert_eq!(taken, ["sessionFrom"]),
                    _ => assert!(taken.len() >= 2, "{taken:?}"),
                }
            }
        }
    }
}
