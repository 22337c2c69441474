//! Any text handed to the XML reader and the push parser: a tree (or message) or an error,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = wechat_kf::xml::read_document(text);
        if let Ok(message) =
            wechat_kf::message::parse(text, wechat_kf::crypto::Format::Xml, 32)
        {
            let _ = message.to_json();
        }
    }
});
