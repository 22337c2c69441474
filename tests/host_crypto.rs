//! The host-crypto capability: large inputs go to the host, small ones stay in the core, a
//! failing host falls back, and the results are identical either way (vectors included).

mod common;

use std::cell::Cell;
use std::rc::Rc;

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use common::{random_of, s, vectors, Rng};
use sha1::{Digest, Sha1};
use wechat_kf::crypto::HostCrypto;
use wechat_kf::WxBizMsgCrypt;

/// A stand-in host: computes with the same RustCrypto crates, counts calls, can refuse; its
/// thresholds are 1024 bytes for both by default.
struct CountingHost {
    aes_calls: Cell<usize>,
    sha_calls: Cell<usize>,
    refuse: bool,
    min_len: usize,
    min_sha1_len: usize,
}

impl Default for CountingHost {
    fn default() -> Self {
        Self::with_thresholds(1024, 1024)
    }
}

impl CountingHost {
    fn with_thresholds(min_len: usize, min_sha1_len: usize) -> Self {
        CountingHost {
            aes_calls: Cell::new(0),
            sha_calls: Cell::new(0),
            refuse: false,
            min_len,
            min_sha1_len,
        }
    }
}

// SAFETY: no `utf8_valid` of its own (the default answers None).
unsafe impl HostCrypto for CountingHost {
    fn aes256_cbc_decrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.aes_calls.set(self.aes_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into()).decrypt_blocks(blocks);
        true
    }
    fn aes256_cbc_encrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.aes_calls.set(self.aes_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into()).encrypt_blocks(blocks);
        true
    }
    fn sha1(&self, parts: &[&[u8]], out: &mut [u8; 20]) -> bool {
        self.sha_calls.set(self.sha_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let mut h = Sha1::new();
        for p in parts {
            h.update(p);
        }
        out.copy_from_slice(&h.finalize());
        true
    }
    fn min_len(&self) -> usize {
        self.min_len
    }
    fn min_sha1_len(&self) -> usize {
        self.min_sha1_len
    }
}

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

#[test]
fn large_inputs_use_the_host_small_ones_do_not() {
    let host = Rc::new(CountingHost::default());
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let small = crypt.encrypt("hi", &[1; 16]).unwrap();
    crypt.decrypt(&small).unwrap();
    crypt.msg_signature("1", "2", &small);
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (0, 0));
    let big_text = "客".repeat(2000);
    let big = crypt.encrypt(&big_text, &[1; 16]).unwrap();
    assert_eq!(crypt.decrypt(&big).unwrap().plaintext, big_text);
    let sig = crypt.msg_signature("1", "2", &big);
    crypt.verify_signature(&sig, "1", "2", Some(&big)).unwrap();
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (2, 2));
}

#[test]
fn host_and_core_agree_and_refusal_falls_back() {
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let hosted = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(Rc::new(CountingHost::default()));
    let refusing = Rc::new(CountingHost {
        refuse: true,
        ..Default::default()
    });
    let fallback = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(refusing.clone());
    let mut rng = Rng(7);
    for len in [0usize, 1000, 1024, 1100, 5000, 70_000] {
        let text: String = (0..len)
            .map(|_| char::from(b'a' + (rng.below(26) as u8)))
            .collect();
        let random = rng.bytes16();
        let a = plain.encrypt(&text, &random).unwrap();
        assert_eq!(hosted.encrypt(&text, &random).unwrap(), a, "len {len}");
        assert_eq!(fallback.encrypt(&text, &random).unwrap(), a, "len {len}");
        assert_eq!(hosted.decrypt(&a).unwrap().plaintext, text);
        assert_eq!(fallback.decrypt(&a).unwrap().plaintext, text);
        assert_eq!(
            hosted.msg_signature("1", "2", &a),
            plain.msg_signature("1", "2", &a)
        );
        assert_eq!(
            fallback.msg_signature("1", "2", &a),
            plain.msg_signature("1", "2", &a)
        );
    }
    assert!(
        refusing.aes_calls.get() > 0,
        "the refusing host was asked, then bypassed"
    );
}

#[test]
fn vectors_through_a_host_with_no_minimum() {
    for v in vectors().iter().filter(|v| v["kind"] == "crypt") {
        let token = v["token"].as_str().unwrap_or("token");
        let crypt = WxBizMsgCrypt::new(token, s(v, "encodingAESKey"), s(v, "appId"))
            .unwrap()
            .with_host(Rc::new(CountingHost::with_thresholds(0, 0)));
        assert_eq!(
            crypt.decrypt(s(v, "encrypt")).unwrap().plaintext,
            s(v, "plaintext")
        );
        assert_eq!(
            crypt
                .encrypt(s(v, "plaintext"), &random_of(v).unwrap())
                .unwrap(),
            s(v, "encrypt")
        );
        if let Some(sig) = v["msgSignature"].as_str() {
            assert_eq!(
                crypt.msg_signature(s(v, "timestamp"), s(v, "nonce"), s(v, "encrypt")),
                sig
            );
        }
    }
}

#[test]
fn sha1_has_its_own_threshold() {
    let host = Rc::new(CountingHost::with_thresholds(512, 4096));
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    // 1000 bytes: AES on the host, SHA-1 (about 1.4 KB of input) in the core.
    let mid = crypt.encrypt(&"a".repeat(1000), &[1; 16]).unwrap();
    assert_eq!(
        crypt.msg_signature("1", "2", &mid),
        plain.msg_signature("1", "2", &mid)
    );
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (1, 0));
    // 4000 bytes: about 5.4 KB of signed input, so SHA-1 on the host too.
    let big = crypt.encrypt(&"a".repeat(4000), &[1; 16]).unwrap();
    assert_eq!(
        crypt.msg_signature("1", "2", &big),
        plain.msg_signature("1", "2", &big)
    );
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (2, 1));
}

/// The methods of a test host whose AES and SHA-1 always refuse (the core computes them), for
/// hosts that test another primitive.
macro_rules! refuses_aes_and_sha1 {
    () => {
        fn aes256_cbc_decrypt(&self, _: &[u8; 32], _: &[u8; 16], _: &mut [u8]) -> bool {
            false
        }
        fn aes256_cbc_encrypt(&self, _: &[u8; 32], _: &[u8; 16], _: &mut [u8]) -> bool {
            false
        }
        fn sha1(&self, _: &[&[u8]], _: &mut [u8; 20]) -> bool {
            false
        }
        fn min_len(&self) -> usize {
            usize::MAX
        }
    };
}

/// What a UTF-8 host answers.
#[derive(Clone, Copy)]
enum Answer {
    /// The truth (the core's own check).
    Honest,
    /// `false` whatever the bytes: the core must check again, so valid text still passes.
    No,
    /// `None`: no validator.
    Nothing,
}

/// A host with a UTF-8 validator only (its AES and SHA-1 refuse), from 100 bytes.
struct Utf8Host {
    answer: Answer,
    calls: Cell<usize>,
}

impl Utf8Host {
    fn new(answer: Answer) -> Rc<Self> {
        Rc::new(Utf8Host {
            answer,
            calls: Cell::new(0),
        })
    }
}

// SAFETY: `utf8_valid` answers `Some(true)` only when `core::str::from_utf8` accepts the bytes.
unsafe impl HostCrypto for Utf8Host {
    refuses_aes_and_sha1!();
    fn utf8_valid(&self, bytes: &[u8]) -> Option<bool> {
        self.calls.set(self.calls.get() + 1);
        match self.answer {
            Answer::Honest => Some(core::str::from_utf8(bytes).is_ok()),
            Answer::No => Some(false),
            Answer::Nothing => None,
        }
    }
    fn min_utf8_len(&self) -> usize {
        100
    }
}

/// WXBizMsgCrypt's frame around raw message bytes, encrypted with `KEY`.
fn encrypt_bytes(msg: &[u8], app_id: &str) -> String {
    use base64::Engine;
    let key = wechat_kf::crypto::AesKey::parse(KEY).unwrap();
    let mut plain = vec![9u8; 16];
    plain.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    plain.extend_from_slice(msg);
    plain.extend_from_slice(app_id.as_bytes());
    let pad = 32 - plain.len() % 32;
    plain.resize(plain.len() + pad, pad as u8);
    let (blocks, _) = aes::Block::slice_as_chunks_mut(&mut plain);
    cbc::Encryptor::<aes::Aes256>::new(key.bytes().into(), &key.iv().into()).encrypt_blocks(blocks);
    base64::engine::general_purpose::STANDARD.encode(plain)
}

#[test]
fn utf8_of_large_messages_is_checked_by_the_host() {
    let host = Utf8Host::new(Answer::Honest);
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let small = crypt.encrypt("客服 hi", &[1; 16]).unwrap();
    assert_eq!(crypt.decrypt(&small).unwrap().plaintext, "客服 hi");
    assert_eq!(host.calls.get(), 0, "below the host's threshold");
    for text in ["客服消息 😀 ".repeat(40), "a".repeat(100)] {
        let big = crypt.encrypt(&text, &[1; 16]).unwrap();
        assert_eq!(crypt.decrypt(&big).unwrap().plaintext, text);
    }
    assert_eq!(host.calls.get(), 2);
}

#[test]
fn invalid_utf8_is_refused_whatever_the_host_answers() {
    // Invalid bytes at the start, in the middle and at the end of a large message, and a
    // truncated 4-byte sequence at its very end.
    let valid = "客服消息 😀 ".repeat(30).into_bytes();
    let mut cases: Vec<Vec<u8>> = Vec::new();
    for at in [0, valid.len() / 2, valid.len() - 1] {
        let mut bytes = valid.clone();
        bytes[at] = 0xff;
        cases.push(bytes);
    }
    let mut truncated = valid.clone();
    truncated.extend_from_slice(&"😀".as_bytes()[..3]);
    cases.push(truncated);
    for answer in [Answer::Honest, Answer::No, Answer::Nothing] {
        let host = Utf8Host::new(answer);
        let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
            .unwrap()
            .with_host(host.clone());
        for bytes in &cases {
            let err = crypt.decrypt(&encrypt_bytes(bytes, "wxapp")).unwrap_err();
            assert_eq!(err.kind(), wechat_kf::ErrorKind::IllegalBuffer, "{err}");
        }
        // A host that says no to valid text only costs the core's own check.
        let text = String::from_utf8(valid.clone()).unwrap();
        let ok = crypt.decrypt(&encrypt_bytes(&valid, "wxapp")).unwrap();
        assert_eq!(ok.plaintext, text);
        assert_eq!(host.calls.get(), cases.len() + 1);
    }
}

const PUSH_TS: &str = "1700000000";
const PUSH_NONCE: &str = "n";

/// The query of an encrypted push signed at PUSH_TS with PUSH_NONCE.
fn push_query(msg_signature: &str) -> wechat_kf::push::PushQuery<'_> {
    wechat_kf::push::PushQuery {
        timestamp: Some(PUSH_TS),
        nonce: Some(PUSH_NONCE),
        encrypt_type: Some("aes"),
        msg_signature: Some(msg_signature),
        ..Default::default()
    }
}

#[test]
fn byte_bodies_are_checked_by_the_host_and_text_bodies_not_again() {
    use wechat_kf::push::{Limits, Receiver};
    let host = Utf8Host::new(Answer::Honest);
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let xml = format!(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>\
         <CreateTime>1700000000</CreateTime><MsgType>text</MsgType>\
         <Content>{}</Content><MsgId>1</MsgId></xml>",
        "客服消息 😀 ".repeat(20)
    );
    let encrypt = crypt.encrypt(&xml, &[1; 16]).unwrap();
    let msg_signature = crypt.msg_signature(PUSH_TS, PUSH_NONCE, &encrypt);
    let body = format!("<xml><ToUserName>gh</ToUserName><Encrypt>{encrypt}</Encrypt></xml>");
    let query = push_query(&msg_signature);
    let receiver = Receiver::new(crypt.clone(), Limits::default());
    let from_bytes = receiver
        .receive(&query, body.as_bytes(), None, 1_700_000_000)
        .unwrap();
    // The decrypted XML is checked as quick-xml reads it, by nobody before.
    assert_eq!(host.calls.get(), 1, "the body only");
    let from_text = receiver
        .receive_str(&query, &body, None, 1_700_000_000)
        .unwrap();
    assert_eq!(
        host.calls.get(),
        1,
        "neither the body nor the decrypted XML"
    );
    assert_eq!(from_bytes, from_text);
    assert!(from_text.message.to_json().contains("客服消息 😀"));
    let mut bad = body.clone().into_bytes();
    bad[body.find("gh").unwrap()] = 0xc0;
    let err = receiver
        .receive(&query, &bad, None, 1_700_000_000)
        .unwrap_err();
    assert_eq!(err.kind(), wechat_kf::ErrorKind::ParseXml, "{err}");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    assert_eq!(host.calls.get(), 2);
}

/// A decrypted XML message is checked as UTF-8 while it is read, not before (one pass instead
/// of two); bytes that are not UTF-8 anywhere in it still get -40008 "decrypted message is not
/// valid UTF-8", also when something else is wrong with it too (as when it was checked first).
/// A JSON message is checked before it is parsed, by the host from its threshold.
#[test]
fn decrypted_messages_that_are_not_utf8_get_40008_wherever_the_bytes_are() {
    use wechat_kf::push::{Limits, Receiver};
    let good = "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>\
                <CreateTime>1700000000</CreateTime><MsgType>text</MsgType>\
                <Content><![CDATA[客服 hi]]></Content><MsgId>1</MsgId></xml>";
    let bad_at = |at: &str, bad: &[u8]| -> Vec<u8> {
        let i = good.find(at).unwrap() + at.len();
        [&good.as_bytes()[..i], bad, &good.as_bytes()[i..]].concat()
    };
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("in text", bad_at("<ToUserName>g", b"\xff")),
        ("in CDATA", bad_at("<![CDATA[", b"\xe5\xae")),
        ("in an element name", bad_at("<MsgT", b"\x80")),
        ("in an end tag", bad_at("</MsgT", b"\xc0\xbc")),
        ("in a comment", bad_at("<xml>", b"<!-- \xed\xa0\x80 -->")),
        (
            "in a processing instruction",
            bad_at("<xml>", b"<?pi \xff?>"),
        ),
        (
            "in an attribute value",
            [
                b"<xml a=\"\xf4\x90\x80\x80\">".as_slice(),
                &good.as_bytes()[5..],
            ]
            .concat(),
        ),
        (
            "before the root",
            [b"\xff".as_slice(), good.as_bytes()].concat(),
        ),
        ("after the root", [good.as_bytes(), b"\n\xff"].concat()),
        (
            "and a mismatched tag before it",
            [b"<xml><A>1</B>\xff".as_slice(), &good.as_bytes()[5..]].concat(),
        ),
        (
            "and a DTD before it",
            [b"<!DOCTYPE x>\xff".as_slice(), good.as_bytes()].concat(),
        ),
        (
            "in JSON",
            b"{\"MsgType\":\"text\",\"Content\":\"\xff\"}".to_vec(),
        ),
    ];
    // A large message, past the host's threshold, with one bad byte in its long content.
    let long = good.replace("客服 hi", &"客服消息 😀 ".repeat(40));
    let i = long.find("😀").unwrap() + 1;
    cases.push((
        "in a long content",
        [&long.as_bytes()[..i], b"\x41", &long.as_bytes()[i + 1..]].concat(),
    ));
    for answer in [Answer::Honest, Answer::No, Answer::Nothing] {
        let host = Utf8Host::new(answer);
        let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
            .unwrap()
            .with_host(host.clone());
        let receiver = Receiver::new(crypt.clone(), Limits::default());
        let receive = |message: &[u8], json: bool| {
            let encrypt = encrypt_bytes(message, "wxapp");
            let msg_signature = crypt.msg_signature(PUSH_TS, PUSH_NONCE, &encrypt);
            let body = if json {
                format!("{{\"Encrypt\":\"{encrypt}\"}}")
            } else {
                format!("<xml><Encrypt>{encrypt}</Encrypt></xml>")
            };
            receiver.receive_str(&push_query(&msg_signature), &body, None, 1_700_000_000)
        };
        assert!(receive(good.as_bytes(), false).is_ok());
        assert!(receive(long.as_bytes(), false).is_ok());
        assert_eq!(host.calls.get(), 0, "XML is checked as it is read");
        for (name, message) in &cases {
            assert!(core::str::from_utf8(message).is_err(), "{name}");
            let err = receive(message, name.contains("JSON")).expect_err(name);
            assert_eq!(
                err.kind(),
                wechat_kf::ErrorKind::IllegalBuffer,
                "{name}: {err}"
            );
            assert_eq!(
                err.message(),
                "decrypted message is not valid UTF-8",
                "{name}"
            );
        }
    }
}

/// A host that keeps the trait's defaults for SHA-1's threshold and the UTF-8 threshold, with
/// a (counted, honest) validator: AES and SHA-1 from `min_len` bytes.
struct DefaultThresholdsHost {
    inner: CountingHost,
    utf8_calls: Cell<usize>,
}

// SAFETY: `utf8_valid` answers `Some(true)` only when `core::str::from_utf8` accepts the bytes.
unsafe impl HostCrypto for DefaultThresholdsHost {
    fn aes256_cbc_decrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.inner.aes256_cbc_decrypt(key, iv, data)
    }
    fn aes256_cbc_encrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.inner.aes256_cbc_encrypt(key, iv, data)
    }
    fn sha1(&self, parts: &[&[u8]], out: &mut [u8; 20]) -> bool {
        self.inner.sha1(parts, out)
    }
    fn min_len(&self) -> usize {
        self.inner.min_len
    }
    fn utf8_valid(&self, bytes: &[u8]) -> Option<bool> {
        self.utf8_calls.set(self.utf8_calls.get() + 1);
        Some(core::str::from_utf8(bytes).is_ok())
    }
}

/// A host that sets a UTF-8 threshold but keeps the default `utf8_valid` (no validator).
struct ThresholdWithoutValidatorHost;

// SAFETY: no `utf8_valid` of its own (the default answers None).
unsafe impl HostCrypto for ThresholdWithoutValidatorHost {
    refuses_aes_and_sha1!();
    fn min_utf8_len(&self) -> usize {
        0
    }
}

#[test]
fn default_thresholds_sha1_from_min_len_utf8_never() {
    let host = Rc::new(DefaultThresholdsHost {
        inner: CountingHost::with_thresholds(1024, 1024),
        utf8_calls: Cell::new(0),
    });
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    // min_sha1_len defaults to min_len: a signature over about 100 bytes stays in the core.
    let small = crypt.encrypt("hi", &[1; 16]).unwrap();
    let sig = crypt.msg_signature("1", "2", &small);
    assert_eq!(sig, plain.msg_signature("1", "2", &small));
    assert_eq!(host.inner.sha_calls.get(), 0);
    let text = "客服消息 😀 ".repeat(200);
    let big = crypt.encrypt(&text, &[1; 16]).unwrap();
    let sig = crypt.msg_signature("1", "2", &big);
    assert_eq!(sig, plain.msg_signature("1", "2", &big));
    assert_eq!(host.inner.sha_calls.get(), 1);
    // min_utf8_len defaults to "never": the validator is not asked, at any size.
    for text in [String::from("hi"), text] {
        assert_eq!(
            crypt
                .decrypt(&crypt.encrypt(&text, &[1; 16]).unwrap())
                .unwrap()
                .plaintext,
            text
        );
    }
    assert_eq!(host.utf8_calls.get(), 0);
}

#[test]
fn a_utf8_threshold_without_a_validator_leaves_the_check_to_the_core() {
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(Rc::new(ThresholdWithoutValidatorHost));
    for bytes in [&b"\xff"[..], b"abc\xc0", "客服".as_bytes()] {
        let result = crypt.decrypt(&encrypt_bytes(bytes, "wxapp"));
        match core::str::from_utf8(bytes) {
            Ok(text) => assert_eq!(result.unwrap().plaintext, text),
            Err(_) => {
                let err = result.unwrap_err();
                assert_eq!(err.kind(), wechat_kf::ErrorKind::IllegalBuffer, "{err}");
            }
        }
    }
}

/// A host with a base64 decoder only (its AES and SHA-1 refuse), from 1,000 characters: the
/// `base64` crate's strict decoder, recording the lengths it was given, or (`refuse`) one
/// that answers `false` to everything.
struct Base64Host {
    refuse: bool,
    calls: std::cell::RefCell<Vec<(usize, usize)>>,
}

impl Base64Host {
    fn new(refuse: bool) -> Rc<Self> {
        Rc::new(Base64Host {
            refuse,
            calls: Default::default(),
        })
    }
}

// SAFETY: no `utf8_valid` of its own (the default answers None).
unsafe impl HostCrypto for Base64Host {
    refuses_aes_and_sha1!();
    fn base64_decode(&self, src: &[u8], out: &mut [u8]) -> bool {
        use base64::Engine;
        self.calls.borrow_mut().push((src.len(), out.len()));
        if self.refuse {
            return false;
        }
        match base64::engine::general_purpose::STANDARD.decode(src) {
            Ok(bytes) if bytes.len() == out.len() => {
                out.copy_from_slice(&bytes);
                true
            }
            _ => false,
        }
    }
    fn min_base64_len(&self) -> usize {
        1000
    }
}

#[test]
fn large_base64_is_decoded_by_the_host_into_exactly_its_length() {
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let host = Base64Host::new(false);
    let hosted = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    // Ciphertexts of 32k bytes for k = 1, 24, 25, 26: no padding, '=' and '==' all come up.
    let mut paddings = std::collections::BTreeSet::new();
    for len in [1usize, 700, 720, 760, 800, 5000] {
        let text = "m".repeat(len);
        let encrypted = plain.encrypt(&text, &[3; 16]).unwrap();
        paddings.insert(encrypted.bytes().rev().take_while(|&b| b == b'=').count());
        host.calls.borrow_mut().clear();
        assert_eq!(hosted.decrypt(&encrypted).unwrap().plaintext, text);
        let calls = host.calls.borrow().clone();
        if encrypted.len() < 1000 {
            assert_eq!(calls, vec![], "{len}: short base64 stays in the core");
        } else {
            let decoded = base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                encrypted.as_bytes(),
            )
            .unwrap()
            .len();
            assert_eq!(calls, vec![(encrypted.len(), decoded)], "{len}");
        }
    }
    assert_eq!(
        paddings.len(),
        3,
        "no padding, one and two '=': {paddings:?}"
    );
}

#[test]
fn large_base64_refused_by_the_host_is_decoded_and_judged_by_the_core() {
    let refusing = Base64Host::new(true);
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(refusing.clone());
    let text = "客".repeat(1000);
    let good = crypt.encrypt(&text, &[5; 16]).unwrap();
    assert_eq!(crypt.decrypt(&good).unwrap().plaintext, text);
    assert_eq!(refusing.calls.borrow().len(), 1, "asked, then bypassed");
    // Invalid base64 of a length the host is asked about, and of one it is not: the core's
    // error either way.
    let spaced = format!("{}    {}", &good[..100], &good[100..]);
    let unpadded = good.trim_end_matches('=').to_string();
    for bad in [spaced, unpadded, format!("{}=AAA", &good[..good.len() - 4])] {
        let err = crypt.decrypt(&bad).unwrap_err();
        assert_eq!(err.code(), -40010, "{err}");
    }
}

#[test]
fn base64_of_a_length_that_is_not_whole_quads_is_left_to_the_core() {
    // The host is promised `out` of exactly the decoded length; a length that is not a
    // multiple of 4 has none, so the host is not asked, and the core reports the error.
    let host = Base64Host::new(false);
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let good = crypt.encrypt(&"客".repeat(1000), &[5; 16]).unwrap();
    assert_eq!(good.len() % 4, 0);
    for cut in 1..4 {
        let bad = &good[..good.len() - cut];
        host.calls.borrow_mut().clear();
        let err = crypt.decrypt(bad).unwrap_err();
        assert_eq!(err.code(), -40010, "{err}");
        assert_eq!(host.calls.borrow().len(), 0, "{} characters", bad.len());
    }
    host.calls.borrow_mut().clear();
    crypt.decrypt(&good).unwrap();
    assert_eq!(host.calls.borrow().len(), 1);
}

/// A host that sets a base64 threshold but keeps the default `base64_decode` (no decoder).
struct Base64ThresholdWithoutDecoderHost;

// SAFETY: no `utf8_valid` of its own (the default answers None).
unsafe impl HostCrypto for Base64ThresholdWithoutDecoderHost {
    refuses_aes_and_sha1!();
    fn min_base64_len(&self) -> usize {
        0
    }
}

/// A host with a base64 decoder but the default `min_base64_len` (never).
struct Base64DecoderWithoutThresholdHost {
    calls: Cell<usize>,
}

// SAFETY: no `utf8_valid` of its own (the default answers None).
unsafe impl HostCrypto for Base64DecoderWithoutThresholdHost {
    refuses_aes_and_sha1!();
    fn base64_decode(&self, _: &[u8], _: &mut [u8]) -> bool {
        self.calls.set(self.calls.get() + 1);
        false
    }
}

#[test]
fn base64_defaults_no_decoder_and_never_asked() {
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let without_decoder = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(Rc::new(Base64ThresholdWithoutDecoderHost));
    let decoder = Rc::new(Base64DecoderWithoutThresholdHost {
        calls: Cell::new(0),
    });
    let without_threshold = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(decoder.clone());
    for text in [String::from("hi"), "客服".repeat(2000)] {
        let encrypted = plain.encrypt(&text, &[4; 16]).unwrap();
        // The default base64_decode decodes nothing (false): the core decodes.
        assert_eq!(without_decoder.decrypt(&encrypted).unwrap().plaintext, text);
        // The default min_base64_len is "never": a decoder alone is not asked.
        assert_eq!(
            without_threshold.decrypt(&encrypted).unwrap().plaintext,
            text
        );
    }
    assert_eq!(decoder.calls.get(), 0);
}
