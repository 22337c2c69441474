//! Any string handed to decrypt: an error or a message, never a panic. Also feeds the bytes
//! through base64 so the fuzzer reaches the AES, unpadding and length checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_kf::WxBizMsgCrypt;

fuzz_target!(|data: &[u8]| {
    let crypt = WxBizMsgCrypt::new("token", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxfuzz")
        .expect("valid key");
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = crypt.decrypt(text);
    }
    // Raw bytes as ciphertext: base64-encode them first so decryption itself is exercised.
    let encoded = base64_standard(data);
    let _ = crypt.decrypt(&encoded);
    // Round trip: whatever text we encrypt comes back.
    if let Ok(text) = core::str::from_utf8(data) {
        let encrypted = crypt.encrypt(text, &[7; 16]).expect("encrypt");
        assert_eq!(crypt.decrypt(&encrypted).expect("decrypt").plaintext, text);
    }
});

fn base64_standard(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
