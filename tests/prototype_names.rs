//! Field names of `Object.prototype` (issue 22, item 12). One list (`PROTOTYPE_NAMES`), one
//! rule for the two places a push's names reach JavaScript objects:
//! - a field whose name as sent is on the list is refused (-40002 / -40012) at any depth;
//! - a field whose lowerCamelCase form is on the list (`ToString`, `HasOwnProperty`,
//!   `ValueOf`, `Constructor`) parses, is not copied onto the message, and stays in `raw` under
//!   its own name.
//!
//! So no object of the message JSON (the message, `raw`, nested objects, at any depth) has an
//! own key that shadows an `Object.prototype` member or reaches a prototype.

use serde_json::Value;
use wechat_kf::crypto::Format;
use wechat_kf::message::{camel_case, parse, PROTOTYPE_NAMES};

/// The members of `Object.prototype` in ECMAScript 2024 (section 20.1.3 and Annex B.2.2),
/// written from the specification, and `prototype`.
const SPEC: [&str; 13] = [
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
    "prototype",
];

#[test]
fn the_list_is_object_prototype_and_prototype() {
    let mut list = PROTOTYPE_NAMES.to_vec();
    let mut spec = SPEC.to_vec();
    list.sort_unstable();
    spec.sort_unstable();
    assert_eq!(list, spec);
}

/// Names whose camelCase form is `name` without being it (none for `__proto__` and the
/// `__define...__` ones: the camelCase rule drops `_`).
fn look_alikes(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = name.chars();
    if let Some(first) = chars.next().filter(char::is_ascii_lowercase) {
        let rest = chars.as_str();
        out.push(format!("{}{rest}", first.to_ascii_uppercase()));
        out.push(format!("_{name}"));
        out.push(format!("{name}-"));
        // toString -> to_string style: words joined by `_`.
        let snake: String = name
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['_', c.to_ascii_lowercase()]
                } else {
                    vec![c]
                }
            })
            .collect();
        if snake != name {
            out.push(snake);
        }
    }
    out.retain(|n| camel_case(n) == name && n != name);
    out
}

fn head(format: Format) -> &'static str {
    match format {
        Format::Xml => "<ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId>",
        Format::Json => r#""ToUserName":"gh","FromUserName":"o","CreateTime":1,"MsgType":"text","Content":"hi","MsgId":1"#,
    }
}

/// The field `name` at the top level, inside an object, and inside a list of objects.
fn bodies(name: &str, format: Format) -> Vec<String> {
    let h = head(format);
    match format {
        Format::Xml => vec![
            format!("<xml>{h}<{name}>v</{name}></xml>"),
            format!("<xml>{h}<A><{name}>v</{name}></A></xml>"),
            format!("<xml>{h}<A><B><{name}><C>v</C></{name}></B><B>2</B></A></xml>"),
        ],
        Format::Json => vec![
            format!(r#"{{{h},"{name}":"v"}}"#),
            format!(r#"{{{h},"A":{{"{name}":"v"}}}}"#),
            format!(r#"{{{h},"A":[1,{{"B":{{"{name}":{{"C":"v"}}}}}}]}}"#),
        ],
    }
}

/// No object anywhere in `value` has a key of the list.
fn assert_no_prototype_key(value: &Value, path: &str) {
    match value {
        Value::Object(members) => {
            for (key, inner) in members {
                assert!(!PROTOTYPE_NAMES.contains(&key.as_str()), "{path}.{key}");
                assert_no_prototype_key(inner, &format!("{path}.{key}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_no_prototype_key(i, path)),
        _ => {}
    }
}

#[test]
fn names_on_the_list_as_sent_are_refused_at_any_depth() {
    for name in PROTOTYPE_NAMES {
        for (format, code) in [(Format::Xml, -40002), (Format::Json, -40012)] {
            for body in bodies(name, format) {
                let err = parse(&body, format, 32).unwrap_err();
                assert_eq!(err.code(), code, "{body}");
                assert!(err.message().contains(name), "{err}");
            }
        }
    }
}

#[test]
fn look_alikes_stay_in_raw_and_are_not_copied() {
    let mut seen = 0;
    for name in PROTOTYPE_NAMES {
        for alike in look_alikes(name) {
            for format in [Format::Xml, Format::Json] {
                for body in bodies(&alike, format) {
                    let message =
                        parse(&body, format, 32).unwrap_or_else(|e| panic!("{e}: {body}"));
                    let json: Value = serde_json::from_str(&message.to_json()).unwrap();
                    assert_no_prototype_key(&json, "message");
                    // The field is in raw by its own name, with its value.
                    let raw = &json["raw"];
                    let kept = raw
                        .get(&alike)
                        .or_else(|| raw["A"].get(&alike))
                        .or_else(|| raw["A"]["B"].get(0).and_then(|b| b.get(&alike)));
                    let kept = kept.or_else(|| raw["A"][1]["B"].get(&alike));
                    assert!(kept.is_some(), "{alike} kept in raw: {json}");
                    // The rest of the message is as usual.
                    assert_eq!(json["content"], "hi");
                    assert!(
                        json.get("a").is_none() || json["a"].is_object() || json["a"].is_array()
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 7 * 3 * 2 * 3, "{seen}");
}
