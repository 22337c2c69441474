//! Structured pushes: nested and repeated fields in `raw`, lowerCamelCase copies of every
//! field (unknown types too), the typed subscribe-message events in both formats, exact
//! numbers at any depth, and the refusal of `Object.prototype`'s names. Fixtures are written from the
//! platform's documents (the subscribe-message events and the official-account menu events).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Value};
use wechat_kf::crypto::Format;
use wechat_kf::message::{parse, Kind, Message};

fn xml(body: &str) -> Message {
    parse(body, Format::Xml, 32).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn json_push(body: &str) -> Message {
    parse(body, Format::Json, 32).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The JSON handed to JavaScript, checked to have no duplicate key at any depth.
fn out(message: &Message) -> Value {
    let text = message.to_json();
    serde_json::from_str::<NoDuplicates>(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    serde_json::from_str(&text).unwrap()
}

/// Deserializes any JSON and fails on a repeated key in any object.
struct NoDuplicates;

impl<'de> Deserialize<'de> for NoDuplicates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicatesVisitor)
    }
}

struct NoDuplicatesVisitor;

impl<'de> Visitor<'de> for NoDuplicatesVisitor {
    type Value = NoDuplicates;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_unit<E>(self) -> Result<NoDuplicates, E> {
        Ok(NoDuplicates)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoDuplicates, A::Error> {
        while seq.next_element::<NoDuplicates>()?.is_some() {}
        Ok(NoDuplicates)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoDuplicates, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!("duplicate key {key}")));
            }
            map.next_value::<NoDuplicates>()?;
        }
        Ok(NoDuplicates)
    }
}

const HEAD: &str = "<ToUserName><![CDATA[gh_123456789abc]]></ToUserName>\
    <FromUserName><![CDATA[otFpruAK8D-E6EfStSYonYSBZ8_4]]></FromUserName>\
    <CreateTime>1610969440</CreateTime><MsgType><![CDATA[event]]></MsgType>";

fn event_xml(event: &str, rest: &str) -> String {
    format!("<xml>\n  {HEAD}\n  <Event><![CDATA[{event}]]></Event>\n  {rest}\n</xml>")
}

const POPUP_XML_LIST: &str = "<SubscribeMsgPopupEvent>
    <List>
      <TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>
      <SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
    <List>
      <TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId>
      <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString>
      <PopupScene>2</PopupScene>
    </List>
  </SubscribeMsgPopupEvent>";

#[test]
fn subscribe_popup_is_typed_the_same_in_xml_and_json() {
    let from_xml = xml(&event_xml("subscribe_msg_popup_event", POPUP_XML_LIST));
    let from_json = json_push(
        r#"{"ToUserName":"gh_123456789abc","FromUserName":"otFpruAK8D-E6EfStSYonYSBZ8_4",
            "CreateTime":"1610969440","MsgType":"event","Event":"subscribe_msg_popup_event",
            "List":[{"TemplateId":"VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc",
                     "SubscribeStatusString":"accept","PopupScene":"2"},
                    {"TemplateId":"9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI",
                     "SubscribeStatusString":"reject","PopupScene":"2"}]}"#,
    );
    let want_list = json!([
        {"templateId": "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "subscribeStatusString": "accept", "popupScene": "2"},
        {"templateId": "9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI", "subscribeStatusString": "reject", "popupScene": "2"},
    ]);
    for m in [&from_xml, &from_json] {
        assert!(matches!(&m.kind, Kind::SubscribeMsgPopup { list } if list.len() == 2));
        let o = out(m);
        assert_eq!(o["known"], true);
        assert_eq!(o["event"], "subscribe_msg_popup_event");
        assert_eq!(o["createTime"], 1610969440);
        assert_eq!(o["list"], want_list);
    }
    // raw keeps each format's own shape: the wrapper with a repeated List, or the array.
    let o = out(&from_xml);
    assert_eq!(
        o["raw"]["SubscribeMsgPopupEvent"]["List"][1]["SubscribeStatusString"],
        "reject"
    );
    assert_eq!(o["subscribeMsgPopupEvent"]["list"][0]["popupScene"], "2");
    let o = out(&from_json);
    assert_eq!(o["raw"]["List"][0]["PopupScene"], "2");
}

#[test]
fn a_single_entry_is_still_a_list() {
    // XML: one List element; JSON: `List` as an object (the platform sends that for one entry).
    let change_xml = event_xml(
        "subscribe_msg_change_event",
        "<SubscribeMsgChangeEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>\
         <SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List></SubscribeMsgChangeEvent>",
    );
    let change_json = r#"{"ToUserName":"gh_123456789abc","FromUserName":"o7esq5OI1Uej6Xixw1lA2H7XDVbc","CreateTime":1620963428,"MsgType":"event","Event":"subscribe_msg_change_event","List":{"SubscribeStatusString":"reject","TemplateId":"VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc"}}"#;
    let want = json!([{"templateId": "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "subscribeStatusString": "reject"}]);
    for m in [xml(&change_xml), json_push(change_json)] {
        assert!(matches!(&m.kind, Kind::SubscribeMsgChange { .. }));
        assert_eq!(out(&m)["list"], want);
    }
    // raw keeps the single object as an object (no array invented there).
    assert!(out(&json_push(change_json))["raw"]["List"].is_object());
    assert!(out(&xml(&change_xml))["raw"]["SubscribeMsgChangeEvent"]["List"].is_object());
}

#[test]
fn subscribe_sent_keeps_64_bit_ids_exact_in_both_formats() {
    let sent_xml = event_xml(
        "subscribe_msg_sent_event",
        "<SubscribeMsgSentEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId>\
         <MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List>\
         <List><TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId>\
         <MsgID>1700827132819554305</MsgID><ErrorCode>20004</ErrorCode>\
         <ErrorStatus><![CDATA[failed:user refuse to accept the msg]]></ErrorStatus></List></SubscribeMsgSentEvent>",
    );
    let sent_json = r#"{"ToUserName":"gh_123456789abc","FromUserName":"otFpruAK8D-E6EfStSYonYSBZ8_4","CreateTime":1610969440,"MsgType":"event","Event":"subscribe_msg_sent_event","List":[{"TemplateId":"VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc","MsgID":1700827132819554304,"ErrorCode":0,"ErrorStatus":"success"},{"TemplateId":"9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI","MsgID":"1700827132819554305","ErrorCode":"20004","ErrorStatus":"failed:user refuse to accept the msg"}]}"#;
    let want = json!([
        {"templateId": "VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "msgId": "1700827132819554304", "errorCode": "0", "errorStatus": "success"},
        {"templateId": "9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI", "msgId": "1700827132819554305", "errorCode": "20004", "errorStatus": "failed:user refuse to accept the msg"},
    ]);
    for m in [xml(&sent_xml), json_push(sent_json)] {
        assert!(matches!(&m.kind, Kind::SubscribeMsgSent { .. }));
        assert_eq!(out(&m)["list"], want);
    }
    // In JSON the id beyond 2^53 is a string of its digits in raw and in the camelCase copy.
    let o = out(&json_push(sent_json));
    assert_eq!(o["raw"]["List"][0]["MsgID"], "1700827132819554304");
    assert_eq!(o["raw"]["List"][0]["ErrorCode"], 0);
}

#[test]
fn nested_account_events_keep_their_structure() {
    let location = xml(&event_xml(
        "location_select",
        "<EventKey><![CDATA[6]]></EventKey><SendLocationInfo><Location_X><![CDATA[23]]></Location_X>\
         <Location_Y><![CDATA[113]]></Location_Y><Scale><![CDATA[15]]></Scale>\
         <Label><![CDATA[ 广州市海珠区客村艺苑路 106号]]></Label><Poiname><![CDATA[]]></Poiname></SendLocationInfo>",
    ));
    let o = out(&location);
    assert_eq!(o["known"], false);
    assert_eq!(
        o["raw"]["SendLocationInfo"]["Label"],
        " 广州市海珠区客村艺苑路 106号"
    );
    assert_eq!(
        o["sendLocationInfo"]["label"],
        " 广州市海珠区客村艺苑路 106号"
    );
    assert_eq!(o["sendLocationInfo"]["locationX"], "23");
    assert_eq!(o["eventKey"], "6");

    let pics = xml(&event_xml(
        "pic_sysphoto",
        "<EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>2</Count><PicList>\
         <item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item>\
         <item><PicMd5Sum><![CDATA[2b5f7c23b5bf75682a53e7b6d163e186]]></PicMd5Sum></item>\
         </PicList></SendPicsInfo>",
    ));
    let o = out(&pics);
    assert_eq!(o["raw"]["SendPicsInfo"]["Count"], "2");
    assert_eq!(
        o["raw"]["SendPicsInfo"]["PicList"]["item"][1]["PicMd5Sum"],
        "2b5f7c23b5bf75682a53e7b6d163e186"
    );
    assert_eq!(
        o["sendPicsInfo"]["picList"]["item"][0]["picMd5Sum"],
        "1b5f7c23b5bf75682a53e7b6d163e185"
    );

    let scan = xml(&event_xml(
        "scancode_push",
        "<EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>\
         <ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>",
    ));
    assert_eq!(out(&scan)["scanCodeInfo"]["scanType"], "qrcode");
}

#[test]
fn repeated_top_level_fields_are_arrays_in_document_order() {
    let m = xml(&event_xml(
        "express_path",
        "<Actions><ActionType>1</ActionType></Actions><Note>n</Note><Actions><ActionType>2</ActionType></Actions>",
    ));
    let o = out(&m);
    assert_eq!(
        o["raw"]["Actions"],
        json!([{"ActionType": "1"}, {"ActionType": "2"}])
    );
    assert_eq!(
        o["actions"],
        json!([{"actionType": "1"}, {"actionType": "2"}])
    );
    // The key order of raw is the order of first appearance.
    let text = m.to_json();
    let raw = &text[text.find("\"raw\"").unwrap()..];
    assert!(raw.find("\"Actions\"").unwrap() < raw.find("\"Note\"").unwrap());
    assert_eq!(raw.matches("\"Actions\"").count(), 1);
}

#[test]
fn unknown_types_get_camel_case_fields() {
    let voice = xml("<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>\
        <MsgType>voice</MsgType><MediaId>media</MediaId><Format>amr</Format><Recognition></Recognition>\
        <MsgId>23456789012345678901</MsgId></xml>");
    let o = out(&voice);
    assert_eq!(o["known"], false);
    assert_eq!(o["mediaId"], "media");
    assert_eq!(o["format"], "amr");
    assert_eq!(o["recognition"], "");
    assert_eq!(o["msgId"], "23456789012345678901");
    let location = json_push(
        r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"location","Location_X":23.134521,"Location_Y":113.358803,"Scale":20,"Label":"l","MsgId":1234567890123456789}"#,
    );
    let o = out(&location);
    assert_eq!(o["locationX"], 23.134521);
    assert_eq!(o["scale"], 20);
    assert_eq!(o["msgId"], "1234567890123456789");
    assert_eq!(o["raw"]["MsgId"], "1234567890123456789");
}

#[test]
fn camel_case_never_overrides_the_typed_or_reserved_names() {
    let m = xml("<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>\
        <MsgType>text</MsgType><Content>c</Content><MsgId>1</MsgId><Raw>r</Raw><Known>k</Known>\
        <content>second</content><BusinessId>abc</BusinessId><Event>e</Event><Location_X>1</Location_X><LocationX>2</LocationX></xml>");
    let o = out(&m);
    assert_eq!(o["content"], "c");
    assert_eq!(o["known"], true);
    assert!(o["raw"].is_object());
    assert_eq!(o["raw"]["Raw"], "r");
    assert_eq!(o["raw"]["content"], "second");
    assert!(
        o.get("businessId").is_none(),
        "a BusinessId that is not a number stays in raw"
    );
    assert_eq!(
        o["event"], "e",
        "a push's Event is on the message whatever its type (issue 25)"
    );
    assert_eq!(
        o["locationX"], "1",
        "the first of two names with the same camelCase wins"
    );
}

#[test]
fn json_numbers_stay_exact_at_any_depth() {
    let m = json_push(
        r#"{"ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x","A":{"B":[{"C":123456789012345678},-9007199254740993,1.50,1e3,true,null]}}"#,
    );
    let o = out(&m);
    assert_eq!(o["raw"]["A"]["B"][0]["C"], "123456789012345678");
    assert_eq!(o["raw"]["A"]["B"][1], "-9007199254740993");
    assert_eq!(o["raw"]["A"]["B"][2], 1.5);
    assert_eq!(o["raw"]["A"]["B"][4], true);
    assert_eq!(o["raw"]["A"]["B"][5], Value::Null);
    assert_eq!(o["a"]["b"][0]["c"], "123456789012345678");
    // The exact literal is what crosses (1.50 stays 1.50 in the text).
    assert!(m.to_json().contains("1.50,1e3"));
}

#[test]
fn prototype_names_are_refused_at_any_depth() {
    let head = "<ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>x</MsgType>";
    for inner in [
        "<__proto__>x</__proto__>",
        "<A><__proto__><B>1</B></__proto__></A>",
        "<A><B><constructor>1</constructor></B></A>",
        "<prototype>1</prototype>",
        "<A><toString>1</toString></A>",
    ] {
        let err = parse(&format!("<xml>{head}{inner}</xml>"), Format::Xml, 32).unwrap_err();
        assert_eq!(err.code(), -40002, "{inner}");
    }
    let head = r#""ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"x""#;
    for inner in [
        r#""__proto__":{"polluted":1}"#,
        r#""\u005f_proto__":1"#,
        r#""A":[{"constructor":{"prototype":1}}]"#,
        r#""A":{"B":{"prototype":1}}"#,
        r#""hasOwnProperty":1"#,
    ] {
        let err = parse(&format!("{{{head},{inner}}}"), Format::Json, 32).unwrap_err();
        assert_eq!(err.code(), -40012, "{inner}");
    }
    // Names that only look alike are kept; names whose camelCase form is on the list
    // (`Constructor`, `Prototype`) stay in raw only (tests/prototype_names.rs).
    let ok = parse(
        &format!("{{{head},\"proto\":1,\"Constructors\":2,\"__Proto__\":3,\"Constructor\":4}}"),
        Format::Json,
        32,
    )
    .unwrap();
    assert_eq!(out(&ok)["raw"]["__Proto__"], 3);
    assert_eq!(out(&ok)["raw"]["Constructor"], 4);
    assert!(out(&ok).get("constructor").is_none());
}
