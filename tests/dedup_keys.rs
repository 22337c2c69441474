//! Dedup keys (issue 22, item 11): bounded whatever the push holds, and byte for byte what they
//! always were for the platform's pushes (stores keep them across deploys).

mod common;

use common::Rng;
use sha1::{Digest, Sha1};
use wechat_kf::crypto::{hex_str, signature, Format};
use wechat_kf::message::{parse, Message};
use wechat_kf::push::{
    dedup_key, Limits, PushQuery, Receiver, MAX_DEDUP_KEY_BYTES, MAX_KEY_PART_BYTES,
};
use wechat_kf::WxBizMsgCrypt;

/// The key as it was before parts were bounded (the 0.1.0 rule, written out again).
fn old_key(m: &Message) -> String {
    match &m.msg_id {
        Some(id) => format!("msg:{}:{id}", m.to_user_name),
        None => format!(
            "event:{}:{}:{}:{}",
            m.to_user_name,
            m.from_user_name,
            m.create_time,
            // 0.1.0 read Event for events only
            if m.msg_type == "event" {
                m.event.as_deref().unwrap_or("")
            } else {
                &m.msg_type
            }
        ),
    }
}

fn message(
    to: &str,
    from: &str,
    msg_type: &str,
    event: Option<&str>,
    msg_id: Option<&str>,
) -> Message {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut xml = format!(
        "<xml><ToUserName>{}</ToUserName><FromUserName>{}</FromUserName><CreateTime>1715943329</CreateTime><MsgType>{}</MsgType>",
        esc(to),
        esc(from),
        esc(msg_type)
    );
    if let Some(e) = event {
        xml.push_str(&format!("<Event>{}</Event>", esc(e)));
    }
    if let Some(id) = msg_id {
        xml.push_str(&format!("<MsgId>{}</MsgId>", esc(id)));
    }
    xml.push_str("</xml>");
    parse(&xml, Format::Xml, 32).unwrap()
}

#[test]
fn known_keys_are_unchanged() {
    let m = message(
        "gh_97417a04a28d",
        "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
        "text",
        None,
        Some("23456789012345678901"),
    );
    assert_eq!(dedup_key(&m), "msg:gh_97417a04a28d:23456789012345678901");
    let m = message(
        "gh_97417a04a28d",
        "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
        "event",
        Some("user_enter_tempsession"),
        None,
    );
    assert_eq!(
        dedup_key(&m),
        "event:gh_97417a04a28d:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1715943329:user_enter_tempsession"
    );
}

/// Platform-shaped parts (`gh_` ids, openids and unionids of base64url characters, ids of up
/// to 20 digits, event names, and anything up to the part limit without `#` first or `:`):
/// the key is exactly the old one.
#[test]
fn keys_of_platform_shaped_pushes_are_byte_for_byte_the_old_ones() {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@ ";
    let mut rng = Rng(0xdede_0022);
    let word = |rng: &mut Rng, max: u64| -> String {
        let len = 1 + rng.below(max) as usize;
        (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    };
    for i in 0..2_000 {
        let to = if i % 2 == 0 {
            format!("gh_{:012x}", rng.next() >> 16)
        } else {
            word(&mut rng, 64)
        };
        let from = word(&mut rng, 64);
        let id = (rng.next() >> (rng.below(64) as u32)).to_string();
        let event = word(&mut rng, MAX_KEY_PART_BYTES as u64);
        for m in [
            message(&to, &from, "text", None, Some(&id)),
            message(&to, &from, "event", Some(&event), None),
            message(&to, &from, &event, None, None),
        ] {
            assert_eq!(dedup_key(&m), old_key(&m));
        }
    }
}

fn hashed(part: &str) -> String {
    let digest = Sha1::digest(part.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("#{hex}")
}

/// Every part of any length: the key never exceeds the bound; a part over the limit (or one
/// starting with `#` or holding `:`) is `#` and its SHA-1 in hex, so different parts keep
/// different keys.
#[test]
fn keys_are_bounded_for_any_field_length() {
    assert_eq!(MAX_DEDUP_KEY_BYTES, 6 + 3 * 64 + 20 + 3);
    let long = |n: usize, c: char| c.to_string().repeat(n);
    for n in [0, 1, 63, 64, 65, 100, 1_000, 100_000] {
        let part = if n == 0 { String::new() } else { long(n, 'x') };
        let big = long(100_000, '客');
        for m in [
            message(&part, &big, "text", None, Some(&big)),
            message(&big, &part, "text", None, Some(&part)),
            message(&big, &big, "event", Some(&big), None),
            message(&part, &big, "event", None, None),
            message(&big, &part, &big, None, None),
        ] {
            let key = dedup_key(&m);
            assert!(key.len() <= MAX_DEDUP_KEY_BYTES, "{} bytes", key.len());
        }
        let m = message("gh", "o", "text", None, Some(&part));
        let want = if n <= MAX_KEY_PART_BYTES && n > 0 {
            part.clone()
        } else if n == 0 {
            String::new()
        } else {
            hashed(&part)
        };
        if n > 0 {
            assert_eq!(dedup_key(&m), format!("msg:gh:{want}"), "{n}");
        }
    }
    // Parts that could pass for a hashed part or move a separator are hashed too.
    let x = long(65, 'x');
    let looks_hashed = hashed(&x);
    let a = dedup_key(&message("gh", "o", "text", None, Some(&x)));
    let b = dedup_key(&message("gh", "o", "text", None, Some(&looks_hashed)));
    assert_ne!(a, b);
    assert_eq!(b, format!("msg:gh:{}", hashed(&looks_hashed)));
    let c = dedup_key(&message("gh:1", "o", "text", None, Some("2")));
    let d = dedup_key(&message("gh", "o", "text", None, Some("1:2")));
    assert_ne!(c, d);
    assert_eq!(c, format!("msg:{}:2", hashed("gh:1")));
}

/// Through the receiver: 1 MB-ish fields give a short key.
#[test]
fn a_push_of_huge_fields_gets_a_short_key() {
    const TOKEN: &str = "dedup-token";
    const TS: &str = "1715943329";
    let crypt = WxBizMsgCrypt::new(
        TOKEN,
        "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
        "wx49f0ab532d5d035a",
    )
    .unwrap();
    let r = Receiver::new(
        crypt,
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    );
    let sig = signature(TOKEN, TS, "1", None);
    let query = PushQuery {
        signature: Some(hex_str(&sig)),
        timestamp: Some(TS),
        nonce: Some("1"),
        ..PushQuery::default()
    };
    let huge = "9".repeat(300_000);
    for body in [
        format!(r#"{{"ToUserName":"{huge}","FromUserName":"o","CreateTime":1715943329,"MsgType":"text","MsgId":{huge}}}"#),
        format!("<xml><ToUserName>{huge}</ToUserName><FromUserName>{huge}</FromUserName><CreateTime>1715943329</CreateTime><MsgType>event</MsgType><Event>{huge}</Event></xml>"),
    ] {
        let push = r.receive(&query, body.as_bytes(), None, 1_715_943_329).unwrap();
        assert!(push.dedup_key.len() <= MAX_DEDUP_KEY_BYTES, "{}", push.dedup_key.len());
        assert!(push.to_json().contains(&push.dedup_key));
    }
}
