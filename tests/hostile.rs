//! Hostile inputs, each with its official code; the same instance must keep working after
//! every one, and no message may contain the token or the EncodingAESKey.

use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use wechat_kf::crypto::{AesKey, UrlVerification};
use wechat_kf::{ErrorKind, WxBizMsgCrypt};

const TOKEN: &str = "hostile-token-secret";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";

/// Encrypts raw bytes (already padded by the caller) with the test key: for crafting bodies
/// that the library's own encryptor would never produce.
fn encrypt_raw(mut plain: Vec<u8>) -> String {
    let key = AesKey::parse(KEY).unwrap();
    let (blocks, rest) = aes::Block::slice_as_chunks_mut(&mut plain);
    assert!(
        rest.is_empty(),
        "crafted plaintext must be a multiple of 16"
    );
    cbc::Encryptor::<aes::Aes256>::new(key.bytes().into(), &key.iv().into()).encrypt_blocks(blocks);
    STANDARD.encode(plain)
}

fn block(msg: &[u8], msg_len_field: u32, app_id: &[u8], pad_override: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = vec![7u8; 16];
    out.extend_from_slice(&msg_len_field.to_be_bytes());
    out.extend_from_slice(msg);
    out.extend_from_slice(app_id);
    match pad_override {
        Some(pad) => out.extend_from_slice(&pad),
        None => {
            let pad = 32 - out.len() % 32;
            out.resize(out.len() + pad, pad as u8);
        }
    }
    out
}

fn padded_to_32_with(msg: &[u8], last: Vec<u8>) -> Vec<u8> {
    // header + msg + appid, then filler so that with `last` appended the total is 32-aligned
    let mut body = block(msg, msg.len() as u32, APP_ID.as_bytes(), Some(vec![]));
    let total = body.len() + last.len();
    let fill = (32 - total % 32) % 32;
    body.extend(std::iter::repeat_n(b'x', fill));
    body.extend(last);
    body
}

fn decrypt_case(name: &str, encrypt: &str, want: ErrorKind, crypt: &WxBizMsgCrypt) {
    let err = crypt.decrypt(encrypt).expect_err(name);
    assert_eq!(err.kind(), want, "{name}: {err}");
    assert_no_secret(name, err.message());
    assert_still_works(crypt);
}

fn assert_no_secret(name: &str, message: &str) {
    assert!(!message.contains(TOKEN), "{name}: message leaks the token");
    assert!(!message.contains(KEY), "{name}: message leaks the key");
    assert!(
        !message.contains(&KEY[..20]),
        "{name}: message leaks part of the key"
    );
}

fn assert_still_works(crypt: &WxBizMsgCrypt) {
    let encrypted = crypt.encrypt("still alive", &[3; 16]).unwrap();
    assert_eq!(crypt.decrypt(&encrypted).unwrap().plaintext, "still alive");
}

#[test]
fn hostile_ciphertexts() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let good = block(b"hello", 5, APP_ID.as_bytes(), None);
    let cases: Vec<(&str, String, ErrorKind)> = vec![
        (
            "not base64",
            "@@@@not*base64".into(),
            ErrorKind::DecodeBase64,
        ),
        (
            "base64 with space for plus",
            encrypt_raw(good.clone()).replace(['+', '/'], " "),
            ErrorKind::DecodeBase64,
        ),
        ("empty string", String::new(), ErrorKind::DecryptAes),
        (
            "one block short of 16",
            STANDARD.encode([1u8; 15]),
            ErrorKind::DecryptAes,
        ),
        (
            "not a multiple of 16",
            STANDARD.encode([1u8; 40]),
            ErrorKind::DecryptAes,
        ),
        (
            "pad byte 0",
            encrypt_raw(padded_to_32_with(b"hi", vec![0])),
            ErrorKind::DecryptAes,
        ),
        (
            "pad byte 33",
            encrypt_raw(padded_to_32_with(b"hi", vec![33; 33])),
            ErrorKind::DecryptAes,
        ),
        (
            "pad byte 255",
            encrypt_raw(padded_to_32_with(b"hi", vec![255])),
            ErrorKind::DecryptAes,
        ),
        (
            "inconsistent pad bytes",
            encrypt_raw(padded_to_32_with(b"hi", vec![5, 5, 4, 5, 5])),
            ErrorKind::DecryptAes,
        ),
        (
            "shorter than header",
            encrypt_raw(vec![16u8; 32]),
            ErrorKind::IllegalBuffer,
        ),
        (
            "length field beyond buffer",
            encrypt_raw(block(b"hello", 500, APP_ID.as_bytes(), None)),
            ErrorKind::IllegalBuffer,
        ),
        (
            "length field u32::MAX",
            encrypt_raw(block(b"hello", u32::MAX, APP_ID.as_bytes(), None)),
            ErrorKind::IllegalBuffer,
        ),
        (
            "invalid UTF-8 message",
            encrypt_raw(block(&[0xff, 0xfe, 0x41], 3, APP_ID.as_bytes(), None)),
            ErrorKind::IllegalBuffer,
        ),
        (
            "invalid UTF-8 appid",
            encrypt_raw(block(b"ok", 2, &[0xc3, 0x28], None)),
            ErrorKind::IllegalBuffer,
        ),
        (
            "wrong appId",
            encrypt_raw(block(b"hello", 5, b"wx_someone_else", None)),
            ErrorKind::ValidateAppId,
        ),
        (
            "empty appId inside",
            encrypt_raw(block(b"hello", 5, b"", None)),
            ErrorKind::ValidateAppId,
        ),
        ("wrong key", wrong_key_ciphertext(), ErrorKind::DecryptAes),
    ];
    // the crafted good block really decrypts, so the cases differ only in what they alter
    assert_eq!(
        crypt.decrypt(&encrypt_raw(good)).unwrap().plaintext,
        "hello"
    );
    for (name, encrypt, want) in &cases {
        decrypt_case(name, encrypt, *want, &crypt);
    }
}

fn wrong_key_ciphertext() -> String {
    // Encrypted under another key: after decryption the pad bytes are noise. Pick a message
    // whose result under our key has an invalid pad (fixed random, so deterministic).
    let other =
        WxBizMsgCrypt::new(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", APP_ID).unwrap();
    for i in 0..=255u8 {
        let c = other.encrypt("hello", &[i; 16]).unwrap();
        let ours = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
        if ours.decrypt(&c).map_err(|e| e.kind()) == Err(ErrorKind::DecryptAes) {
            return c;
        }
    }
    unreachable!("no candidate with a bad pad among 256")
}

#[test]
fn hostile_keys() {
    let cases = [
        ("empty", ""),
        ("42 chars", &KEY[..42]),
        ("44 chars", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aRA"),
        (
            "with padding char",
            "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1a=",
        ),
        (
            "url-safe chars",
            "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1-_",
        ),
        ("space", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1a "),
        (
            "non-ascii 43 chars",
            "中WxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
        ),
    ];
    for (name, key) in cases {
        let err = WxBizMsgCrypt::new(TOKEN, key, APP_ID).expect_err(name);
        assert_eq!(err.code(), -40004, "{name}");
        if key.len() > 10 {
            assert!(
                !err.message().contains(key),
                "{name}: message leaks the key"
            );
        }
    }
}

#[test]
fn hostile_options() {
    // An empty token or appId is a bad option: -41006 InvalidOption naming it (not -40003
    // ComputeSignature or -40005 ValidateAppId, which are about a push).
    for (err, name) in [
        (WxBizMsgCrypt::new("", KEY, APP_ID).unwrap_err(), "token"),
        (WxBizMsgCrypt::new(TOKEN, KEY, "").unwrap_err(), "appId"),
        (WxBizMsgCrypt::without_key("").unwrap_err(), "token"),
    ] {
        assert_eq!(err.code(), -41006, "{err}");
        assert_eq!(err.kind_str(), "InvalidOption");
        assert_eq!(err.details().unwrap().field.as_deref(), Some(name));
        assert!(err.message().contains(name), "{err}");
    }
}

#[test]
fn hostile_envelopes_and_signatures() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let encrypt = crypt
        .encrypt("<xml><Content>x</Content></xml>", &[9; 16])
        .unwrap();
    let (ts, nonce) = ("1700000000", "12345");
    let sig = crypt.msg_signature(ts, nonce, &encrypt);
    let xml =
        format!("<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    let json = format!(r#"{{"ToUserName":"gh","Encrypt":"{encrypt}"}}"#);
    assert!(crypt.decrypt_message(&sig, ts, nonce, &xml).is_ok());
    assert!(crypt.decrypt_message(&sig, ts, nonce, &json).is_ok());
    let bad_sig = format!("{}0", &sig[..39]);
    let cases: Vec<(&str, &str, String, ErrorKind)> = vec![
        (
            "wrong signature",
            &bad_sig,
            xml.clone(),
            ErrorKind::ValidateSignature,
        ),
        (
            "empty signature",
            "",
            xml.clone(),
            ErrorKind::ValidateSignature,
        ),
        (
            "signature too long",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            json.clone(),
            ErrorKind::ValidateSignature,
        ),
        (
            "signature over another body",
            &sig,
            xml.replace(&encrypt[..8], "AAAAAAAA"),
            ErrorKind::ValidateSignature,
        ),
        ("empty body", &sig, String::new(), ErrorKind::ParseXml),
        ("whitespace body", &sig, "  \n".into(), ErrorKind::ParseXml),
        (
            "neither xml nor json",
            &sig,
            "Encrypt=abc".into(),
            ErrorKind::ParseXml,
        ),
        (
            "xml without Encrypt",
            &sig,
            "<xml><ToUserName>gh</ToUserName></xml>".into(),
            ErrorKind::ParseXml,
        ),
        (
            "xml with two Encrypt",
            &sig,
            format!("<xml><Encrypt>{encrypt}</Encrypt><Encrypt>x</Encrypt></xml>"),
            ErrorKind::ParseXml,
        ),
        (
            "truncated xml",
            &sig,
            xml[..xml.len() - 7].to_string(),
            ErrorKind::ParseXml,
        ),
        (
            "mismatched tags",
            &sig,
            format!("<xml><Encrypt>{encrypt}</Encrypted></xml>"),
            ErrorKind::ParseXml,
        ),
        (
            "xml with DTD",
            &sig,
            format!("<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><Encrypt>{encrypt}</Encrypt></xml>"),
            ErrorKind::ParseXml,
        ),
        (
            "xml with unknown entity",
            &sig,
            "<xml><Encrypt>&e;</Encrypt></xml>".into(),
            ErrorKind::ParseXml,
        ),
        (
            "two roots",
            &sig,
            format!("<xml><Encrypt>{encrypt}</Encrypt></xml><xml/>"),
            ErrorKind::ParseXml,
        ),
        (
            "json without Encrypt",
            &sig,
            r#"{"ToUserName":"gh"}"#.into(),
            ErrorKind::ParseJson,
        ),
        (
            "json Encrypt not a string",
            &sig,
            r#"{"Encrypt":12}"#.into(),
            ErrorKind::ParseJson,
        ),
        (
            "malformed json",
            &sig,
            r#"{"Encrypt":"abc""#.into(),
            ErrorKind::ParseJson,
        ),
        (
            "json duplicate Encrypt",
            &sig,
            format!(r#"{{"Encrypt":"{encrypt}","Encrypt":"x"}}"#),
            ErrorKind::ParseJson,
        ),
        (
            "deep json",
            &sig,
            format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000)),
            ErrorKind::ParseJson,
        ),
    ];
    for (name, signature, body, want) in &cases {
        let err = crypt
            .decrypt_message(signature, ts, nonce, body)
            .expect_err(name);
        assert_eq!(err.kind(), *want, "{name}: {err}");
        assert_no_secret(name, err.message());
        assert_still_works(&crypt);
    }
}

#[test]
fn url_verification() {
    let crypt = WxBizMsgCrypt::new(
        "AAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "wx134c8103faa5a59e",
    )
    .unwrap();
    // plain: the mini program docs' example
    let plain = UrlVerification {
        signature: Some("f464b24fc39322e44b38aa78f5edd27bd1441696"),
        timestamp: "1714036504",
        nonce: "1514711492",
        echostr: "4375120948345356249",
        ..Default::default()
    };
    assert_eq!(crypt.verify_url(&plain).unwrap(), "4375120948345356249");
    let upper = UrlVerification {
        signature: Some("F464B24FC39322E44B38AA78F5EDD27BD1441696"),
        ..plain
    };
    assert!(crypt.verify_url(&upper).is_ok());
    let wrong = UrlVerification {
        nonce: "1514711493",
        ..plain
    };
    assert_eq!(crypt.verify_url(&wrong).unwrap_err().code(), -40001);
    let none = UrlVerification {
        signature: None,
        ..plain
    };
    assert_eq!(crypt.verify_url(&none).unwrap_err().code(), -40001);
    // encrypted: echostr is a ciphertext signed with msg_signature
    let echostr = crypt.encrypt("echo-123", &[5; 16]).unwrap();
    let msg_signature = crypt.msg_signature("1", "2", &echostr);
    let enc = UrlVerification {
        msg_signature: Some(&msg_signature),
        timestamp: "1",
        nonce: "2",
        echostr: &echostr,
        ..Default::default()
    };
    assert_eq!(crypt.verify_url(&enc).unwrap(), "echo-123");
    let tampered = UrlVerification { nonce: "3", ..enc };
    assert_eq!(crypt.verify_url(&tampered).unwrap_err().code(), -40001);
    // plain: the echostr must look like one
    for bad in ["<b>x</b>", "a&b", "", "caf\u{e9}", "tab\there"] {
        let r = UrlVerification {
            echostr: bad,
            ..plain
        };
        assert_eq!(crypt.verify_url(&r).unwrap_err().code(), -41004, "{bad:?}");
    }
}

/// A captured push's `Encrypt` value, sent back as `echostr` with the push's own `msg_signature`
/// (a decryption oracle before): refused, and nothing of the plaintext in the error.
#[test]
fn url_verification_never_decrypts_a_captured_push() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    for secret in [
        "<xml><Content><![CDATA[my bank PIN is 4321]]></Content></xml>",
        "{\"Content\":\"my bank PIN is 4321\"}",
        &"1".repeat(513),
    ] {
        let encrypt = crypt.encrypt(secret, &[7; 16]).unwrap();
        let msg_signature = crypt.msg_signature("1714036504", "99", &encrypt);
        let replay = UrlVerification {
            msg_signature: Some(&msg_signature),
            timestamp: "1714036504",
            nonce: "99",
            echostr: &encrypt,
            ..Default::default()
        };
        let error = crypt.verify_url(&replay).unwrap_err();
        assert_eq!(error.code(), -41004);
        assert!(!error.message().contains("4321"), "{}", error.message());
    }
}

#[test]
fn debug_output_redacts_secrets() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let debug = format!("{crypt:?} {:?}", AesKey::parse(KEY).unwrap());
    assert!(!debug.contains(TOKEN) && !debug.contains("kWxPEV"));
}
