//! Any body through the whole push pipeline, in each mode: an error or a typed message, never
//! a panic. Also pushes whose plaintext is the fuzz input, correctly signed and encrypted, so
//! the message parsers (XML and JSON) see arbitrary decrypted content, and the reply builder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_kf::crypto::Format;
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
        signature: Some(&wechat_kf::crypto::hex_str(&wechat_kf::crypto::signature("token", "1", "2", None)).to_string()),
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
                let _ = push.to_json();
                let _ = transfer_reply(&crypt, &push.reply_target(), "1", "2", &[3; 16]);
            }
        }
    }
});
