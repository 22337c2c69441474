//! Every known-answer vector of vectors/wxbizmsgcrypt.json.

mod common;

use common::{random_of, s, vectors};
use wechat_kf::crypto::{hex_str, signature, AesKey, MessageCipher};
use wechat_kf::WxBizMsgCrypt;

#[test]
fn vector_file_matches_shared_copy() {
    // The repository keeps a copy so a clone works alone; it must equal the shared original.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/wxbizmsgcrypt.json");
    if let Ok(original) = std::fs::read_to_string(shared) {
        assert_eq!(original, include_str!("../vectors/wxbizmsgcrypt.json"));
    }
}

#[test]
fn crypt_vectors_decrypt() {
    let mut count = 0;
    for v in vectors().iter().filter(|v| v["kind"] == "crypt") {
        let key = AesKey::parse(s(v, "encodingAESKey")).unwrap();
        let cipher = MessageCipher::new(&key, s(v, "appId"));
        let out = cipher
            .decrypt(s(v, "encrypt"))
            .unwrap_or_else(|e| panic!("{}: {e}", v["id"]));
        assert_eq!(out.plaintext, s(v, "plaintext"), "{}", v["id"]);
        assert_eq!(out.receive_id, s(v, "appId"), "{}", v["id"]);
        count += 1;
    }
    assert_eq!(count, 9);
}

#[test]
fn crypt_vectors_reencrypt_exactly() {
    let mut count = 0;
    for v in vectors().iter().filter(|v| v["kind"] == "crypt") {
        let Some(random) = random_of(v) else { continue };
        let key = AesKey::parse(s(v, "encodingAESKey")).unwrap();
        let cipher = MessageCipher::new(&key, s(v, "appId"));
        let encrypted = cipher.encrypt(s(v, "plaintext"), &random).unwrap();
        assert_eq!(encrypted, s(v, "encrypt"), "{}", v["id"]);
        count += 1;
    }
    assert_eq!(count, 9, "every crypt vector gives its random bytes");
}

#[test]
fn crypt_vectors_padding_lengths() {
    for v in vectors().iter().filter(|v| v["kind"] == "crypt") {
        let plain = s(v, "plaintext").len() + s(v, "appId").len() + 20;
        let pad = 32 - plain % 32;
        assert_eq!(pad as u64, v["padding"].as_u64().unwrap(), "{}", v["id"]);
    }
}

#[test]
fn crypt_vectors_msg_signature() {
    let mut count = 0;
    for v in vectors()
        .iter()
        .filter(|v| v["kind"] == "crypt" && v["msgSignature"].is_string())
    {
        let crypt =
            WxBizMsgCrypt::new(s(v, "token"), s(v, "encodingAESKey"), s(v, "appId")).unwrap();
        let sig = crypt.msg_signature(s(v, "timestamp"), s(v, "nonce"), s(v, "encrypt"));
        assert_eq!(sig, s(v, "msgSignature"), "{}", v["id"]);
        crypt
            .verify_signature(
                s(v, "msgSignature"),
                s(v, "timestamp"),
                s(v, "nonce"),
                Some(s(v, "encrypt")),
            )
            .unwrap();
        count += 1;
    }
    assert_eq!(count, 7);
}

#[test]
fn signature_vectors() {
    let mut count = 0;
    for v in vectors().iter().filter(|v| v["kind"] == "signature") {
        let hex = signature(
            s(v, "token"),
            s(v, "timestamp"),
            s(v, "nonce"),
            v["encrypt"].as_str(),
        );
        assert_eq!(hex_str(&hex), s(v, "signature"), "{}", v["id"]);
        count += 1;
    }
    assert_eq!(count, 3);
}

#[test]
fn decrypt_message_from_vector_envelopes() {
    // Each vector with a msg_signature, wrapped as the platform would send it (XML and JSON).
    for v in vectors()
        .iter()
        .filter(|v| v["kind"] == "crypt" && v["msgSignature"].is_string())
    {
        let crypt =
            WxBizMsgCrypt::new(s(v, "token"), s(v, "encodingAESKey"), s(v, "appId")).unwrap();
        let xml = format!(
            "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt></xml>",
            s(v, "encrypt")
        );
        let json = format!(
            r#"{{"ToUserName":"gh_x","Encrypt":"{}"}}"#,
            s(v, "encrypt").replace('/', "\\/")
        );
        for body in [xml, json] {
            let plain = crypt
                .decrypt_message(
                    s(v, "msgSignature"),
                    s(v, "timestamp"),
                    s(v, "nonce"),
                    &body,
                )
                .unwrap_or_else(|e| panic!("{}: {e}", v["id"]));
            assert_eq!(plain, s(v, "plaintext"));
        }
    }
}
