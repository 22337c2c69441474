//! Issue 25, dev tools for every push: the core writes nested fields (the subscribe-message
//! events' lists) as the platform sends them, so that the simulator, the emulator's push and
//! the Cloud Hosting simulator produce every typed push from the one writer. XML: an object is
//! an element with children, a list its element repeated; JSON: objects and arrays.

use wechat_kf::crypto::Format;
use wechat_kf::message::{parse, Kind};
use wechat_kf::push::{
    cloud_push_fields, read_fields, write_field_values, FieldValue, MAX_FIELD_DEPTH,
};

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.into())
}

fn entry(template: &str, status: &str, scene: &str) -> FieldValue {
    FieldValue::Object(vec![
        ("TemplateId".into(), text(template)),
        ("SubscribeStatusString".into(), text(status)),
        ("PopupScene".into(), text(scene)),
    ])
}

fn head() -> Vec<(String, FieldValue)> {
    vec![
        ("ToUserName".into(), text("gh_123456789abc")),
        ("FromUserName".into(), text("o_user")),
        ("CreateTime".into(), text("1715943329")),
        ("MsgType".into(), text("event")),
        ("Event".into(), text("subscribe_msg_popup_event")),
    ]
}

#[test]
fn subscribe_popup_in_both_shapes_reads_back_typed() {
    let list = FieldValue::List(vec![entry("t1", "accept", "0"), entry("t2", "reject", "0")]);
    // XML: the wrapper holding repeated List elements.
    let mut xml_fields = head();
    xml_fields.push((
        "SubscribeMsgPopupEvent".into(),
        FieldValue::Object(vec![("List".into(), list.clone())]),
    ));
    let xml = write_field_values(&xml_fields, Format::Xml).unwrap();
    assert!(
        xml.contains("<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[t1]]></TemplateId>"),
        "{xml}"
    );
    assert_eq!(xml.matches("<List>").count(), 2, "{xml}");
    assert!(xml.contains("<CreateTime>1715943329</CreateTime>"), "{xml}");
    // JSON: a top-level List array.
    let mut json_fields = head();
    json_fields.push(("List".into(), list));
    let json = write_field_values(&json_fields, Format::Json).unwrap();
    assert!(json.contains(r#""CreateTime":1715943329"#), "{json}");
    assert!(
        json.contains(
            r#""List":[{"TemplateId":"t1","SubscribeStatusString":"accept","PopupScene":"0"},"#
        ),
        "{json}"
    );
    for (body, format) in [(xml, Format::Xml), (json, Format::Json)] {
        let m = parse(&body, format, 32).unwrap();
        let Kind::SubscribeMsgPopup { list } = &m.kind else {
            panic!("not typed: {body}")
        };
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].template_id, "t2");
        assert_eq!(list[1].subscribe_status_string, "reject");
        // The tools' reader reads it back with its structure.
        let (_, fields) = read_fields(&body).unwrap();
        assert_eq!(fields["Event"], "subscribe_msg_popup_event");
    }
}

#[test]
fn numbers_are_bare_only_at_the_top() {
    let fields = vec![
        ("MsgId".into(), text("12")),
        (
            "A".into(),
            FieldValue::Object(vec![("MsgId".into(), text("34"))]),
        ),
    ];
    assert_eq!(
        write_field_values(&fields, Format::Xml).unwrap(),
        "<xml><MsgId>12</MsgId><A><MsgId><![CDATA[34]]></MsgId></A></xml>"
    );
    assert_eq!(
        write_field_values(&fields, Format::Json).unwrap(),
        r#"{"MsgId":12,"A":{"MsgId":"34"}}"#
    );
}

#[test]
fn what_has_no_form_is_refused() {
    let lists = vec![(
        "A".into(),
        FieldValue::List(vec![FieldValue::List(vec![text("x")])]),
    )];
    assert_eq!(
        write_field_values(&lists, Format::Xml).unwrap_err().code(),
        -40011
    );
    // JSON has arrays of arrays.
    assert_eq!(
        write_field_values(&lists, Format::Json).unwrap(),
        r#"{"A":[["x"]]}"#
    );
    let mut deep = text("x");
    for _ in 0..MAX_FIELD_DEPTH {
        deep = FieldValue::Object(vec![("A".into(), deep)]);
    }
    let deep = vec![("A".into(), deep)];
    for format in [Format::Xml, Format::Json] {
        assert_eq!(
            write_field_values(&deep, format).unwrap_err().code(),
            -40011
        );
    }
    // A bad name at any depth: -40011 for the tools' writer, -42002 for Cloud Hosting's.
    let bad = vec![(
        "A".into(),
        FieldValue::Object(vec![("b c".into(), text("x"))]),
    )];
    assert_eq!(
        write_field_values(&bad, Format::Xml).unwrap_err().code(),
        -40011
    );
    assert_eq!(
        cloud_push_fields(&bad, Format::Json).unwrap_err().code(),
        -42002
    );
}

#[test]
fn cloud_hosting_bodies_are_the_same_writer() {
    let mut fields = head();
    fields.push((
        "SubscribeMsgPopupEvent".into(),
        FieldValue::Object(vec![("List".into(), entry("t1", "accept", "0"))]),
    ));
    for format in [Format::Xml, Format::Json] {
        assert_eq!(
            cloud_push_fields(&fields, format).unwrap(),
            write_field_values(&fields, format).unwrap()
        );
    }
}

/// The nesting limit exactly: a value `levels` deep (the top-level member is level 1; an object
/// or a JSON array adds one) is written at MAX_FIELD_DEPTH and refused one level deeper, in both
/// formats, for objects, for JSON arrays of arrays and for a mix of the two (XML writes a list as
/// its element repeated, at the same level).
#[test]
fn nesting_is_written_to_the_limit_and_refused_past_it() {
    fn objects(levels: usize) -> Vec<(String, FieldValue)> {
        let mut value = text("x");
        for _ in 1..levels {
            value = FieldValue::Object(vec![("A".into(), value)]);
        }
        vec![("A".into(), value)]
    }
    fn lists(levels: usize) -> Vec<(String, FieldValue)> {
        let mut value = text("x");
        for _ in 1..levels {
            value = FieldValue::List(vec![value]);
        }
        vec![("A".into(), value)]
    }
    /// Objects and lists taking turns (each list holds an object, as the platform's do).
    fn mixed(levels: usize) -> Vec<(String, FieldValue)> {
        let mut value = text("x");
        for level in 1..levels {
            value = if level % 2 == 0 {
                FieldValue::List(vec![value])
            } else {
                FieldValue::Object(vec![("A".into(), value)])
            };
        }
        vec![("A".into(), value)]
    }
    let max = MAX_FIELD_DEPTH;
    for format in [Format::Xml, Format::Json] {
        let at = write_field_values(&objects(max), format).unwrap();
        assert_eq!(
            at.matches("\"A\"").count() + at.matches("<A>").count(),
            max,
            "{at}"
        );
        assert_eq!(
            write_field_values(&objects(max + 1), format)
                .unwrap_err()
                .code(),
            -40011,
            "{format:?}"
        );
    }
    let at = write_field_values(&lists(max), Format::Json).unwrap();
    assert_eq!(at.matches('[').count(), max - 1, "{at}");
    assert_eq!(
        write_field_values(&lists(max + 1), Format::Json)
            .unwrap_err()
            .code(),
        -40011
    );
    let at = write_field_values(&mixed(max), Format::Json).unwrap();
    assert!(at.contains("\"x\""), "{at}");
    assert_eq!(
        write_field_values(&mixed(max + 1), Format::Json)
            .unwrap_err()
            .code(),
        -40011
    );
    // In XML a list adds no level: the mixed value is half as deep there.
    let xml = write_field_values(&mixed(max + 1), Format::Xml).unwrap();
    assert!(xml.contains("<![CDATA[x]]>"), "{xml}");
    assert_eq!(xml.matches("<A>").count(), (max + 2) / 2, "{xml}");
    // Every depth below the limit is written, in both formats.
    for levels in 1..=max {
        for format in [Format::Xml, Format::Json] {
            assert!(
                write_field_values(&objects(levels), format).is_ok(),
                "{levels} {format:?}"
            );
        }
        assert!(
            write_field_values(&lists(levels), Format::Json).is_ok(),
            "{levels}"
        );
        assert!(
            write_field_values(&mixed(levels), Format::Json).is_ok(),
            "{levels}"
        );
    }
}
