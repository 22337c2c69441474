//! Any body through the whole push pipeline, in each mode: an error or a typed message, never
//! a panic. Also pushes whose plaintext is the fuzz input, correctly signed and encrypted, so
//! the message parsers (XML and JSON) see arbitrary decrypted content, and the reply builder.
//! For every push parsed, the JSON with its long strings taken apart (what the JS receiver
//! gets) must be the whole JSON once they are put back, at every threshold; and the compact
//! form of a text push, when there is one, must expand (as inbound/push-json.js textPush does)
//! to the whole JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_kf::crypto::Format;
use wechat_kf::message::Spans;
use wechat_kf::push::{transfer_reply, Limits, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fuzz_target!(|data: &[u8]| {
    let crypt = WxBizMsgCrypt::new("token", KEY, "wxfuzz").expect("valid key");
    let receiver = Receiver::new(
        crypt.clone(),
        // Plaintext pushes too, so that the fuzzer reaches the plaintext parser.
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    );
    let plain = PushQuery {
        signature: Some(
            &wechat_kf::crypto::hex_str(&wechat_kf::crypto::signature("token", "1", "2", None))
                .to_string(),
        ),
        timestamp: Some("1"),
        nonce: Some("2"),
        ..Default::default()
    };
    let _ = receiver.receive(&plain, data, None, 1);
    if let Ok(text) = core::str::from_utf8(data) {
        let encrypt = crypt.encrypt(text, &[1; 16]).expect("encrypt");
        let msg_signature = crypt.msg_signature("1", "2", &encrypt);
        for format in [Format::Xml, Format::Json] {
            let body = match format {
                Format::Xml => format!("<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"),
                Format::Json => format!("{{\"Encrypt\":\"{encrypt}\"}}"),
            };
            let query = PushQuery {
                encrypt_type: Some("aes"),
                msg_signature: Some(&msg_signature),
                ..plain
            };
            if let Ok(push) = receiver.receive(&query, body.as_bytes(), None, 1) {
                spans_put_back_give_the_whole_json(&push);
                compact_text_expands_to_the_whole_json(&push);
                let _ = transfer_reply(&crypt, &push.reply_target(), "1", "2", &[3; 16]);
            }
        }
    }
});

/// `write_json_spans` with the taken strings put back in their members equals `to_json`.
fn spans_put_back_give_the_whole_json(push: &wechat_kf::push::Push) {
    let whole: serde_json::Value = serde_json::from_str(&push.to_json()).expect("push JSON");
    for min_bytes in [0, 1, 16, 1024] {
        let mut spans = Spans {
            min_bytes,
            taken: Vec::new(),
        };
        let mut out = String::new();
        push.write_json_spans(&mut out, true, &mut spans);
        let mut parts: serde_json::Value = serde_json::from_str(&out).expect("spans JSON");
        let message = parts["message"].as_object_mut().expect("message object");
        for (name, text) in &spans.taken {
            assert!(
                text.len() >= min_bytes,
                "{name} is shorter than {min_bytes}"
            );
            assert_eq!(message[name.as_str()], serde_json::json!(0), "{name}");
            message.insert(name.clone(), serde_json::Value::String((*text).into()));
        }
        assert_eq!(parts, whole, "min_bytes {min_bytes}");
    }
}

/// `write_compact_text`'s values and content, put in the object the JS side builds, equal
/// `to_json` (member order is checked by the unit tests and js-tests).
fn compact_text_expands_to_the_whole_json(push: &wechat_kf::push::Push) {
    let mut out = String::new();
    if !push.write_compact_text(&mut out) {
        assert!(out.is_empty());
        return;
    }
    let (values, content) = out.split_once('\0').expect("a NUL after the values");
    let v: serde_json::Value = serde_json::from_str(values).expect("compact values");
    let built = serde_json::json!({
        "mode": v[1], "format": v[2], "dedupKey": v[3], "known": true,
        "message": {
            "msgType": v[4], "toUserName": v[5], "fromUserName": v[6], "createTime": v[7],
            "msgId": v[8], "known": true, "content": content,
            "raw": {
                "ToUserName": v[5], "FromUserName": v[6], "CreateTime": v[9],
                "MsgType": v[4], "Content": content, "MsgId": v[8],
            },
        },
    });
    let whole: serde_json::Value = serde_json::from_str(&push.to_json()).expect("push JSON");
    assert_eq!(built, whole);
}
