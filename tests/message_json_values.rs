//! JSON literals keep their type at every depth: `true`/`false` are booleans and `null` is null,
//! never a number whose text happens to read "true" (which `as_text` could not tell apart).

use wechat_kf::message::{read_json_fields, RawValue, DEFAULT_MAX_JSON_DEPTH};

#[test]
fn json_literals_are_booleans_and_null_at_every_depth() {
    let body = r#"{"a":true,"b":false,"c":null,"d":[true,false,null,7],"e":{"f":false,"g":null}}"#;
    let fields = read_json_fields(body, DEFAULT_MAX_JSON_DEPTH).expect("a well-formed push");
    let expected = vec![
        ("a".to_string(), RawValue::Bool(true)),
        ("b".to_string(), RawValue::Bool(false)),
        ("c".to_string(), RawValue::Null),
        (
            "d".to_string(),
            RawValue::List(vec![
                RawValue::Bool(true),
                RawValue::Bool(false),
                RawValue::Null,
                RawValue::Number("7".to_string()),
            ]),
        ),
        (
            "e".to_string(),
            RawValue::Object(vec![
                ("f".to_string(), RawValue::Bool(false)),
                ("g".to_string(), RawValue::Null),
            ]),
        ),
    ];
    assert_eq!(fields, expected);
}
