//! WeChat Cloud Hosting pushes: the probe in both formats, messages in both formats (64-bit
//! ids exact), the trust rule on `x-wx-source`, limits, and the unsigned push builder.

use wechat_kf::crypto::Format;
use wechat_kf::message::Kind;
use wechat_kf::push::{
    cloud_push_body, cloud_transfer_reply, probe_body, receive_cloud, CloudCaller, CloudLimits,
    CloudPush, Mode, ReplyTarget,
};

const XML: &str = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName><CreateTime>1715943329</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>24558315372876789123</MsgId></xml>";
// The platform's JSON example writes MsgId as a JSON number beyond 2^53.
const JSON: &str = r#"{"ToUserName":"gh_1","FromUserName":"o_1","CreateTime":1715943329,"MsgType":"text","Content":"hi","MsgId":9223372036854775807}"#;

fn limits(public_access: bool) -> CloudLimits {
    CloudLimits {
        public_access,
        ..CloudLimits::default()
    }
}

fn push(body: &str, source: Option<&str>, public_access: bool) -> wechat_kf::push::Push {
    match receive_cloud(body.as_bytes(), None, source, &limits(public_access)).unwrap() {
        CloudPush::Push(p) => *p,
        other => panic!("expected a push, got {other:?}"),
    }
}

#[test]
fn the_probe_is_recognised_in_both_formats() {
    for (body, format) in [
        (r#"{"action":"CheckContainerPath"}"#, Format::Json),
        (
            "<xml><action>CheckContainerPath</action></xml>",
            Format::Xml,
        ),
        (
            "<xml><action><![CDATA[CheckContainerPath]]></action></xml>",
            Format::Xml,
        ),
        (" {\n \"action\" : \"CheckContainerPath\" }", Format::Json),
    ] {
        let got = receive_cloud(body.as_bytes(), None, Some("wx"), &limits(true)).unwrap();
        assert_eq!(got, CloudPush::Probe { format }, "{body}");
        assert_eq!(
            got.to_json(),
            format!(r#"{{"probe":true,"format":"{}"}}"#, format.as_str())
        );
    }
    // the builders' probes are probes
    for format in [Format::Xml, Format::Json] {
        let body = probe_body(format);
        let got = receive_cloud(body.as_bytes(), None, None, &limits(false)).unwrap();
        assert_eq!(got, CloudPush::Probe { format });
    }
}

#[test]
fn other_actions_and_messages_with_an_action_field_are_not_probes() {
    let err = receive_cloud(br#"{"action":"Other"}"#, None, None, &limits(false)).unwrap_err();
    assert_eq!(err.code(), -40012);
    let body = r#"{"ToUserName":"gh_1","FromUserName":"o_1","CreateTime":1,"MsgType":"text","Content":"x","action":"CheckContainerPath","MsgId":5}"#;
    assert_eq!(push(body, None, false).message.msg_type, "text");
}

#[test]
fn messages_parse_in_both_formats_with_exact_ids() {
    let p = push(XML, Some("wx_platform"), true);
    assert_eq!(p.mode, Mode::Cloud);
    assert_eq!(p.format, Format::Xml);
    assert_eq!(p.message.msg_id.as_deref(), Some("24558315372876789123"));
    assert_eq!(
        p.message.kind,
        Kind::Text {
            content: "hi".into()
        }
    );
    assert_eq!(p.dedup_key, "msg:gh_1:24558315372876789123");
    let p = push(JSON, None, false);
    assert_eq!(p.format, Format::Json);
    assert_eq!(p.message.msg_id.as_deref(), Some("9223372036854775807"));
    assert_eq!(p.dedup_key, "msg:gh_1:9223372036854775807");
    assert!(p.to_json().contains(r#""mode":"cloud""#));
    assert!(p.to_json().contains(r#""msgId":"9223372036854775807""#));
}

#[test]
fn without_x_wx_source_public_access_refuses_and_private_accepts() {
    let err = receive_cloud(XML.as_bytes(), None, None, &limits(true)).unwrap_err();
    assert_eq!(
        (err.code(), err.kind().as_str()),
        (-41008, "UntrustedSource")
    );
    // refused before the body is even looked at
    let err = receive_cloud(b"garbage", None, None, &limits(true)).unwrap_err();
    assert_eq!(err.code(), -41008);
    let err = receive_cloud(
        probe_body(Format::Json).as_bytes(),
        None,
        None,
        &limits(true),
    )
    .unwrap_err();
    assert_eq!(err.code(), -41008);
    assert_eq!(push(XML, None, false).message.from_user_name, "o_1");
    assert_eq!(push(XML, Some("x"), true).message.from_user_name, "o_1");
}

#[test]
fn limits_apply() {
    let small = CloudLimits {
        max_body_bytes: 10,
        ..limits(false)
    };
    let err = receive_cloud(XML.as_bytes(), None, None, &small).unwrap_err();
    assert_eq!(err.code(), -41002);
    let shallow = CloudLimits {
        max_json_depth: 2,
        ..limits(false)
    };
    let deep =
        r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x","A":[[[[1]]]]}"#;
    let err = receive_cloud(deep.as_bytes(), None, None, &shallow).unwrap_err();
    assert_eq!(err.code(), -41003);
    let err = receive_cloud(b"", None, None, &limits(false)).unwrap_err();
    assert_eq!(err.code(), -40002);
    let err = receive_cloud(b"\xff<xml>", None, None, &limits(false)).unwrap_err();
    assert!(err.code() == -40002 || err.code() == -40012);
    let dtd = "<!DOCTYPE x [<!ENTITY a \"b\">]><xml><action>CheckContainerPath</action></xml>";
    assert!(receive_cloud(dtd.as_bytes(), None, None, &limits(false)).is_err());
}

#[test]
fn the_builder_round_trips_through_the_receiver() {
    let fields: Vec<(String, String)> = [
        ("ToUserName", "gh_1"),
        ("FromUserName", "o_1"),
        ("CreateTime", "1715943329"),
        ("MsgType", "text"),
        ("Content", "a ]]> b \"q\" 123"),
        ("MsgId", "18446744073709551615"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for format in [Format::Xml, Format::Json] {
        let body = cloud_push_body(&fields, format).unwrap();
        if format == Format::Json {
            assert!(body.contains(r#""MsgId":18446744073709551615"#), "{body}");
        } else {
            assert!(
                body.contains("<MsgId>18446744073709551615</MsgId>"),
                "{body}"
            );
        }
        let p = push(&body, None, false);
        assert_eq!(p.message.msg_id.as_deref(), Some("18446744073709551615"));
        assert_eq!(
            p.message.kind,
            Kind::Text {
                content: "a ]]> b \"q\" 123".into()
            }
        );
    }
    let bad = vec![("a<b".to_string(), "x".to_string())];
    assert_eq!(
        cloud_push_body(&bad, Format::Xml).unwrap_err().code(),
        -42002
    );
}

#[test]
fn transfer_replies_are_plaintext_and_never_for_events() {
    let target = ReplyTarget {
        to_user_name: "o_1",
        from_user_name: "gh_1",
        format: Format::Json,
        encrypted: false,
        is_event: false,
    };
    let body = cloud_transfer_reply(&target, "1715943330").unwrap();
    assert!(body.contains(r#""MsgType":"transfer_customer_service""#));
    let event = ReplyTarget {
        is_event: true,
        ..target
    };
    assert_eq!(
        cloud_transfer_reply(&event, "1").unwrap_err().code(),
        -40011
    );
}

#[test]
fn a_body_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused() {
    let exact = CloudLimits {
        max_body_bytes: XML.len(),
        ..limits(false)
    };
    assert!(matches!(
        receive_cloud(XML.as_bytes(), None, None, &exact).unwrap(),
        CloudPush::Push(_)
    ));
    let under = CloudLimits {
        max_body_bytes: XML.len() - 1,
        ..limits(false)
    };
    let err = receive_cloud(XML.as_bytes(), None, None, &under).unwrap_err();
    assert_eq!(err.code(), -41002);
}

#[test]
fn the_builder_writes_bare_numbers_only_for_numeric_fields_with_digits() {
    let fields: Vec<(String, String)> = [
        ("CreateTime", ""),
        ("MsgId", "12a"),
        ("Content", "123"),
        ("BusinessId", "7"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let json = cloud_push_body(&fields, Format::Json).unwrap();
    assert_eq!(
        json,
        r#"{"CreateTime":"","MsgId":"12a","Content":"123","BusinessId":7}"#
    );
    let xml = cloud_push_body(&fields, Format::Xml).unwrap();
    assert_eq!(
        xml,
        "<xml><CreateTime><![CDATA[]]></CreateTime><MsgId><![CDATA[12a]]></MsgId>\
         <Content><![CDATA[123]]></Content><BusinessId>7</BusinessId></xml>"
    );
}

/// A mini program user's own call reaches the container with `x-wx-source` and the caller's
/// openid: a push body in it is refused (-41008) whenever anything says a client sent it.
#[test]
fn requests_that_say_a_client_sent_them_are_refused() {
    let caller = |source, openid, from_openid| CloudCaller {
        source,
        openid,
        from_openid,
    };
    for public_access in [true, false] {
        for refused in [
            caller(Some("wx_client"), None, None),
            caller(Some("WX_CLIENT"), Some("o_1"), None),
            caller(Some("wx_devtools"), None, None),
            caller(Some(" wx_localdebug "), None, None),
            caller(Some(""), None, None),
            caller(Some(" "), None, None),
            caller(Some("other"), Some("o_attacker"), None),
            caller(Some("other"), None, Some("o_attacker")),
            caller(Some("other"), Some("o_1"), Some("o_attacker")),
        ] {
            let err =
                receive_cloud(XML.as_bytes(), None, refused, &limits(public_access)).unwrap_err();
            assert_eq!(err.code(), -41008, "{refused:?} {public_access}");
        }
        // The caller's own openid (or none) with a platform source is a push.
        for accepted in [
            caller(Some("other"), Some("o_1"), None),
            caller(Some("other"), None, Some("o_1")),
            caller(Some("other"), Some(""), None),
        ] {
            assert!(receive_cloud(XML.as_bytes(), None, accepted, &limits(public_access)).is_ok());
        }
    }
    // The list is an option.
    let custom = CloudLimits {
        client_sources: vec!["mine".into()],
        ..CloudLimits::default()
    };
    assert!(receive_cloud(XML.as_bytes(), None, Some("wx_client"), &custom).is_ok());
    assert_eq!(
        receive_cloud(XML.as_bytes(), None, Some("Mine"), &custom)
            .unwrap_err()
            .code(),
        -41008
    );
}
