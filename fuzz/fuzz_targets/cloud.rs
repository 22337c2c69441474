//! Any body through the Cloud Hosting receiver (both trust settings): an error, the probe or a
//! typed message, never a panic. And any text as a field of a built unsigned JSON push comes
//! back exactly (the builder and the parser agree).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_kf::crypto::Format;
use wechat_kf::message::Kind;
use wechat_kf::push::{cloud_push_body, receive_cloud, CloudLimits, CloudPush};

fuzz_target!(|data: &[u8]| {
    for public_access in [false, true] {
        let limits = CloudLimits {
            public_access,
            ..CloudLimits::default()
        };
        if let Ok(CloudPush::Push(push)) = receive_cloud(data, None, Some("wx"), &limits) {
            let _ = push.to_json();
        }
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let fields: Vec<(String, String)> = [
            ("ToUserName", "gh_1"),
            ("FromUserName", "o_1"),
            ("CreateTime", "1"),
            ("MsgType", "text"),
            ("Content", text),
            ("MsgId", "18446744073709551615"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let body = cloud_push_body(&fields, Format::Json).expect("valid names");
        match receive_cloud(body.as_bytes(), None, None, &CloudLimits { public_access: false, ..CloudLimits::default() }) {
            Ok(CloudPush::Push(push)) => assert_eq!(push.message.kind, Kind::Text { content: text.to_string() }),
            other => panic!("a built push did not parse back: {other:?}"),
        }
    }
});
