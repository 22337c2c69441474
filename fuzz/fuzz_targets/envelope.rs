//! Any body handed to the envelope reader and decrypt_message: an error or a value, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_kf::WxBizMsgCrypt;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = core::str::from_utf8(data) {
        let _ = wechat_kf::crypto::read_encrypt(body);
        let crypt = WxBizMsgCrypt::new("token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxfuzz")
            .expect("valid key");
        let _ = crypt.decrypt_message("0000000000000000000000000000000000000000", "1", "2", body);
    }
});
