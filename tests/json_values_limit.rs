//! The JSON value limit (issue 22, item 10): a JSON body holds at most `MAX_JSON_VALUES`
//! values (the top-level object, and every member and array item at any depth), the number of
//! elements the XML reader allows (the root included), checked by a scan before anything is
//! parsed: -40012 ParseJson past it, with a message that says so.

mod common;

use common::Rng;
use serde_json::Value;
use wechat_kf::crypto::{hex_str, signature};
use wechat_kf::message::{check_json_limits, read_json_fields, MAX_JSON_VALUES};
use wechat_kf::push::{read_fields, Limits, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

const DEPTH: usize = 32;

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(members) => members.values().map(count).sum(),
        _ => 0,
    }
}

const SPACE: [&str; 5] = ["", " ", "\n", "\r\n\t", "  "];
const STRINGS: [&str; 8] = ["", "a", ",", "[{,", "\\\"],", "}]", "客,服", "\\\\"];

/// A random value, at most `depth` levels of containers, written with random whitespace.
fn write(rng: &mut Rng, depth: usize, out: &mut String) -> usize {
    let sp = |rng: &mut Rng| SPACE[rng.below(SPACE.len() as u64) as usize];
    let choice = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(6)
    };
    match choice {
        0 => out.push_str(&format!("\"{}\"", STRINGS[rng.below(8) as usize])),
        1 => out.push_str(["1", "-1.5e3", "12345678901234567890"][rng.below(3) as usize]),
        2 => out.push_str(["true", "false"][rng.below(2) as usize]),
        3 => out.push_str("null"),
        4 => {
            out.push('[');
            let mut n = 1;
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(sp(rng));
                n += write(rng, depth - 1, out);
                out.push_str(sp(rng));
            }
            out.push_str(sp(rng));
            out.push(']');
            return n;
        }
        _ => {
            out.push('{');
            let mut n = 1;
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!(
                    "{}\"k{i}{}\"{}:{}",
                    sp(rng),
                    STRINGS[rng.below(8) as usize],
                    sp(rng),
                    sp(rng)
                ));
                n += write(rng, depth - 1, out);
            }
            out.push_str(sp(rng));
            out.push('}');
            return n;
        }
    }
    1
}

/// `{"ToUserName":..., "D": value, "P": [1, ...]}` padded to exactly `total` values.
fn padded(value: &str, value_count: usize, total: usize) -> String {
    let head = r#""ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x""#;
    // The top-level object, its 4 head members, D's value(s), P.
    let items = total - (1 + 4 + value_count + 1);
    let list = vec!["1"; items].join(" ,");
    format!("{{{head}, \"D\" : {value},\"P\":[ {list} ]\n}}")
}

/// The scan counts exactly: random documents padded to the limit are read, one value more is
/// refused; the count agrees with serde_json's tree.
#[test]
fn the_count_is_exact_for_generated_documents() {
    let mut rng = Rng(0x5eed_0022);
    for _ in 0..300 {
        let mut value = String::new();
        let n = write(&mut rng, 4, &mut value);
        let parsed: Value = serde_json::from_str(&value).unwrap();
        assert_eq!(count(&parsed), n, "{value}");
        let at = padded(&value, n, MAX_JSON_VALUES);
        assert_eq!(count(&serde_json::from_str(&at).unwrap()), MAX_JSON_VALUES);
        check_json_limits(&at, DEPTH).unwrap_or_else(|e| panic!("{e}: {value}"));
        read_json_fields(&at, DEPTH).unwrap_or_else(|e| panic!("{e}: {value}"));
        let over = padded(&value, n, MAX_JSON_VALUES + 1);
        let err = check_json_limits(&over, DEPTH).unwrap_err();
        assert_eq!(err.code(), -40012, "{value}");
        assert_eq!(read_json_fields(&over, DEPTH).unwrap_err(), err);
    }
}

/// The same number as the XML reader, and a message that says what is wrong.
#[test]
fn the_limit_and_its_message() {
    assert_eq!(MAX_JSON_VALUES, wechat_kf::xml::MAX_ELEMENTS);
    let members = |n: usize| {
        let list: String = (0..n).map(|i| format!(",\"k{i}\":{{}}")).collect();
        format!("{{\"a\":1{list}}}")
    };
    // The top-level object and its members: 1 + 1 + (MAX - 2).
    check_json_limits(&members(MAX_JSON_VALUES - 2), DEPTH).unwrap();
    let err = check_json_limits(&members(MAX_JSON_VALUES - 1), DEPTH).unwrap_err();
    assert_eq!(err.kind(), wechat_kf::ErrorKind::ParseJson);
    assert!(
        err.message().contains(&MAX_JSON_VALUES.to_string()),
        "{err}"
    );
    assert!(err.message().contains("members and array items"), "{err}");
    // Empty containers count once, the values inside strings not at all.
    let empties = format!("[{}]", vec!["[]"; MAX_JSON_VALUES - 1].join(","));
    check_json_limits(&empties, DEPTH).unwrap();
    check_json_limits(
        &format!("[{}]", vec!["{}"; MAX_JSON_VALUES].join(",")),
        DEPTH,
    )
    .unwrap_err();
    check_json_limits(&format!("{{\"a\":\"{}\"}}", ",[{".repeat(100_000)), DEPTH).unwrap();
    // The tools' reader (CLI, debugger) has the same limit.
    assert!(read_fields(&members(MAX_JSON_VALUES - 2)).is_ok());
    let err = read_fields(&members(MAX_JSON_VALUES))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), -40012);
}

const TOKEN: &str = "json-values-token";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";
const TS: &str = "1715943329";
const NOW: u64 = 1_715_943_329;

/// Hostile 1 MiB bodies (the default body limit) with hundreds of thousands of values are
/// refused with -40012, plaintext and encrypted (the envelope and the decrypted message), in
/// far less time than parsing them took; the receiver keeps working.
#[test]
fn hostile_bodies_are_refused_through_the_receiver() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let r = Receiver::new(
        crypt.clone(),
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    );
    let head = r#""ToUserName":"gh","FromUserName":"o","CreateTime":1715943329,"MsgType":"x""#;
    let fill = |pre: &str, unit: &str, post: &str, limit: usize| {
        let n = (limit - pre.len() - post.len()) / unit.len();
        format!("{pre}{}{post}", unit.repeat(n))
    };
    let max = Limits::default().max_body_bytes;
    let sig = signature(TOKEN, TS, "1", None);
    let plain = PushQuery {
        signature: Some(hex_str(&sig)),
        timestamp: Some(TS),
        nonce: Some("1"),
        ..PushQuery::default()
    };
    for (name, pre, unit, post) in [
        ("numbers", format!("{{{head},\"L\":["), "1,", "1]}"),
        ("empty objects", format!("{{{head},\"L\":["), "{},", "{}]}"),
        ("empty arrays", format!("{{{head},\"L\":["), "[],", "[]]}"),
        (
            "nested objects",
            format!("{{{head},\"L\":["),
            "{\"a\":{\"b\":1}},",
            "1]}",
        ),
    ] {
        let body = fill(&pre, unit, post, max);
        let started = std::time::Instant::now();
        let err = r.receive(&plain, body.as_bytes(), None, NOW).unwrap_err();
        assert_eq!(err.code(), -40012, "{name}: {err}");
        assert!(
            started.elapsed().as_millis() < 2_000,
            "{name}: {:?}",
            started.elapsed()
        );
        // Encrypted: the decrypted message (the envelope holds a handful of values).
        let encrypted_max = max * 3 / 4 - 200;
        let message = fill(&pre, unit, post, encrypted_max);
        let encrypt = crypt.encrypt(&message, &[3; 16]).unwrap();
        let msg_signature = crypt.msg_signature(TS, "1", &encrypt);
        let query = PushQuery {
            timestamp: Some(TS),
            nonce: Some("1"),
            encrypt_type: Some("aes"),
            msg_signature: Some(&msg_signature),
            ..PushQuery::default()
        };
        let body = format!(r#"{{"ToUserName":"gh","Encrypt":"{encrypt}"}}"#);
        let err = r.receive(&query, body.as_bytes(), None, NOW).unwrap_err();
        assert_eq!(err.code(), -40012, "{name} encrypted: {err}");
        // The envelope itself, before its signature is checked.
        let body = fill(
            &format!("{{\"Encrypt\":\"{encrypt}\",\"X\":["),
            unit,
            post,
            max,
        );
        let err = r.receive(&query, body.as_bytes(), None, NOW).unwrap_err();
        assert_eq!(err.code(), -40012, "{name} envelope: {err}");
        let good = format!("{{{head},\"Content\":\"hi\"}}");
        assert!(r.receive(&plain, good.as_bytes(), None, NOW).is_ok());
    }
}
