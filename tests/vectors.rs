//! Every known-answer vector of vectors/wxbizmsgcrypt.json.

mod common;

use common::{random_of, s, vectors};
use wechat_kf::crypto::{hex_str, signature, AesKey, Format, MessageCipher};
use wechat_kf::message::Kind;
use wechat_kf::push::{Limits, Mode, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

/// The ids of the large vectors (their bodies take the host crypto path in Node, Deno and Bun).
const LARGE: [&str; 2] = ["large-16k-fixed-random", "large-64k-fixed-random"];

#[test]
fn vector_file_matches_shared_copy() {
    // The repository keeps a copy so a clone works alone; it must equal the shared original
    // (checked out beside the repository, in ../shared/vectors/). Either file missing is a
    // failure, never a silent pass.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: std::path::PathBuf| {
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let original = read(root.join("../shared/vectors/wxbizmsgcrypt.json"));
    let copy = read(root.join("vectors/wxbizmsgcrypt.json"));
    assert!(
        original == copy,
        "vectors/wxbizmsgcrypt.json differs from ../shared/vectors/wxbizmsgcrypt.json: copy the shared file"
    );
}

#[test]
fn large_vectors_are_present_and_large() {
    for id in LARGE {
        let v = vectors()
            .into_iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("vector {id} missing"));
        assert!(s(&v, "plaintext").len() >= 16_000, "{id}");
        assert!(random_of(&v).is_some(), "{id} gives its random bytes");
        assert!(v["msgSignature"].is_string(), "{id} has a msg_signature");
    }
}

#[test]
fn every_signed_vector_through_the_receiver() {
    // The whole push pipeline (limits, signature, decryption, parsing) on each vector wrapped
    // as the platform sends it in safe mode, XML and JSON.
    let mut large = 0;
    for v in vectors()
        .iter()
        .filter(|v| v["kind"] == "crypt" && v["msgSignature"].is_string())
    {
        let plain = s(v, "plaintext");
        if !plain.starts_with("<xml>") || !plain.contains("<MsgType>") {
            continue;
        }
        // easywechat-pad21's plaintext carries a made-up CreateTime years before its timestamp:
        // the signed-CreateTime window (tested in push_hostile.rs) would refuse it.
        let limits = Limits {
            max_skew_seconds: if v["id"] == "easywechat-pad21" {
                0
            } else {
                Limits::default().max_skew_seconds
            },
            ..Limits::default()
        };
        let receiver = Receiver::new(
            WxBizMsgCrypt::new(s(v, "token"), s(v, "encodingAESKey"), s(v, "appId")).unwrap(),
            limits,
        );
        let encrypt = s(v, "encrypt");
        let xml = format!(
            "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        );
        let json = format!(r#"{{"ToUserName":"gh_x","Encrypt":"{encrypt}"}}"#);
        let ts: u64 = s(v, "timestamp").parse().unwrap();
        for (body, format) in [(xml, Format::Xml), (json, Format::Json)] {
            let push = receiver
                .receive(
                    &PushQuery {
                        timestamp: Some(s(v, "timestamp")),
                        nonce: Some(s(v, "nonce")),
                        encrypt_type: Some("aes"),
                        msg_signature: Some(s(v, "msgSignature")),
                        ..PushQuery::default()
                    },
                    body.as_bytes(),
                    None,
                    ts,
                )
                .unwrap_or_else(|e| panic!("{}: {e}", v["id"]));
            assert_eq!(push.mode, Mode::Safe, "{}", v["id"]);
            assert_eq!(push.format, format, "{}", v["id"]);
            if LARGE.contains(&v["id"].as_str().unwrap()) {
                let content = plain
                    .split("<Content><![CDATA[")
                    .nth(1)
                    .and_then(|rest| rest.split("]]></Content>").next())
                    .unwrap();
                let msg_id = plain
                    .split("<MsgId>")
                    .nth(1)
                    .and_then(|rest| rest.split("</MsgId>").next())
                    .unwrap();
                let m = &push.message;
                assert_eq!(
                    m.kind,
                    Kind::Text {
                        content: content.into()
                    },
                    "{}",
                    v["id"]
                );
                assert_eq!(m.msg_id.as_deref(), Some(msg_id), "{}", v["id"]);
                assert_eq!(m.from_user_name, "oia2TjuEGTNoeX76QEjQNrcURxG8");
                assert_eq!(m.to_user_name, "gh_7f083739789a");
                assert_eq!(m.create_time, ts);
                large += 1;
            }
        }
    }
    assert_eq!(large, 4, "both large vectors, in XML and JSON");
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
    assert_eq!(count, 11);
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
    assert_eq!(count, 11, "every crypt vector gives its random bytes");
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
    assert_eq!(count, 9);
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
