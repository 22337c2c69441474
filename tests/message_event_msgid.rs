//! Issue 25, every field on the message: a push's `Event` is on the message whatever its
//! `MsgType` (wechatpy's `device_event` with `Event` = `bind`, WxJava's fixtures, text pushes
//! carrying an `Event`); a message that spells its id `MsgID` has it as `msgId` and is keyed by
//! it, while an event's `MsgID` (the id of the message the event reports on: a subscribe or
//! template message sent) is not the push's id; a typed user message always has a `msgId`.

use serde_json::Value;
use wechat_kf::crypto::Format;
use wechat_kf::message::{parse, Message};
use wechat_kf::push::dedup_key;

const HEAD: &str = "<ToUserName>gh_123456789abc</ToUserName><FromUserName>o_user</FromUserName><CreateTime>1715943329</CreateTime>";
const JSON_HEAD: &str =
    r#""ToUserName":"gh_123456789abc","FromUserName":"o_user","CreateTime":1715943329"#;

fn both(fields_xml: &str, fields_json: &str) -> [Message; 2] {
    let x = format!("<xml>{HEAD}{fields_xml}</xml>");
    let j = format!("{{{JSON_HEAD},{fields_json}}}");
    [
        parse(&x, Format::Xml, 32).unwrap_or_else(|e| panic!("{e}: {x}")),
        parse(&j, Format::Json, 32).unwrap_or_else(|e| panic!("{e}: {j}")),
    ]
}

fn out(m: &Message) -> Value {
    serde_json::from_str(&m.to_json()).unwrap()
}

#[test]
fn event_of_a_push_that_is_not_an_event() {
    // wechatpy's device_event fixture: MsgType device_event, Event bind.
    for m in both(
        "<MsgType>device_event</MsgType><Event>bind</Event><DeviceType>gh_1</DeviceType><DeviceID>dev1</DeviceID><Content>Y29udGVudA==</Content><SessionID>9</SessionID><MsgID>1234567890123456789</MsgID><OpenID>o_user</OpenID>",
        r#""MsgType":"device_event","Event":"bind","DeviceType":"gh_1","DeviceID":"dev1","Content":"Y29udGVudA==","SessionID":9,"MsgID":"1234567890123456789","OpenID":"o_user""#,
    ) {
        let o = out(&m);
        assert_eq!(o["known"], false);
        assert_eq!(o["msgType"], "device_event");
        assert_eq!(o["event"], "bind", "{o}");
        assert_eq!(o["raw"]["Event"], "bind");
        // Not an event: its MsgID is its id (the same id spelled otherwise).
        assert_eq!(o["msgId"], "1234567890123456789");
        assert_eq!(dedup_key(&m), "msg:gh_123456789abc:1234567890123456789");
        assert_eq!(o["deviceID"], "dev1", "every field under its camelCase name");
    }
    // A text push carrying an Event (SDK fixtures): typed, with its event.
    for m in both(
        "<MsgType>text</MsgType><Content>hi</Content><MsgId>42</MsgId><Event>user_enter_tempsession</Event>",
        r#""MsgType":"text","Content":"hi","MsgId":42,"Event":"user_enter_tempsession""#,
    ) {
        let o = out(&m);
        assert_eq!(o["known"], true);
        assert_eq!(o["content"], "hi");
        assert_eq!(o["event"], "user_enter_tempsession");
        assert_eq!(o["msgId"], "42");
        // The dedup key of a message is its id, as it always was.
        assert_eq!(dedup_key(&m), "msg:gh_123456789abc:42");
    }
}

#[test]
fn a_message_without_an_id_keeps_its_old_key_whatever_its_event() {
    for m in both(
        "<MsgType>text</MsgType><Content>hi</Content><Event>bind</Event>",
        r#""MsgType":"text","Content":"hi","Event":"bind""#,
    ) {
        let o = out(&m);
        assert_eq!(o["event"], "bind");
        // A typed user message always has a msgId (its type says string): empty here.
        assert_eq!(o["msgId"], "");
        assert_eq!(
            dedup_key(&m),
            "event:gh_123456789abc:o_user:1715943329:text",
            "keyed by its MsgType, as before it had an event"
        );
    }
    for m in both(
        "<MsgType>image</MsgType><PicUrl>p</PicUrl><MediaId>m</MediaId>",
        r#""MsgType":"image","PicUrl":"p","MediaId":"m""#,
    ) {
        let o = out(&m);
        assert_eq!(o["msgId"], "");
        assert!(o.get("event").is_none(), "no Event, no event: {o}");
    }
    // An unknown type without an id gets no msgId (its type says optional).
    for m in both("<MsgType>voice</MsgType>", r#""MsgType":"voice""#) {
        assert!(out(&m).get("msgId").is_none());
    }
}

#[test]
fn msg_id_spelled_msgid_is_the_message_id() {
    for m in both(
        "<MsgType>text</MsgType><Content>hi</Content><MsgID>23456789012345678901</MsgID>",
        r#""MsgType":"text","Content":"hi","MsgID":23456789012345678901"#,
    ) {
        let o = out(&m);
        assert_eq!(o["msgId"], "23456789012345678901");
        assert_eq!(
            o["msgID"], "23456789012345678901",
            "the copy by the naming rule too"
        );
        assert_eq!(dedup_key(&m), "msg:gh_123456789abc:23456789012345678901");
    }
    // Both spellings: MsgId wins.
    for m in both(
        "<MsgType>text</MsgType><Content>hi</Content><MsgID>2</MsgID><MsgId>1</MsgId>",
        r#""MsgType":"text","Content":"hi","MsgID":2,"MsgId":1"#,
    ) {
        assert_eq!(out(&m)["msgId"], "1");
        assert_eq!(dedup_key(&m), "msg:gh_123456789abc:1");
    }
}

#[test]
fn an_events_msgid_is_not_the_push_id() {
    // An official account's template-message result: MsgID is the template message's id.
    for m in both(
        "<MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><MsgID>200163836</MsgID><Status>success</Status>",
        r#""MsgType":"event","Event":"TEMPLATESENDJOBFINISH","MsgID":200163836,"Status":"success""#,
    ) {
        let o = out(&m);
        assert_eq!(o["event"], "TEMPLATESENDJOBFINISH");
        assert!(o.get("msgId").is_none(), "{o}");
        // Text in XML, a number in JSON: the copy keeps what was sent.
        assert_eq!(o["msgID"].to_string().trim_matches('"'), "200163836");
        assert_eq!(
            dedup_key(&m),
            "event:gh_123456789abc:o_user:1715943329:TEMPLATESENDJOBFINISH"
        );
    }
    // subscribe_msg_sent_event: each entry's MsgID is its typed msgId.
    for m in both(
        "<MsgType>event</MsgType><Event>subscribe_msg_sent_event</Event><SubscribeMsgSentEvent><List><TemplateId>t</TemplateId><MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus>success</ErrorStatus></List></SubscribeMsgSentEvent>",
        r#""MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"t","MsgID":"1700827132819554304","ErrorCode":"0","ErrorStatus":"success"}"#,
    ) {
        let o = out(&m);
        assert_eq!(o["list"][0]["msgId"], "1700827132819554304");
        assert!(o.get("msgId").is_none());
    }
}
