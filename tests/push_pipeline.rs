//! The inbound pipeline end to end: every mode × format × message/event type, pushes made from
//! the known-answer vectors and pushes made by the package's own encryption, replies.

mod common;

use common::{s, vectors};
use wechat_kf::crypto::{hex_str, signature, Format};
use wechat_kf::message::{Kind, RawValue};
use wechat_kf::push::{Limits, Mode, Push, PushQuery, Receiver};
use wechat_kf::WxBizMsgCrypt;

const TOKEN: &str = "pipeline-token";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";
const NOW: u64 = 1_715_943_329;
const NONCE: &str = "1590219412";

/// A keyed receiver that also accepts plaintext pushes (opted in), so that every mode runs
/// through one receiver; the default refusal is tested in `plaintext_mode_rules`.
fn receiver() -> Receiver {
    Receiver::new(
        WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap(),
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    )
}

/// (field name, value, is number) of one sample push.
type Fields = Vec<(&'static str, String, bool)>;

fn header(msg_type: &str) -> Fields {
    vec![
        ("ToUserName", "gh_97417a04a28d".into(), false),
        ("FromUserName", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY".into(), false),
        ("CreateTime", NOW.to_string(), true),
        ("MsgType", msg_type.into(), false),
    ]
}

fn samples() -> Vec<(&'static str, Fields)> {
    let with = |mut base: Fields, more: &[(&'static str, &str, bool)]| {
        base.extend(more.iter().map(|(n, v, num)| (*n, v.to_string(), *num)));
        base
    };
    let event = |name: &str, more: &[(&'static str, &str, bool)]| {
        let mut f = header("event");
        f.push(("Event", name.into(), false));
        with(f, more)
    };
    vec![
        (
            "text",
            with(
                header("text"),
                &[
                    ("Content", "  你好 <b>&amp; ]]> \"q\"\n", false),
                    ("MsgId", "23456789012345678901", true),
                ],
            ),
        ),
        (
            "image",
            with(
                header("image"),
                &[
                    ("PicUrl", "http://mmbiz.qpic.cn/x?a=1&b=2", false),
                    ("MediaId", "media-1", false),
                    ("MsgId", "9223372036854775807", true),
                ],
            ),
        ),
        (
            "miniprogrampage",
            with(
                header("miniprogrampage"),
                &[
                    ("MsgId", "6054768590064713728", true),
                    ("Title", "Title", false),
                    ("AppId", "wxapp", false),
                    ("PagePath", "pages/index?x=1", false),
                    ("ThumbUrl", "http://t/1.jpg", false),
                    ("ThumbMediaId", "thumb-1", false),
                ],
            ),
        ),
        (
            "user_enter_tempsession",
            event("user_enter_tempsession", &[("SessionFrom", "weapp", false)]),
        ),
        (
            "kf_create_session",
            event("kf_create_session", &[("KfAccount", "test1@test", false)]),
        ),
        (
            "kf_close_session",
            event(
                "kf_close_session",
                &[
                    ("KfAccount", "test1@test", false),
                    ("CloseType", "1", false),
                ],
            ),
        ),
        (
            "kf_switch_session",
            event(
                "kf_switch_session",
                &[
                    ("FromKfAccount", "a@test", false),
                    ("ToKfAccount", "b@test", false),
                ],
            ),
        ),
        (
            "business",
            with(
                header("text"),
                &[
                    ("Content", "this is a test", false),
                    ("MsgId", "1234567890123456", true),
                    ("BusinessId", "1", true),
                ],
            ),
        ),
        (
            "unknown-type",
            with(
                header("voice"),
                &[
                    ("MediaId", "v1", false),
                    ("Format", "amr", false),
                    ("MsgId", "77", true),
                ],
            ),
        ),
        (
            "unknown-event",
            event("debug_demo", &[("debug_str", "hello world", false)]),
        ),
    ]
}

fn to_xml(fields: &Fields) -> String {
    let mut out = String::from("<xml>\n");
    for (name, value, num) in fields {
        let mut el = String::new();
        if *num {
            el = format!("<{name}>{value}</{name}>");
        } else {
            wechat_kf::xml::push_element(&mut el, name, value);
        }
        out.push_str(&el);
        out.push('\n');
    }
    out.push_str("</xml>");
    out
}

fn to_json(fields: &Fields) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(name, value, num)| {
            if *num {
                format!("\"{name}\":{value}")
            } else {
                format!("\"{name}\":{}", serde_json::to_string(value).unwrap())
            }
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

fn plaintext(fields: &Fields, format: Format) -> String {
    match format {
        Format::Xml => to_xml(fields),
        Format::Json => to_json(fields),
    }
}

struct Request {
    signature: String,
    msg_signature: Option<String>,
    encrypt_type: Option<&'static str>,
    body: String,
}

fn request(crypt: &WxBizMsgCrypt, fields: &Fields, format: Format, mode: Mode) -> Request {
    let ts = NOW.to_string();
    let sig = hex_str(&signature(TOKEN, &ts, NONCE, None)).to_string();
    let plain = plaintext(fields, format);
    if mode == Mode::Plaintext {
        return Request {
            signature: sig,
            msg_signature: None,
            encrypt_type: None,
            body: plain,
        };
    }
    let encrypt = crypt.encrypt(&plain, &[9u8; 16]).unwrap();
    let msg_signature = crypt.msg_signature(&ts, NONCE, &encrypt);
    let mut envelope: Fields = if mode == Mode::Compatible {
        fields.clone()
    } else {
        vec![("ToUserName", "gh_97417a04a28d".into(), false)]
    };
    envelope.push(("Encrypt", encrypt, false));
    Request {
        signature: sig,
        msg_signature: Some(msg_signature),
        encrypt_type: Some("aes"),
        body: plaintext(&envelope, format),
    }
}

fn receive(r: &Receiver, req: &Request, now: u64) -> wechat_kf::Result<Push> {
    let ts = NOW.to_string();
    r.receive(
        &PushQuery {
            signature: Some(&req.signature),
            timestamp: Some(&ts),
            nonce: Some(NONCE),
            openid: Some("o9AgO5Kd5ggOC-bXrbNODIiE3bGY"),
            encrypt_type: req.encrypt_type,
            msg_signature: req.msg_signature.as_deref(),
        },
        req.body.as_bytes(),
        None,
        now,
    )
}

fn value_of<'a>(fields: &'a Fields, name: &str) -> &'a str {
    &fields.iter().find(|(n, _, _)| *n == name).unwrap().1
}

fn check(name: &str, fields: &Fields, push: &Push) {
    let m = &push.message;
    assert_eq!(m.to_user_name, value_of(fields, "ToUserName"), "{name}");
    assert_eq!(m.from_user_name, value_of(fields, "FromUserName"), "{name}");
    assert_eq!(m.create_time, NOW, "{name}");
    assert_eq!(m.msg_type, value_of(fields, "MsgType"), "{name}");
    for (field, value, _) in fields {
        assert_eq!(
            m.field(field).as_deref(),
            Some(value.as_str()),
            "{name} raw {field}"
        );
    }
    match name {
        "text" => assert_eq!(
            m.kind,
            Kind::Text {
                content: value_of(fields, "Content").into()
            }
        ),
        // Every typed field compared whole, so a field read from the wrong element fails.
        "image" => assert_eq!(
            m.kind,
            Kind::Image {
                pic_url: "http://mmbiz.qpic.cn/x?a=1&b=2".into(),
                media_id: "media-1".into()
            }
        ),
        "miniprogrampage" => assert_eq!(
            m.kind,
            Kind::MiniProgramPage {
                title: "Title".into(),
                app_id: "wxapp".into(),
                page_path: "pages/index?x=1".into(),
                thumb_url: "http://t/1.jpg".into(),
                thumb_media_id: "thumb-1".into()
            }
        ),
        "user_enter_tempsession" => assert_eq!(
            m.kind,
            Kind::UserEnterTempSession {
                session_from: "weapp".into()
            }
        ),
        "kf_create_session" => assert_eq!(
            m.kind,
            Kind::KfCreateSession {
                kf_account: "test1@test".into()
            }
        ),
        "kf_close_session" => assert_eq!(
            m.kind,
            Kind::KfCloseSession {
                kf_account: "test1@test".into(),
                close_type: "1".into()
            }
        ),
        "kf_switch_session" => assert_eq!(
            m.kind,
            Kind::KfSwitchSession {
                from_kf_account: "a@test".into(),
                to_kf_account: "b@test".into()
            }
        ),
        "business" => {
            assert_eq!(m.business_id, Some(1));
            assert_eq!(
                m.kind,
                Kind::Text {
                    content: "this is a test".into()
                }
            );
        }
        "unknown-type" | "unknown-event" => assert_eq!(m.kind, Kind::Other),
        _ => unreachable!(),
    }
    if m.msg_type == "event" {
        assert_eq!(m.msg_id, None, "{name}");
        assert_eq!(m.event.as_deref(), Some(value_of(fields, "Event")));
        assert!(push
            .dedup_key
            .starts_with("event:gh_97417a04a28d:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1715943329:"));
    } else {
        assert_eq!(
            m.msg_id.as_deref(),
            Some(value_of(fields, "MsgId")),
            "{name}"
        );
        assert_eq!(
            push.dedup_key,
            format!("msg:gh_97417a04a28d:{}", value_of(fields, "MsgId"))
        );
    }
    // The JSON handed to JavaScript parses, and keeps ids exact.
    let json: serde_json::Value = serde_json::from_str(&push.to_json()).unwrap();
    assert_eq!(json["message"]["msgType"], m.msg_type.as_str());
    if let Some(id) = &m.msg_id {
        assert_eq!(json["message"]["msgId"], id.as_str(), "{name}");
    }
    assert_eq!(json["message"]["createTime"], NOW);
    assert_eq!(json["mode"], push.mode.as_str());
    assert_eq!(json["format"], push.format.as_str());
    assert_eq!(json["known"], !name.starts_with("unknown"), "{name}");
}

#[test]
fn every_mode_format_and_type() {
    let r = receiver();
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let mut count = 0;
    for mode in [Mode::Plaintext, Mode::Compatible, Mode::Safe] {
        for format in [Format::Xml, Format::Json] {
            for (name, fields) in samples() {
                let req = request(&crypt, &fields, format, mode);
                let push = receive(&r, &req, NOW)
                    .unwrap_or_else(|e| panic!("{name} {mode:?} {format:?}: {e}\n{}", req.body));
                assert_eq!(push.mode, mode, "{name}");
                assert_eq!(push.format, format, "{name}");
                check(name, &fields, &push);
                count += 1;
            }
        }
    }
    assert_eq!(count, 60);
}

#[test]
fn json_ids_stay_exact_and_raw_big_numbers_become_strings() {
    let r = receiver();
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let fields = samples().remove(0).1;
    let req = request(&crypt, &fields, Format::Json, Mode::Safe);
    let push = receive(&r, &req, NOW).unwrap();
    let json: serde_json::Value = serde_json::from_str(&push.to_json()).unwrap();
    assert_eq!(json["message"]["msgId"], "23456789012345678901");
    assert_eq!(json["message"]["raw"]["MsgId"], "23456789012345678901");
    assert_eq!(json["message"]["raw"]["CreateTime"], NOW);
}

fn vector(id: &str) -> serde_json::Value {
    vectors().into_iter().find(|v| v["id"] == id).unwrap()
}

fn vector_push(id: &str, compat: bool, format: Format) -> wechat_kf::Result<Push> {
    vector_push_with(id, compat, format, Limits::default())
}

fn vector_push_with(
    id: &str,
    compat: bool,
    format: Format,
    limits: Limits,
) -> wechat_kf::Result<Push> {
    let v = vector(id);
    let r = Receiver::new(
        WxBizMsgCrypt::new(s(&v, "token"), s(&v, "encodingAESKey"), s(&v, "appId")).unwrap(),
        limits,
    );
    let mut envelope: Fields = vec![("ToUserName", "gh_x".into(), false)];
    if compat {
        envelope.push(("MsgType", "text".into(), false));
        envelope.push(("Content", "tampered: never trusted".into(), false));
        envelope.push(("FromUserName", "attacker".into(), false));
    }
    envelope.push(("Encrypt", s(&v, "encrypt").into(), false));
    let body = plaintext(&envelope, format);
    let ts: u64 = s(&v, "timestamp").parse().unwrap();
    r.receive(
        &PushQuery {
            signature: None,
            timestamp: Some(s(&v, "timestamp")),
            nonce: Some(s(&v, "nonce")),
            openid: None,
            encrypt_type: Some("aes"),
            msg_signature: Some(s(&v, "msgSignature")),
        },
        body.as_bytes(),
        None,
        ts + 10,
    )
}

#[test]
fn vector_pushes_in_safe_and_compatible_modes() {
    for format in [Format::Xml, Format::Json] {
        for compat in [false, true] {
            let push = vector_push("oa-python-sample-compat", compat, format).unwrap();
            assert_eq!(
                push.mode,
                if compat { Mode::Compatible } else { Mode::Safe }
            );
            let m = &push.message;
            // The decrypted fields, never the plaintext ones beside Encrypt.
            assert_eq!(
                m.kind,
                Kind::Text {
                    content: "abcdteT".into()
                }
            );
            assert_eq!(m.from_user_name, "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
            assert_eq!(m.msg_id.as_deref(), Some("6054768590064713728"));
            assert_eq!(m.create_time, 1_409_735_668);
            assert_eq!(push.format, format);

            let push = vector_push("miniprogram-docs-push", compat, format).unwrap();
            let m = &push.message;
            assert_eq!(m.msg_type, "event");
            assert_eq!(m.event.as_deref(), Some("debug_demo"));
            assert_eq!(m.kind, Kind::Other);
            assert_eq!(m.field("debug_str").as_deref(), Some("hello world"));
            assert_eq!(
                push.dedup_key,
                "event:gh_97417a04a28d:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1715943329:debug_demo"
            );

            // Its CreateTime (1234567898) is years before its query timestamp: only with the
            // replay window off (see easywechat_vector_is_outside_the_create_time_window).
            let off = Limits {
                max_skew_seconds: 0,
                ..Limits::default()
            };
            let push = vector_push_with("easywechat-pad21", compat, format, off).unwrap();
            assert_eq!(
                push.message.kind,
                Kind::Text {
                    content: "hello".into()
                }
            );
            assert_eq!(
                push.message.field("URL").as_deref(),
                Some("http://wechat.laravel.so/server")
            );
        }
    }
}

#[test]
fn easywechat_vector_is_outside_the_create_time_window() {
    // Correctly signed, with a query timestamp inside the window, but the signed CreateTime is
    // 223 732 778 s older: an encrypted push is judged by its CreateTime too.
    let err = vector_push("easywechat-pad21", false, Format::Xml).unwrap_err();
    assert_eq!(
        (err.code(), err.kind_str()),
        (-41001, "TimestampOutOfWindow")
    );
    assert!(err.message().contains("CreateTime"), "{err}");
}

#[test]
fn vector_plaintext_push() {
    let v = vector("oa-python-sample-plain-signature");
    // A plaintext-mode account: the token only.
    let r = Receiver::new(
        WxBizMsgCrypt::without_key(s(&v, "token")).unwrap(),
        Limits::default(),
    );
    let body = s(&vector("oa-python-sample-compat"), "plaintext").to_string();
    let push = r
        .receive(
            &PushQuery {
                signature: Some(s(&v, "signature")),
                timestamp: Some(s(&v, "timestamp")),
                nonce: Some(s(&v, "nonce")),
                ..PushQuery::default()
            },
            body.as_bytes(),
            Some("text/xml"),
            1_409_735_669,
        )
        .unwrap();
    assert_eq!(push.mode, Mode::Plaintext);
    assert_eq!(
        push.message.kind,
        Kind::Text {
            content: "abcdteT".into()
        }
    );
    // Text kept as sent: the newlines between elements are not part of any field.
    assert_eq!(push.message.raw.len(), 6);
    assert!(matches!(&push.message.raw[0].1, RawValue::Text(t) if t == "gh_10f6c3c3ac5a"));
}

#[test]
fn xml_text_and_entities_are_kept_as_sent() {
    let r = receiver();
    let ts = NOW.to_string();
    let sig = hex_str(&signature(TOKEN, &ts, NONCE, None)).to_string();
    let body = "<?xml version=\"1.0\"?>\n<xml><ToUserName>gh_1</ToUserName><FromUserName>o&amp;1</FromUserName>\
        <CreateTime> 1715943329 </CreateTime><MsgType>text</MsgType>\
        <Content>  a &lt;b&gt; &#x4F60;<![CDATA[ ]]]]><![CDATA[> ]]>\r\n </Content><MsgId>1</MsgId></xml>";
    let push = r
        .receive(
            &PushQuery {
                signature: Some(&sig),
                timestamp: Some(&ts),
                nonce: Some(NONCE),
                ..PushQuery::default()
            },
            body.as_bytes(),
            None,
            NOW,
        )
        .unwrap();
    assert_eq!(push.message.from_user_name, "o&1");
    assert_eq!(
        push.message.kind,
        Kind::Text {
            content: "  a <b> 你 ]]> \r\n ".into()
        }
    );
}

#[test]
fn transfer_replies_in_every_mode_and_format() {
    let r = receiver();
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let random = [3u8; 16];
    for mode in [Mode::Plaintext, Mode::Compatible, Mode::Safe] {
        for format in [Format::Xml, Format::Json] {
            let mut fields = samples().remove(0).1;
            // Hostile ids must not break the reply.
            fields[1].1 = "o]]>\"<x>\\\u{1}".into();
            let req = request(&crypt, &fields, format, mode);
            let push = receive(&r, &req, NOW).unwrap();
            let reply = wechat_kf::push::transfer_reply(
                r.crypt(),
                &push.reply_target(),
                "1715943400",
                "123456789",
                &random,
            )
            .unwrap();
            let plain = if mode == Mode::Plaintext {
                reply.clone()
            } else {
                let (encrypt, f) = wechat_kf::crypto::read_encrypt(&reply).unwrap();
                assert_eq!(f, format);
                // The envelope verifies with its own timestamp and nonce.
                let sig = match format {
                    Format::Xml => wechat_kf::xml::read_document(&reply)
                        .unwrap()
                        .into_iter()
                        .find(|f| f.name == "MsgSignature")
                        .unwrap()
                        .node
                        .as_text()
                        .unwrap()
                        .to_owned(),
                    Format::Json => serde_json::from_str::<serde_json::Value>(&reply).unwrap()
                        ["MsgSignature"]
                        .as_str()
                        .unwrap()
                        .into(),
                };
                crypt
                    .decrypt_message(&sig, "1715943400", "123456789", &reply)
                    .unwrap();
                crypt.decrypt(&encrypt).unwrap().plaintext
            };
            let parsed = wechat_kf::message::parse(&plain, format, 32).unwrap();
            assert_eq!(parsed.msg_type, "transfer_customer_service");
            assert_eq!(
                parsed.to_user_name,
                "o]]>\"<x>\\\u{1}".replace(
                    '\u{1}',
                    match format {
                        Format::Xml => "\u{FFFD}",
                        Format::Json => "\u{1}",
                    }
                )
            );
            assert_eq!(parsed.from_user_name, "gh_97417a04a28d");
            assert_eq!(parsed.create_time, 1_715_943_400);
        }
    }
}

#[test]
fn events_are_not_transferred() {
    let r = receiver();
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let fields = samples().remove(3).1;
    let push = receive(&r, &request(&crypt, &fields, Format::Xml, Mode::Safe), NOW).unwrap();
    let err = wechat_kf::push::transfer_reply(r.crypt(), &push.reply_target(), "1", "1", &[0; 16])
        .unwrap_err();
    assert_eq!(err.code(), -40011);
}

#[test]
fn replay_window_is_configurable() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let fields = samples().remove(0).1;
    let req = request(&crypt, &fields, Format::Xml, Mode::Safe);
    let default = receiver();
    assert!(receive(&default, &req, NOW + 300).is_ok());
    assert!(receive(&default, &req, NOW - 300).is_ok());
    assert_eq!(
        receive(&default, &req, NOW + 301).unwrap_err().code(),
        -41001
    );
    assert_eq!(
        receive(&default, &req, NOW - 301).unwrap_err().code(),
        -41001
    );
    let tight = Receiver::new(
        crypt.clone(),
        Limits {
            max_skew_seconds: 5,
            ..Limits::default()
        },
    );
    assert_eq!(receive(&tight, &req, NOW + 6).unwrap_err().code(), -41001);
    let off = Receiver::new(
        crypt,
        Limits {
            max_skew_seconds: 0,
            ..Limits::default()
        },
    );
    assert!(receive(&off, &req, 0).is_ok());
    assert!(receive(&off, &req, NOW + 10_000_000).is_ok());
}

#[test]
fn url_verification() {
    let v = vector("miniprogram-docs-url");
    let r = Receiver::new(
        WxBizMsgCrypt::new(s(&v, "token"), KEY, APP_ID).unwrap(),
        Limits::default(),
    );
    let request = wechat_kf::crypto::UrlVerification {
        signature: Some(s(&v, "signature")),
        msg_signature: None,
        timestamp: s(&v, "timestamp"),
        nonce: s(&v, "nonce"),
        echostr: "4375120948345356249",
    };
    assert_eq!(
        r.verify_url(&request, 1_714_036_504).unwrap(),
        "4375120948345356249"
    );
    assert_eq!(
        r.verify_url(&request, 1_714_036_504 + 3600)
            .unwrap_err()
            .code(),
        -41001
    );
    let bad = wechat_kf::crypto::UrlVerification {
        signature: Some("00"),
        ..request
    };
    assert_eq!(
        r.verify_url(&bad, 1_714_036_504).unwrap_err().code(),
        -40001
    );
}

/// The push receiver verifies URLs in the platform's plain form only: a `msg_signature` query
/// (WeCom's encrypted form) is refused before anything is decrypted, even when it is genuine.
#[test]
fn url_verification_refuses_the_encrypted_form() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let encrypt = crypt.encrypt("echo-1", &[3; 16]).unwrap();
    let msg_signature = crypt.msg_signature("1714036504", "7", &encrypt);
    let r = Receiver::new(crypt, Limits::default());
    let request = wechat_kf::crypto::UrlVerification {
        signature: None,
        msg_signature: Some(&msg_signature),
        timestamp: "1714036504",
        nonce: "7",
        echostr: &encrypt,
    };
    let error = r.verify_url(&request, 1_714_036_504).unwrap_err();
    assert_eq!(error.code(), -41004);
    assert_eq!(error.kind_str(), "InvalidQuery");
}

#[test]
fn plaintext_mode_rules() {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    let fields = samples().remove(0).1;
    let plain = request(&crypt, &fields, Format::Xml, Mode::Plaintext);
    let safe = request(&crypt, &fields, Format::Json, Mode::Safe);

    // A key is configured: plaintext pushes are refused by default (a plaintext body is covered
    // by no signature), with a message that says what to do; encrypted ones are accepted.
    let keyed = Receiver::new(crypt.clone(), Limits::default());
    let err = receive(&keyed, &plain, NOW).unwrap_err();
    assert_eq!((err.code(), err.kind_str()), (-41005, "PlaintextRefused"));
    assert!(err.message().contains("安全模式"), "{err}");
    assert!(err.message().contains("allowPlaintext"), "{err}");
    assert!(!err.message().contains(TOKEN) && !err.message().contains(KEY));
    assert_eq!(receive(&keyed, &safe, NOW).unwrap().mode, Mode::Safe);

    // Opting in accepts both.
    let both = receiver();
    assert_eq!(receive(&both, &plain, NOW).unwrap().mode, Mode::Plaintext);
    assert_eq!(receive(&both, &safe, NOW).unwrap().mode, Mode::Safe);

    // No key (a plaintext-mode account): plaintext only, whatever allow_plaintext says.
    for allow_plaintext in [false, true] {
        let keyless = Receiver::new(
            WxBizMsgCrypt::without_key(TOKEN).unwrap(),
            Limits {
                allow_plaintext,
                ..Limits::default()
            },
        );
        let push = receive(&keyless, &plain, NOW).unwrap();
        assert_eq!(push.mode, Mode::Plaintext);
        assert_eq!(push.message.msg_id.as_deref(), Some("23456789012345678901"));
        let err = receive(&keyless, &safe, NOW).unwrap_err();
        assert_eq!((err.code(), err.kind_str()), (-40004, "IllegalAesKey"));
        assert!(err.message().contains("EncodingAESKey"), "{err}");
    }
    assert_eq!(WxBizMsgCrypt::without_key("").unwrap_err().code(), -41006);
    assert_eq!(
        WxBizMsgCrypt::without_key(TOKEN)
            .unwrap()
            .decrypt("AAAA")
            .unwrap_err()
            .code(),
        -40004
    );
}

#[test]
fn url_verification_plain_form_works_for_every_account() {
    // The platform sends the verification GET in its plain form whatever the mode.
    let ts = NOW.to_string();
    let sig = hex_str(&signature(TOKEN, &ts, NONCE, None)).to_string();
    let request = wechat_kf::crypto::UrlVerification {
        signature: Some(&sig),
        msg_signature: None,
        timestamp: &ts,
        nonce: NONCE,
        echostr: "5927782489442352469",
    };
    for crypt in [
        WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap(),
        WxBizMsgCrypt::without_key(TOKEN).unwrap(),
    ] {
        for allow_plaintext in [false, true] {
            let r = Receiver::new(
                crypt.clone(),
                Limits {
                    allow_plaintext,
                    ..Limits::default()
                },
            );
            assert_eq!(r.verify_url(&request, NOW).unwrap(), "5927782489442352469");
        }
    }
}
