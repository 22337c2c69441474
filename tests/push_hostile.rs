//! Hostile pushes, each with its code; the same receiver must keep working after every one,
//! and no error message may contain the token or the EncodingAESKey.

use wechat_kf::crypto::{hex_str, signature};
use wechat_kf::push::{Limits, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

const TOKEN: &str = "hostile-push-token";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";
const TS: &str = "1715943329";
const NOW: u64 = 1_715_943_329;
const NONCE: &str = "42";

const GOOD_XML: &str = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName><CreateTime>1715943329</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>6054768590064713728</MsgId></xml>";
const GOOD_JSON: &str = r#"{"ToUserName":"gh_1","FromUserName":"o_1","CreateTime":1715943329,"MsgType":"text","Content":"hi","MsgId":6054768590064713728}"#;

fn crypt() -> WxBizMsgCrypt {
    WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap()
}

/// Plaintext pushes opted in, so that the table reaches the plaintext parser too; the default
/// refusal is `plaintext_pushes_are_refused_by_default_when_a_key_is_configured`.
fn receiver() -> Receiver {
    Receiver::new(
        crypt(),
        Limits {
            max_body_bytes: 64 * 1024,
            allow_plaintext: true,
            ..Limits::default()
        },
    )
}

fn plain_sig() -> String {
    hex_str(&signature(TOKEN, TS, NONCE, None)).into()
}

/// One hostile request: its query parts and body.
struct Case {
    name: &'static str,
    signature: Option<String>,
    timestamp: Option<String>,
    nonce: Option<String>,
    encrypt_type: Option<&'static str>,
    msg_signature: Option<String>,
    body: Vec<u8>,
    want: i32,
}

fn plain(name: &'static str, body: impl Into<Vec<u8>>, want: i32) -> Case {
    Case {
        name,
        signature: Some(plain_sig()),
        timestamp: Some(TS.into()),
        nonce: Some(NONCE.into()),
        encrypt_type: None,
        msg_signature: None,
        body: body.into(),
        want,
    }
}

/// An encrypted push whose Encrypt is `encrypt`, wrapped by `wrap`, correctly signed.
fn encrypted(name: &'static str, encrypt: &str, json: bool, want: i32) -> Case {
    let msg_signature = crypt().msg_signature(TS, NONCE, encrypt);
    let body = if json {
        format!(r#"{{"ToUserName":"gh_1","Encrypt":"{encrypt}"}}"#)
    } else {
        format!("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    };
    Case {
        name,
        signature: Some(plain_sig()),
        timestamp: Some(TS.into()),
        nonce: Some(NONCE.into()),
        encrypt_type: Some("aes"),
        msg_signature: Some(msg_signature),
        body: body.into_bytes(),
        want,
    }
}

fn encrypt_of(plaintext: &str) -> String {
    crypt().encrypt(plaintext, &[5; 16]).unwrap()
}

fn run(r: &Receiver, c: &Case, now: u64) -> wechat_kf::Result<wechat_kf::push::Push> {
    r.receive(
        &PushQuery {
            signature: c.signature.as_deref(),
            timestamp: c.timestamp.as_deref(),
            nonce: c.nonce.as_deref(),
            openid: None,
            encrypt_type: c.encrypt_type,
            msg_signature: c.msg_signature.as_deref(),
        },
        &c.body,
        None,
        now,
    )
}

fn assert_still_works(r: &Receiver) {
    let push = run(r, &plain("good", GOOD_XML, 0), NOW).expect("good XML push after a hostile one");
    assert_eq!(push.message.msg_id.as_deref(), Some("6054768590064713728"));
    let push = run(r, &encrypted("good", &encrypt_of(GOOD_JSON), true, 0), NOW)
        .expect("good encrypted JSON push after a hostile one");
    assert_eq!(push.message.msg_id.as_deref(), Some("6054768590064713728"));
}

fn cases() -> Vec<Case> {
    let good_encrypt = encrypt_of(GOOD_XML);
    let mut v = vec![
        // Missing Encrypt in both formats.
        {
            let mut c = encrypted("missing Encrypt (XML)", "x", false, -40002);
            c.body = b"<xml><ToUserName>gh_1</ToUserName></xml>".to_vec();
            c
        },
        {
            let mut c = encrypted("missing Encrypt (JSON)", "x", true, -40012);
            c.body = br#"{"ToUserName":"gh_1"}"#.to_vec();
            c
        },
        {
            let mut c = encrypted("two Encrypt elements", &good_encrypt, false, -40002);
            c.body = format!("<xml><Encrypt>{good_encrypt}</Encrypt><Encrypt>{good_encrypt}</Encrypt></xml>").into_bytes();
            c
        },
        // Signatures.
        {
            let mut c = encrypted("wrong msg_signature", &good_encrypt, false, -40001);
            c.msg_signature = Some("0".repeat(40));
            c
        },
        {
            let mut c = encrypted("missing msg_signature", &good_encrypt, false, -40001);
            c.msg_signature = None;
            c
        },
        {
            let mut c = encrypted("Encrypt altered after signing", &good_encrypt, false, -40001);
            c.body = String::from_utf8(c.body).unwrap().replacen(&good_encrypt[..4], "AAAA", 1).into_bytes();
            c
        },
        {
            let mut c = plain("wrong signature", GOOD_XML, -40001);
            c.signature = Some("f".repeat(40));
            c
        },
        {
            let mut c = plain("missing signature", GOOD_XML, -40001);
            c.signature = None;
            c
        },
        {
            let mut c = plain("signature of another token", GOOD_XML, -40001);
            c.signature = Some(hex_str(&signature("other", TS, NONCE, None)).into());
            c
        },
        // Query.
        {
            let mut c = plain("missing timestamp", GOOD_XML, -41004);
            c.timestamp = None;
            c
        },
        {
            let mut c = plain("timestamp not a number", GOOD_XML, -41004);
            c.timestamp = Some("17e8".into());
            c
        },
        {
            let mut c = plain("missing nonce", GOOD_XML, -41004);
            c.nonce = None;
            c
        },
        {
            let mut c = plain("unknown encrypt_type", GOOD_XML, -41004);
            c.encrypt_type = Some("des");
            c
        },
        // Limits.
        plain("oversized body", vec![b' '; 64 * 1024 + 1], -41002),
        plain(
            "DTD",
            r#"<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><ToUserName>&a;</ToUserName></xml>"#,
            -40002,
        ),
        plain(
            "external entity",
            r#"<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>"#,
            -40002,
        ),
        plain("undeclared entity", "<xml><Content>&lol;</Content></xml>", -40002),
        plain("deep JSON", "[".repeat(10_000), -41003),
        plain(
            "deep JSON inside a string is fine but the object is not",
            format!("{{\"a\":\"{}\",\"b\":{}}}", "[".repeat(100), "{\"c\":".repeat(40)),
            -41003,
        ),
        plain("deep XML", format!("<xml>{}", "<a>".repeat(100)), -40002),
        // Malformed bodies.
        plain("invalid UTF-8 (XML)", b"<xml><Content>\xff\xfe</Content></xml>".to_vec(), -40002),
        plain("invalid UTF-8 (JSON)", b"{\"Content\":\"\xc3\"}".to_vec(), -40012),
        plain("truncated XML", &GOOD_XML[..GOOD_XML.len() - 10], -40002),
        plain("truncated JSON", &GOOD_JSON[..GOOD_JSON.len() - 10], -40012),
        plain("JSON trailing garbage", format!("{GOOD_JSON}x"), -40012),
        plain("JSON array", "[1,2]", -40012),
        plain("empty body", "", -40002),
        plain("neither XML nor JSON", "hello", -40002),
        plain("two roots", format!("{GOOD_XML}{GOOD_XML}"), -40002),
        plain("no MsgType", "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime></xml>", -40002),
        plain("CreateTime not a number", GOOD_XML.replace("1715943329", "soon"), -40002),
        plain("JSON no MsgType", r#"{"ToUserName":"a","FromUserName":"b","CreateTime":1}"#, -40012),
        // Safe-mode body sent without encrypt_type.
        {
            let c = encrypted("encrypted body, plaintext query", &good_encrypt, false, -40002);
            plain("encrypted body, plaintext query", c.body, -40002)
        },
        // Encrypted content problems (correctly signed).
        encrypted("Encrypt not base64", "@@@@", false, -40010),
        encrypted("Encrypt wrong length", "AAAA", false, -40007),
        encrypted(
            "encrypted for another appId",
            &WxBizMsgCrypt::new(TOKEN, KEY, "wxother").unwrap().encrypt(GOOD_XML, &[1; 16]).unwrap(),
            false,
            -40005,
        ),
        encrypted("decrypted DTD", &encrypt_of("<!DOCTYPE x><xml/>"), false, -40002),
        encrypted("decrypted deep JSON", &encrypt_of(&"{\"a\":".repeat(64)), true, -41003),
        encrypted("decrypted truncated XML", &encrypt_of(&GOOD_XML[..50]), false, -40002),
        encrypted("decrypted garbage", &encrypt_of("not a push"), true, -40012),
    ];
    // Timestamps that are not canonical decimal seconds, each correctly signed as spelled: the
    // sorted signature cannot tell a spelling from another, so only the canonical one counts.
    for (name, ts) in [
        ("timestamp with a leading zero", "01715943329"),
        ("timestamp with leading zeros (10 digits)", "0001715943"),
        ("timestamp with a plus sign", "+1715943329"),
        ("timestamp with a space", " 1715943329"),
        ("timestamp of 11 digits", "17159433290"),
        ("timestamp zero", "0"),
        ("timestamp negative", "-1"),
        ("timestamp in milliseconds", "1715943329000"),
    ] {
        let mut c = plain(name, GOOD_XML, -41004);
        c.signature = Some(hex_str(&signature(TOKEN, ts, NONCE, None)).into());
        c.timestamp = Some(ts.into());
        v.push(c);
    }
    // Stale and future timestamps, correctly signed for them.
    for (name, ts) in [
        ("stale timestamp", NOW - 301),
        ("future timestamp", NOW + 301),
    ] {
        let ts = ts.to_string();
        let mut c = plain(name, GOOD_XML, -41001);
        c.signature = Some(hex_str(&signature(TOKEN, &ts, NONCE, None)).into());
        c.timestamp = Some(ts);
        v.push(c);
    }
    v
}

#[test]
fn hostile_pushes_get_their_codes_and_leave_the_receiver_working() {
    let r = receiver();
    let mut count = 0;
    for c in cases() {
        let err = match run(&r, &c, NOW) {
            Ok(push) => panic!("{}: accepted: {push:?}", c.name),
            Err(e) => e,
        };
        assert_eq!(err.code(), c.want, "{}: {err}", c.name);
        assert!(
            !err.message().contains(TOKEN),
            "{}: leaks the token",
            c.name
        );
        assert!(!err.message().contains(KEY), "{}: leaks the key", c.name);
        assert_still_works(&r);
        count += 1;
    }
    assert!(count >= 40, "{count}");
}

#[test]
fn compatible_mode_never_trusts_the_plaintext_fields() {
    let r = receiver();
    let encrypt = encrypt_of(GOOD_XML);
    for json in [false, true] {
        let mut c = encrypted("tampered compatible", &encrypt, json, 0);
        let tampered = if json {
            format!(
                r#"{{"ToUserName":"gh_1","FromUserName":"attacker","CreateTime":1,"MsgType":"text","Content":"transfer all money","MsgId":1,"Encrypt":"{encrypt}"}}"#
            )
        } else {
            format!("<xml><ToUserName>gh_1</ToUserName><FromUserName>attacker</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>transfer all money</Content><MsgId>1</MsgId><Encrypt>{encrypt}</Encrypt></xml>")
        };
        c.body = tampered.into_bytes();
        let push = run(&r, &c, NOW).unwrap();
        assert_eq!(push.mode, wechat_kf::push::Mode::Compatible);
        assert_eq!(push.message.from_user_name, "o_1");
        assert_eq!(push.message.field("Content").as_deref(), Some("hi"));
        assert_eq!(push.message.msg_id.as_deref(), Some("6054768590064713728"));
        assert_eq!(push.dedup_key, "msg:gh_1:6054768590064713728");
    }
}

#[test]
fn random_bytes_never_panic() {
    // xorshift: deterministic junk bodies of every shape, in both modes.
    let r = receiver();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"<>/![]CDATA{}\":,xml&;#0123456789 \n\xff\xc3ToUserNameEncryptMsgType";
    for i in 0..3000 {
        let len = (next() % 200) as usize;
        let body: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let mut c = plain("junk", body, 0);
        if i % 2 == 0 {
            c.encrypt_type = Some("aes");
            c.msg_signature = Some("0".repeat(40));
        }
        let _ = run(&r, &c, NOW);
    }
    assert_still_works(&r);
}

#[test]
fn plaintext_pushes_are_refused_by_default_when_a_key_is_configured() {
    // In plaintext mode `signature` covers token, timestamp and nonce only, so anyone who saw
    // one push URL could send any body with it (and, reusing a real MsgId, make the genuine
    // encrypted push be dropped as a duplicate): a receiver with a key refuses plaintext.
    let strict = Receiver::new(crypt(), Limits::default());
    let sig = plain_sig();
    let query = PushQuery {
        signature: Some(&sig),
        timestamp: Some(TS),
        nonce: Some(NONCE),
        ..Default::default()
    };
    let body = b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>forged</Content><MsgId>1</MsgId></xml>";
    let err = strict.receive(&query, body, None, NOW).unwrap_err();
    assert_eq!(
        (err.code(), err.kind().as_str()),
        (-41005, "PlaintextRefused")
    );
    // Opting in (allow_plaintext) accepts the same push, so the refusal is the default's doing.
    assert!(receiver().receive(&query, body, None, NOW).is_ok());
}

/// An encrypted push of `plaintext`, signed over the given timestamp and nonce.
fn encrypted_at(plaintext: &str, timestamp: &str, nonce: &str) -> (String, String) {
    let encrypt = encrypt_of(plaintext);
    let msg_signature = crypt().msg_signature(timestamp, nonce, &encrypt);
    let body = format!("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    (body, msg_signature)
}

fn receive_encrypted(
    r: &Receiver,
    body: &str,
    msg_signature: &str,
    timestamp: &str,
    nonce: &str,
    now: u64,
) -> wechat_kf::Result<wechat_kf::push::Push> {
    r.receive(
        &PushQuery {
            timestamp: Some(timestamp),
            nonce: Some(nonce),
            encrypt_type: Some("aes"),
            msg_signature: Some(msg_signature),
            ..Default::default()
        },
        body.as_bytes(),
        None,
        now,
    )
}

#[test]
fn swapping_timestamp_and_nonce_does_not_reopen_the_window() {
    // A push captured at NOW whose nonce reads as a time 1000 s later: both signatures are over
    // the sorted parts, so swapping timestamp and nonce keeps them valid. At NOW + 1000 the
    // swapped query's timestamp is fresh, but the signed CreateTime is not.
    let nonce = (NOW + 1000).to_string();
    let (body, msg_signature) = encrypted_at(GOOD_XML, TS, &nonce);
    let r = receiver();
    assert!(receive_encrypted(&r, &body, &msg_signature, TS, &nonce, NOW).is_ok());
    let err = receive_encrypted(&r, &body, &msg_signature, &nonce, TS, NOW + 1000).unwrap_err();
    assert_eq!(
        (err.code(), err.kind_str()),
        (-41001, "TimestampOutOfWindow")
    );
    assert!(err.message().contains("CreateTime"), "{err}");
}

#[test]
fn the_signed_create_time_must_lie_in_the_window() {
    let r = receiver();
    for (create_time, ok) in [
        (NOW - 300, true),
        (NOW + 300, true),
        (NOW - 301, false),
        (NOW + 301, false),
        (1, false),
    ] {
        let xml = GOOD_XML.replace("1715943329", &create_time.to_string());
        let (body, msg_signature) = encrypted_at(&xml, TS, NONCE);
        let result = receive_encrypted(&r, &body, &msg_signature, TS, NONCE, NOW);
        match (result, ok) {
            (Ok(push), true) => assert_eq!(push.message.create_time, create_time),
            (Err(e), false) => assert_eq!(e.code(), -41001, "{create_time}: {e}"),
            (other, _) => panic!("CreateTime {create_time}: {other:?}"),
        }
    }
    // Window 0 disables both checks.
    let off = Receiver::new(
        crypt(),
        Limits {
            max_skew_seconds: 0,
            ..Limits::default()
        },
    );
    let (body, msg_signature) = encrypted_at(&GOOD_XML.replace("1715943329", "1"), TS, NONCE);
    assert!(receive_encrypted(&off, &body, &msg_signature, TS, NONCE, NOW + 10_000_000).is_ok());
    // The canonical form is checked even then.
    let (body, msg_signature) = encrypted_at(GOOD_XML, "01715943329", NONCE);
    let err =
        receive_encrypted(&off, &body, &msg_signature, "01715943329", NONCE, NOW).unwrap_err();
    assert_eq!(err.code(), -41004);
}

/// Hostile structures for the XML reader (and the JSON one), with the default 1 MB limit:
/// each answered with its code (or parsed, where the push is legal) in bounded time, and the
/// receiver still working afterwards.
#[test]
fn hostile_structures_are_answered_in_bounded_time() {
    let r = Receiver::new(
        crypt(),
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    );
    let head = "<ToUserName>gh_1</ToUserName><FromUserName>o_1</FromUserName><CreateTime>1715943329</CreateTime><MsgType>x</MsgType>";
    let wrap = |inner: &str| format!("<xml>{head}{inner}</xml>");
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"\"")).collect();
    let refused: Vec<(&str, String, i32)> = vec![
        ("33 levels", wrap(&format!("{}1{}", "<a>".repeat(32), "</a>".repeat(32))), -40002),
        ("100,000 levels", wrap(&"<a>".repeat(100_000)), -40002),
        ("100,000 siblings", wrap(&"<a/>".repeat(100_000)), -40002),
        ("100,000 nested siblings", wrap(&format!("<A>{}</A>", "<b>1</b>".repeat(100_000))), -40002),
        ("100,000 attributes", wrap(&format!("<A{attributes}>1</A>")), -40002),
        ("duplicate attributes", wrap("<A b=\"1\" b=\"2\">1</A>"), -40002),
        ("billion laughs", format!("<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>{}", wrap("<A>&b;</A>")), -40002),
        ("external entity in a nested field", wrap("<A><B>&xxe;</B></A>"), -40002),
        ("character reference beyond Unicode", wrap("<A><B>&#x110000;</B></A>"), -40002),
        ("character reference to a surrogate", wrap("<A>&#xD800;</A>"), -40002),
        ("character reference to NUL", wrap("<A>&#0;</A>"), -40002),
        ("entity without ';' at the end", wrap("<A>&amp</A>"), -40002),
        ("]]> outside CDATA in a nested field", wrap("<A><B><![CDATA[x]]>y]]></B></A>"), -40002),
        ("text beside nested fields", wrap("<A><B>1</B>stray</A>"), -40002),
        ("__proto__ nested", wrap("<A><__proto__><polluted>1</polluted></__proto__></A>"), -40002),
        ("a JSON array of 100,000 items", format!("{{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o_1\",\"CreateTime\":1715943329,\"MsgType\":\"x\",\"L\":[{}1]}}", "1,".repeat(99_999)), -40012),
        ("50,000 JSON members", format!("{{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o_1\",\"CreateTime\":1715943329,\"MsgType\":\"x\"{}}}", (0..50_000).map(|i| format!(",\"k{i}\":{{}}")).collect::<String>()), -40012),
        ("constructor nested in JSON", r#"{"ToUserName":"gh_1","FromUserName":"o_1","CreateTime":1715943329,"MsgType":"x","A":[{"constructor":{"prototype":{}}}]}"#.to_string(), -40012),
    ];
    for (name, body, want) in &refused {
        let started = std::time::Instant::now();
        let err = run(&r, &plain("structure", body.clone(), 0), NOW).expect_err(name);
        assert_eq!(err.code(), *want, "{name}: {err}");
        assert!(
            started.elapsed().as_secs() < 10,
            "{name}: {:?}",
            started.elapsed()
        );
        assert_still_works(&r);
    }
    // Legal but large or tricky: parsed, exactly.
    type Check = Box<dyn Fn(&wechat_kf::push::Push)>;
    let cases: Vec<(&str, String, Check)> = vec![
        (
            "9,000 repeated fields and 900 distinct ones",
            wrap(&format!(
                "{}{}",
                "<Actions>a</Actions>".repeat(9_000),
                (0..900).map(|i| format!("<F{i}>{i}</F{i}>")).collect::<String>()
            )),
            Box::new(|p| {
                let json = p.to_json();
                assert_eq!(json.matches("\"Actions\"").count(), 1);
                assert_eq!(json.matches("\"a\"").count(), 2 * 9_000);
                assert!(json.contains("\"f899\":\"899\""));
            }),
        ),
        (
            "entities that look like markup stay text",
            wrap("<A><B>&amp;lt;&#60;C&#62;&lt;![CDATA[x]]&gt;</B></A>"),
            Box::new(|p| {
                assert!(p.to_json().contains("\"B\":\"&lt;<C><![CDATA[x]]>\""), "{}", p.to_json());
            }),
        ),
        (
            "]]> split across CDATA sections in a nested field",
            wrap("<A><B><![CDATA[x]]]]><![CDATA[>y]]></B><B><![CDATA[]]]]><![CDATA[>]]></B></A>"),
            Box::new(|p| assert!(p.to_json().contains("\"B\":[\"x]]>y\",\"]]>\"]"), "{}", p.to_json())),
        ),
        (
            "a JSON array of 9,990 items (10,000 values in all)",
            format!("{{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o_1\",\"CreateTime\":1715943329,\"MsgType\":\"x\",\"L\":[{}1],\"M\":[]}}", "1,".repeat(9_989)),
            Box::new(|p| assert!(p.to_json().matches(",1").count() >= 9_989)),
        ),
    ];
    for (name, body, check) in &cases {
        let started = std::time::Instant::now();
        let push = run(&r, &plain("structure", body.clone(), 0), NOW)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&push);
        assert!(
            started.elapsed().as_secs() < 10,
            "{name}: {:?}",
            started.elapsed()
        );
        assert_still_works(&r);
    }
}
