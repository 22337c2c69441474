//! Any text handed to the XML field reader: fields or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = wechat_kf::xml::read_fields(text);
    }
});
