//! Round-trip properties over many random messages: encrypt then decrypt gives the message
//! back; the envelope written by encrypt_message is read back by decrypt_message.

mod common;

use common::Rng;
use wechat_kf::crypto::{Format, ReplyParams};
use wechat_kf::WxBizMsgCrypt;

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fn random_message(rng: &mut Rng, max_len: usize) -> String {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        " ",
        "\n",
        "\r\n",
        "\t",
        "<",
        ">",
        "&",
        "]]>",
        "\"",
        "'",
        "中",
        "文",
        "客服",
        "😀",
        "👩‍👩‍👧",
        "\u{0}",
        "\u{7f}",
        "\u{fffd}",
        "é",
        "\\",
        "/",
        "+",
        "=",
    ];
    let target = rng.below(max_len as u64 + 1) as usize;
    let mut out = String::new();
    while out.len() < target {
        out.push_str(PIECES[rng.below(PIECES.len() as u64) as usize]);
    }
    out
}

#[test]
fn encrypt_decrypt_round_trip() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let crypt = WxBizMsgCrypt::new("token", KEY, "wx1234567890abcdef").unwrap();
    let mut sizes = vec![0usize, 1, 11, 12, 13, 31, 32, 33, 1024, 64 * 1024];
    sizes.extend((0..300).map(|_| rng.below(2048) as usize));
    for max in sizes {
        let msg = random_message(&mut rng, max);
        let random = rng.bytes16();
        let encrypted = crypt.encrypt(&msg, &random).unwrap();
        let raw = base64_len(&encrypted);
        assert_eq!(raw % 32, 0, "ciphertext is padded to a multiple of 32");
        let out = crypt.decrypt(&encrypted).unwrap();
        assert_eq!(out.plaintext, msg);
        assert_eq!(out.receive_id, "wx1234567890abcdef");
    }
}

#[test]
fn envelope_round_trip_both_formats() {
    let mut rng = Rng(42);
    let crypt = WxBizMsgCrypt::new("tok", KEY, "wxappid").unwrap();
    for i in 0..200 {
        let msg = random_message(&mut rng, 600);
        let format = if i % 2 == 0 {
            Format::Xml
        } else {
            Format::Json
        };
        let timestamp = (1_700_000_000 + i).to_string();
        let nonce = rng.below(1_000_000_000).to_string();
        let random = rng.bytes16();
        let params = ReplyParams {
            timestamp: &timestamp,
            nonce: &nonce,
            random: &random,
            format,
        };
        let envelope = crypt.encrypt_message(&msg, &params).unwrap();
        let (encrypt, read_format) = wechat_kf::crypto::read_encrypt(&envelope).unwrap();
        assert_eq!(read_format, format);
        let signature = crypt.msg_signature(&timestamp, &nonce, &encrypt);
        assert!(envelope.contains(&signature));
        assert_eq!(
            crypt
                .decrypt_message(&signature, &timestamp, &nonce, &envelope)
                .unwrap(),
            msg
        );
    }
}

#[test]
fn random_bytes_change_the_ciphertext() {
    let crypt = WxBizMsgCrypt::new("t", KEY, "wx").unwrap();
    let a = crypt.encrypt("same", &[1; 16]).unwrap();
    let b = crypt.encrypt("same", &[2; 16]).unwrap();
    assert_ne!(a, b);
}

fn base64_len(s: &str) -> usize {
    let pad = s.bytes().rev().take_while(|&b| b == b'=').count();
    s.len() / 4 * 3 - pad
}
