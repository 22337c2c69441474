//! Edges that scripts/mutants.sh showed untested (each test kills surviving mutants): a pad of
//! exactly one block (32) and one past it, pad bytes whose differences could cancel, the
//! smallest frame, what the errors say, the JSON reply's timestamp, empty query parameters,
//! where the JSON depth limit applies, and the accessors.

use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha1::Digest;
use wechat_kf::crypto::{
    hex_str, signature, sorted_sha1_hex, AesKey, MessageCipher, ReplyEnvelope,
};
use wechat_kf::push::{Limits, Mode, PushQuery, Receiver};
use wechat_kf::{ErrorKind, WxBizMsgCrypt};

const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";

/// Encrypts a crafted plaintext (a multiple of 16 bytes) under KEY.
fn encrypt_raw(mut plain: Vec<u8>) -> String {
    let key = AesKey::parse(KEY).unwrap();
    let (blocks, rest) = aes::Block::slice_as_chunks_mut(&mut plain);
    assert!(rest.is_empty(), "a multiple of 16");
    cbc::Encryptor::<aes::Aes256>::new(key.bytes().into(), &key.iv().into()).encrypt_blocks(blocks);
    STANDARD.encode(plain)
}

/// random(16) ‖ len(4) ‖ msg ‖ app_id, then `pad` as given.
fn frame(msg: &[u8], app_id: &[u8], pad: &[u8]) -> Vec<u8> {
    let mut out = vec![7u8; 16];
    out.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    out.extend_from_slice(msg);
    out.extend_from_slice(app_id);
    out.extend_from_slice(pad);
    out
}

fn crypt() -> WxBizMsgCrypt {
    WxBizMsgCrypt::new("edge-token", KEY, APP_ID).unwrap()
}

#[test]
fn a_pad_of_exactly_one_block_is_accepted_and_33_is_refused() {
    // 16 + 4 + 26 + 18 = 64, a multiple of 32: the pad is a whole block of 32 bytes.
    let msg = b"abcdefghijklmnopqrstuvwxyz";
    let body = frame(msg, APP_ID.as_bytes(), &[]);
    assert_eq!(body.len() % 32, 0);
    let mut good = body.clone();
    good.extend_from_slice(&[32u8; 32]);
    let out = crypt().decrypt(&encrypt_raw(good)).unwrap();
    assert_eq!(out.plaintext, "abcdefghijklmnopqrstuvwxyz");
    // The package's own encryption of such a message pads by 32 and round-trips.
    let enc = crypt()
        .encrypt("abcdefghijklmnopqrstuvwxyz", &[1; 16])
        .unwrap();
    assert_eq!(STANDARD.decode(&enc).unwrap().len(), 96);
    assert_eq!(
        crypt().decrypt(&enc).unwrap().plaintext,
        "abcdefghijklmnopqrstuvwxyz"
    );

    // 33 bytes of 33 (body of 63 bytes + 33 = 96) is not a PKCS#7 pad of a 32-byte block.
    let mut bad = frame(b"abcdefghijklmnopqrstuvwxy", APP_ID.as_bytes(), &[]);
    assert_eq!(bad.len(), 63);
    bad.extend_from_slice(&[33u8; 33]);
    let err = crypt().decrypt(&encrypt_raw(bad)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DecryptAes);
    assert_eq!(err.code(), -40007);
}

#[test]
fn pad_bytes_that_differ_in_pairs_are_refused() {
    // 20 + 22 + 18 + 4 = 64. Pad 4 whose other bytes are 5, 5, 4: their differences from 4
    // cancel out under XOR, so only an OR of the differences refuses them.
    let msg = b"0123456789abcdefghijkl";
    let bad = frame(msg, APP_ID.as_bytes(), &[5, 5, 4, 4]);
    assert_eq!(bad.len(), 64);
    let err = crypt().decrypt(&encrypt_raw(bad)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DecryptAes);
    let good = frame(msg, APP_ID.as_bytes(), &[4, 4, 4, 4]);
    assert_eq!(
        crypt().decrypt(&encrypt_raw(good)).unwrap().plaintext,
        "0123456789abcdefghijkl"
    );
}

#[test]
fn the_smallest_frame_is_read_and_its_empty_app_id_refused() {
    // random ‖ len = 0, no message, no appId: exactly the 20-byte header, padded by 12.
    let mut plain = frame(b"", b"", &[]);
    assert_eq!(plain.len(), 20);
    plain.extend_from_slice(&[12u8; 12]);
    let encrypt = encrypt_raw(plain);
    let err = crypt().decrypt(&encrypt).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ValidateAppId, "{err}");
    // A cipher for the empty receive id reads it: an empty message.
    let cipher = MessageCipher::new(&AesKey::parse(KEY).unwrap(), "");
    let out = cipher.decrypt(&encrypt).unwrap();
    assert_eq!(out.plaintext, "");
    assert_eq!(out.receive_id, "");
}

#[test]
fn a_wrong_app_id_error_names_the_one_received() {
    let other = WxBizMsgCrypt::new("edge-token", KEY, "wx_someone_else").unwrap();
    let err = crypt()
        .decrypt(&other.encrypt("hi", &[3; 16]).unwrap())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ValidateAppId);
    assert!(
        err.message().contains("wx_someone_else"),
        "{}",
        err.message()
    );
    assert!(err.message().contains(APP_ID), "{}", err.message());
}

#[test]
fn cipher_and_key_accessors() {
    let key = AesKey::parse(KEY).unwrap();
    assert_eq!(MessageCipher::new(&key, APP_ID).receive_id(), APP_ID);
    assert_eq!(format!("{key:?}"), "AesKey(<redacted>)");
}

#[test]
fn keys_with_plus_and_slash_are_valid_and_other_symbols_are_named() {
    // '+' and '/' are base64 characters: a key made of them parses.
    let key = "+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/A";
    assert!(AesKey::parse(key).is_ok());
    let err = AesKey::parse("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1a-").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IllegalAesKey);
    assert!(
        err.message().contains("may hold only") && err.message().contains("character 43"),
        "{}",
        err.message()
    );
}

#[test]
fn json_reply_timestamp_is_a_number_only_when_it_reads_back_the_same() {
    let env = |timestamp| ReplyEnvelope {
        encrypt: "E",
        msg_signature: "S",
        timestamp,
        nonce: "N",
    };
    let json = |timestamp| -> serde_json::Value {
        serde_json::from_str(&env(timestamp).to_json().unwrap()).unwrap()
    };
    assert_eq!(
        json("1700000000")["TimeStamp"],
        serde_json::json!(1_700_000_000u64)
    );
    // A leading zero or a sign would be lost as a number: kept as the string received.
    assert_eq!(
        json("01700000000")["TimeStamp"],
        serde_json::json!("01700000000")
    );
    assert_eq!(
        json("+1700000000")["TimeStamp"],
        serde_json::json!("+1700000000")
    );
    assert_eq!(json("abc")["TimeStamp"], serde_json::json!("abc"));
}

#[test]
fn wx_biz_msg_crypt_accessors_and_debug() {
    let c = crypt();
    assert_eq!(c.app_id(), APP_ID);
    assert_eq!(
        format!("{c:?}"),
        format!("WxBizMsgCrypt {{ token: \"<redacted>\", app_id: \"{APP_ID}\" }}")
    );
}

#[test]
fn sorted_sha1_hex_sorts_then_hashes() {
    // sha1("ab")
    assert_eq!(
        hex_str(&sorted_sha1_hex(&mut ["b", "a"])),
        "da23614e02469a0d7c7bd1bdab5c9c474b1904dc"
    );
    assert_eq!(
        sorted_sha1_hex(&mut ["tok", "1700000000", "42"]),
        signature("tok", "1700000000", "42", None)
    );
}

#[test]
fn every_order_of_four_parts_gives_the_digest_of_the_sorted_concatenation() {
    // Parts sharing prefixes and of unequal lengths, so that the bytewise order matters.
    let parts = ["b", "ab", "a", "abc"];
    let expected = sorted_sha1_hex(&mut ["a", "ab", "abc", "b"]);
    let digest: [u8; 20] = sha1::Sha1::digest(b"aababcb").into();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex_str(&expected), hex);
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    if [a, b, c, d]
                        .iter()
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                        == 4
                    {
                        let mut order = [parts[a], parts[b], parts[c], parts[d]];
                        assert_eq!(sorted_sha1_hex(&mut order), expected, "{a}{b}{c}{d}");
                        assert_eq!(order, ["a", "ab", "abc", "b"]);
                    }
                }
            }
        }
    }
}

// ---- the push pipeline ----------------------------------------------------------------------

const NOW: u64 = 1_700_000_000;

fn receiver(limits: Limits) -> Receiver {
    Receiver::new(crypt(), limits)
}

fn plain_query<'a>(sig: &'a str, ts: &'a str, nonce: &'a str) -> PushQuery<'a> {
    PushQuery {
        signature: Some(sig),
        timestamp: Some(ts),
        nonce: Some(nonce),
        ..PushQuery::default()
    }
}

#[test]
fn mode_names_and_limits_accessor() {
    assert_eq!(Mode::Plaintext.as_str(), "plaintext");
    assert_eq!(Mode::Compatible.as_str(), "compatible");
    assert_eq!(Mode::Safe.as_str(), "safe");
    let limits = Limits {
        max_body_bytes: 1234,
        max_json_depth: 7,
        max_skew_seconds: 9,
        allow_plaintext: false,
    };
    let r = receiver(limits);
    assert_eq!(r.limits().max_body_bytes, 1234);
    assert_eq!(r.limits().max_json_depth, 7);
    assert_eq!(r.limits().max_skew_seconds, 9);
    assert!(!r.limits().allow_plaintext);
}

#[test]
fn an_empty_nonce_or_timestamp_is_an_invalid_query_even_when_signed() {
    let r = receiver(Limits {
        allow_plaintext: true,
        ..Limits::default()
    });
    let body = "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[x]]></Content></xml>";
    let ts = NOW.to_string();
    let sig = hex_str(&signature("edge-token", &ts, "", None)).to_string();
    let err = r
        .receive(&plain_query(&sig, &ts, ""), body.as_bytes(), None, NOW)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidQuery, "{err}");
    assert_eq!(err.code(), -41004);
    let sig = hex_str(&signature("edge-token", "", "1", None)).to_string();
    let err = r
        .receive(&plain_query(&sig, "", "1"), body.as_bytes(), None, NOW)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidQuery, "{err}");
}

#[test]
fn the_json_depth_limit_applies_to_json_bodies_only() {
    // XML with CDATA has brackets ("<![CDATA[") that a JSON depth scan would count.
    let limits = Limits {
        max_json_depth: 1,
        allow_plaintext: true,
        ..Limits::default()
    };
    let r = receiver(limits);
    let body = "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[[[x]]]]></Content></xml>";
    let ts = NOW.to_string();
    let sig = hex_str(&signature("edge-token", &ts, "1", None)).to_string();
    let push = r
        .receive(&plain_query(&sig, &ts, "1"), body.as_bytes(), None, NOW)
        .unwrap();
    assert_eq!(push.mode, Mode::Plaintext);
    // An encrypted JSON envelope nested too deep is refused as such before anything else.
    let r = receiver(Limits::default());
    let deep = format!(
        r#"{{"ToUserName":"gh","X":{}1{},"Encrypt":"abc"}}"#,
        "[".repeat(40),
        "]".repeat(40)
    );
    let query = PushQuery {
        timestamp: Some(&ts),
        nonce: Some("1"),
        encrypt_type: Some("aes"),
        msg_signature: Some("0000000000000000000000000000000000000000"),
        ..PushQuery::default()
    };
    let err = r.receive(&query, deep.as_bytes(), None, NOW).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::JsonTooDeep, "{err}");
}

#[test]
fn transfer_reply_create_time_digits_exactly() {
    use wechat_kf::crypto::Format;
    use wechat_kf::push::{transfer_reply, ReplyTarget};
    let target = |format| ReplyTarget {
        to_user_name: "o_user",
        from_user_name: "gh_x",
        format,
        encrypted: false,
        is_event: false,
    };
    let json = |ts: &str| -> serde_json::Value {
        serde_json::from_str(
            &transfer_reply(&crypt(), &target(Format::Json), ts, "1", &[0; 16]).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(
        json("1700000000")["CreateTime"],
        serde_json::json!(1_700_000_000u64)
    );
    assert_eq!(json("0012")["CreateTime"], serde_json::json!(12));
    assert_eq!(json("0")["CreateTime"], serde_json::json!(0));
    assert_eq!(json("000")["CreateTime"], serde_json::json!(0));
    for bad in ["", "12a", "-1"] {
        let err = transfer_reply(&crypt(), &target(Format::Xml), bad, "1", &[0; 16]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::GenReturnXml, "{bad:?}");
    }
}

#[test]
fn a_pad_longer_than_the_data_or_all_of_it() {
    // One 16-byte block ending in 32: the pad claims more bytes than there are.
    let mut short = vec![1u8; 15];
    short.push(32);
    let err = crypt().decrypt(&encrypt_raw(short)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DecryptAes, "{err}");
    // 32 bytes of 32: a valid pad that leaves nothing, not even the 20-byte header.
    let err = crypt().decrypt(&encrypt_raw(vec![32u8; 32])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IllegalBuffer, "{err}");
}
