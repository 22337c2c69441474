//! Exact answers at the edges: appIds that differ only slightly, signatures wrong in one
//! digit, limits at the limit and one past it. Each case is chosen so that a plausible bug (a
//! prefix or case-insensitive appId match, a comparison that only looks at the last byte, `>=`
//! for `>`) fails here.

use wechat_kf::crypto::{hex_str, signature, signature_matches};
use wechat_kf::message::check_json_limits;
use wechat_kf::push::{Limits, Mode, PushQuery, Receiver};
use wechat_kf::{ErrorKind, WxBizMsgCrypt};

const TOKEN: &str = "exact-token";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";
const RANDOM: [u8; 16] = *b"0123456789abcdef";

/// The appIds one edit away from APP_ID: last character, case, one extra or one fewer at the end.
fn near_misses() -> Vec<(&'static str, String)> {
    vec![
        ("last character changed", "wx49f0ab532d5d035b".into()),
        ("upper case", APP_ID.to_uppercase()),
        ("one character upper case", "wx49f0ab532d5d035A".into()),
        ("one extra character", format!("{APP_ID}0")),
        (
            "one character fewer (a prefix)",
            APP_ID[..APP_ID.len() - 1].into(),
        ),
        ("first character changed", "Wx49f0ab532d5d035a".into()),
    ]
}

#[test]
fn app_id_must_match_exactly_both_ways() {
    let ours = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let own = ours.encrypt("hello", &RANDOM).unwrap();
    assert_eq!(ours.decrypt(&own).unwrap().receive_id, APP_ID);
    for (name, other_id) in near_misses() {
        let other = WxBizMsgCrypt::new(TOKEN, KEY, &other_id).unwrap();
        // A ciphertext for the other appId, opened by us; and ours opened by the other.
        let theirs = other.encrypt("hello", &RANDOM).unwrap();
        for (what, crypt, encrypt) in [("ours", &ours, &theirs), ("theirs", &other, &own)] {
            let err = crypt
                .decrypt(encrypt)
                .expect_err(&format!("{name} ({what}) accepted"));
            assert_eq!(err.kind(), ErrorKind::ValidateAppId, "{name} ({what})");
            assert_eq!(err.code(), -40005, "{name} ({what})");
        }
    }
}

/// The expected signature with the hex digit at `index` replaced by another hex digit.
fn one_digit_off(sig: &str, index: usize) -> String {
    let mut bytes = sig.as_bytes().to_vec();
    bytes[index] = if bytes[index] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).unwrap()
}

#[test]
fn signature_wrong_in_any_single_digit_is_refused() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let encrypt = crypt.encrypt("hello", &RANDOM).unwrap();
    let good = crypt.msg_signature("1700000000", "42", &encrypt);
    crypt
        .verify_signature(&good, "1700000000", "42", Some(&encrypt))
        .unwrap();
    crypt
        .verify_signature(&good.to_uppercase(), "1700000000", "42", Some(&encrypt))
        .unwrap();
    for index in [0, 1, 19, 20, 38, 39] {
        let bad = one_digit_off(&good, index);
        let err = crypt
            .verify_signature(&bad, "1700000000", "42", Some(&encrypt))
            .expect_err(&format!("digit {index} wrong accepted"));
        assert_eq!(err.kind(), ErrorKind::ValidateSignature, "digit {index}");
        assert_eq!(err.code(), -40001);
    }
    // The plain (3-part) signature, wrong in the first, a middle and the last digit.
    let plain = hex_str(&signature(TOKEN, "1700000000", "42", None)).to_string();
    for index in [0, 20, 39] {
        let err = crypt
            .verify_signature(&one_digit_off(&plain, index), "1700000000", "42", None)
            .expect_err("wrong plain signature accepted");
        assert_eq!(err.kind(), ErrorKind::ValidateSignature);
    }
}

#[test]
fn signature_matches_looks_at_every_byte() {
    let expected = signature(TOKEN, "1", "2", Some("x"));
    let good = hex_str(&expected).to_string();
    assert!(signature_matches(&expected, &good));
    assert!(signature_matches(&expected, &good.to_uppercase()));
    for index in 0..40 {
        assert!(
            !signature_matches(&expected, &one_digit_off(&good, index)),
            "digit {index}"
        );
    }
    // Two digits off by the same bit: differences that cancel under XOR-accumulation.
    let mut twice = good.as_bytes().to_vec();
    twice[3] ^= 0x01;
    twice[30] ^= 0x01;
    assert!(!signature_matches(
        &expected,
        core::str::from_utf8(&twice).unwrap()
    ));
    // Lengths: one short, one long, empty.
    assert!(!signature_matches(&expected, &good[..39]));
    assert!(!signature_matches(&expected, &format!("{good}0")));
    assert!(!signature_matches(&expected, ""));
}

fn safe_push(limits: Limits) -> (Receiver, String, String, String) {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let plain = r#"{"ToUserName":"gh_x","FromUserName":"o1","CreateTime":1700000000,"MsgType":"text","Content":"hi","MsgId":"1"}"#;
    let encrypt = crypt.encrypt(plain, &RANDOM).unwrap();
    let msg_signature = crypt.msg_signature("1700000000", "42", &encrypt);
    let body = format!(r#"{{"ToUserName":"gh_x","Encrypt":"{encrypt}"}}"#);
    (Receiver::new(crypt, limits), body, msg_signature, encrypt)
}

fn receive(r: &Receiver, body: &str, msg_signature: &str) -> wechat_kf::Result<Mode> {
    r.receive(
        &PushQuery {
            timestamp: Some("1700000000"),
            nonce: Some("42"),
            encrypt_type: Some("aes"),
            msg_signature: Some(msg_signature),
            ..PushQuery::default()
        },
        body.as_bytes(),
        None,
        1_700_000_000,
    )
    .map(|p| p.mode)
}

#[test]
fn body_limit_accepts_the_limit_and_refuses_one_past_it() {
    let (_, body, _, _) = safe_push(Limits::default());
    let at = Limits {
        max_body_bytes: body.len(),
        ..Limits::default()
    };
    let (r, body, sig, _) = safe_push(at);
    assert_eq!(receive(&r, &body, &sig).unwrap(), Mode::Safe);
    let under = Limits {
        max_body_bytes: body.len() - 1,
        ..Limits::default()
    };
    let (r, body, sig, _) = safe_push(under);
    let err = receive(&r, &body, &sig).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BodyTooLarge);
    assert_eq!(err.code(), -41002);
}

fn nested(depth: usize) -> String {
    format!(
        r#"{{"ToUserName":"gh_x","FromUserName":"o1","CreateTime":1,"MsgType":"x","D":{}1{}}}"#,
        "[".repeat(depth - 1),
        "]".repeat(depth - 1)
    )
}

#[test]
fn json_depth_accepts_the_limit_and_refuses_one_past_it() {
    for max in [1usize, 2, 5, 32] {
        check_json_limits(&nested(max), max).unwrap_or_else(|e| panic!("depth {max}: {e}"));
        let err = check_json_limits(&nested(max + 1), max).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::JsonTooDeep, "depth {}", max + 1);
    }
    // Closing brackets bring the depth back down; brackets inside strings do not count.
    check_json_limits(r#"[[],[],[],[[]],{"a":[]}]"#, 3).unwrap();
    assert_eq!(
        check_json_limits(r#"[[],[],[],[[]],{"a":[]}]"#, 2)
            .unwrap_err()
            .kind(),
        ErrorKind::JsonTooDeep
    );
    check_json_limits(r#"{"a":"[[[[{{{{","b":"\"[[[["}"#, 1).unwrap();
    check_json_limits(r#"{"a":"\\","b":[1]}"#, 2).unwrap();
    assert_eq!(
        check_json_limits(r#"{"a":"\\","b":[1]}"#, 1)
            .unwrap_err()
            .kind(),
        ErrorKind::JsonTooDeep
    );
}

#[test]
fn json_depth_limit_through_the_receiver() {
    // Plaintext JSON push at exactly the configured depth, and one level deeper.
    let sig = hex_str(&signature(TOKEN, "1700000000", "42", None)).to_string();
    let receiver = |max| {
        Receiver::new(
            WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap(),
            Limits {
                max_json_depth: max,
                allow_plaintext: true,
                ..Limits::default()
            },
        )
    };
    let push = |r: &Receiver, body: &str| {
        r.receive(
            &PushQuery {
                signature: Some(&sig),
                timestamp: Some("1700000000"),
                nonce: Some("42"),
                ..PushQuery::default()
            },
            body.as_bytes(),
            None,
            1_700_000_000,
        )
    };
    let r = receiver(4);
    assert_eq!(push(&r, &nested(4)).unwrap().mode, Mode::Plaintext);
    assert_eq!(
        push(&r, &nested(5)).unwrap_err().kind(),
        ErrorKind::JsonTooDeep
    );
}
