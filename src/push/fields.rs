//! The fields of a push or reply body, in either format, for tools that show or check them
//! (the CLI, the debugger, the simulator, the emulator): reading a body into its fields and
//! writing fields as the platform does. Reading is the strict reader of `crate::xml` (CDATA
//! split around `]]>` and entities are decoded exactly); writing keeps XML well-formed
//! whatever the content. Values may nest (the subscribe-message events' lists): an object is
//! an element with children (XML) or an object (JSON), a list is repeated elements of one name
//! (XML) or an array (JSON), as the platform sends them.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::json::push_json_string;
use crate::xml::{self, Child, Node};

/// Fields the platform writes as bare numbers (64-bit ids and times): `<CreateTime>123</CreateTime>`
/// in XML and `"CreateTime":123` in JSON.
pub const NUMERIC_FIELDS: [&str; 3] = ["CreateTime", "MsgId", "BusinessId"];

fn is_numeric_field(name: &str, value: &str) -> bool {
    NUMERIC_FIELDS.contains(&name) && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// Reads an XML or JSON body (format detected from its first character) into its fields.
/// XML text becomes a string, an element with children an object (a repeated name an array);
/// JSON numbers become their exact decimal text, so 64-bit ids survive. The push readers'
/// limits apply (XML depth and elements; JSON depth and values).
pub fn read_fields(body: &str) -> Result<(Format, Map<String, Value>)> {
    let format = Format::detect(body)?;
    let fields = match format {
        Format::Xml => children_object(xml::read_document(body)?),
        Format::Json => {
            crate::message::check_json_limits(body, crate::message::DEFAULT_MAX_JSON_DEPTH)?;
            let body = body.strip_prefix('\u{feff}').unwrap_or(body);
            let value: Value = serde_json::from_str(body).map_err(|e| {
                Error::with_message(
                    ErrorKind::ParseJson,
                    alloc::format!("the JSON body cannot be parsed ({e})"),
                )
            })?;
            match numbers_as_text(value) {
                Value::Object(map) => map,
                _ => {
                    return Err(Error::new(
                        ErrorKind::ParseJson,
                        "the JSON body is not an object of fields",
                    ))
                }
            }
        }
    };
    Ok((format, fields))
}

fn children_object(children: Vec<Child<'_>>) -> Map<String, Value> {
    let mut map = Map::new();
    for child in children {
        let value = match child.node {
            Node::Text(text) => Value::String(text.into_owned()),
            Node::Element(inner) => Value::Object(children_object(inner)),
        };
        match map.get_mut(&child.name) {
            Some(Value::Array(items)) => items.push(value),
            Some(previous) => {
                let first = core::mem::take(previous);
                *previous = Value::Array(alloc::vec![first, value]);
            }
            None => {
                map.insert(child.name, value);
            }
        }
    }
    map
}

fn numbers_as_text(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_text).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_text(v)))
                .collect(),
        ),
        other => other,
    }
}

fn check_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        Ok(())
    } else {
        Err(Error::with_message(
            ErrorKind::GenReturnXml,
            alloc::format!(
                "field name '{name}' is not usable: use letters, digits, '_', '-' or '.', \
                 starting with a letter or '_'"
            ),
        ))
    }
}

/// Writes flat fields, in order, as the platform does: `<xml>` with CDATA text (numbers from
/// [`NUMERIC_FIELDS`] bare), or a JSON object (the same numbers bare, everything else strings).
pub fn write_fields(fields: &[(String, String)], format: Format) -> Result<String> {
    let values: Vec<(String, FieldValue)> = fields
        .iter()
        .map(|(name, value)| (name.clone(), FieldValue::Text(value.clone())))
        .collect();
    write_field_values(&values, format)
}

/// A value to write: text, an object of fields (an element with children), or a list (the
/// same element repeated in XML, an array in JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Object(Vec<(String, FieldValue)>),
    List(Vec<FieldValue>),
}

/// The deepest nesting written (the readers take 32 levels; the platform's pushes use 3).
pub const MAX_FIELD_DEPTH: usize = 16;

/// Writes fields that may nest, in order, as the platform does (see [`write_fields`]): only
/// top-level [`NUMERIC_FIELDS`] are bare numbers; every name, at any depth, is checked as
/// [`write_fields`] checks it (-40011). A list of lists has no XML form, and deeper nesting than
/// [`MAX_FIELD_DEPTH`] is refused.
pub fn write_field_values(fields: &[(String, FieldValue)], format: Format) -> Result<String> {
    write_checked(fields, format, check_name)
}

/// [`write_field_values`] with `check` refusing a name instead.
pub(super) fn write_checked(
    fields: &[(String, FieldValue)],
    format: Format,
    check: fn(&str) -> Result<()>,
) -> Result<String> {
    let mut out = String::new();
    match format {
        Format::Xml => {
            out.push_str("<xml>");
            for (name, value) in fields {
                xml_member(&mut out, name, value, check, 1)?;
            }
            out.push_str("</xml>");
        }
        Format::Json => json_object(&mut out, fields, check, 1)?,
    }
    Ok(out)
}

fn too_deep() -> Error {
    Error::with_message(
        ErrorKind::GenReturnXml,
        alloc::format!("fields nest more than {MAX_FIELD_DEPTH} levels deep"),
    )
}

fn xml_member(
    out: &mut String,
    name: &str,
    value: &FieldValue,
    check: fn(&str) -> Result<()>,
    depth: usize,
) -> Result<()> {
    check(name)?;
    if depth > MAX_FIELD_DEPTH {
        return Err(too_deep());
    }
    match value {
        FieldValue::Text(text) if depth == 1 && is_numeric_field(name, text) => {
            xml::push_text_element(out, name, text)
        }
        FieldValue::Text(text) => xml::push_element(out, name, text),
        FieldValue::Object(members) => {
            out.push('<');
            out.push_str(name);
            out.push('>');
            for (inner, value) in members {
                xml_member(out, inner, value, check, depth + 1)?;
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        FieldValue::List(items) => {
            for item in items {
                if matches!(item, FieldValue::List(_)) {
                    return Err(Error::with_message(
                        ErrorKind::GenReturnXml,
                        alloc::format!(
                            "field {name} is a list of lists, which XML cannot carry (a list is \
                             its element repeated)"
                        ),
                    ));
                }
                xml_member(out, name, item, check, depth)?;
            }
        }
    }
    Ok(())
}

fn json_object(
    out: &mut String,
    members: &[(String, FieldValue)],
    check: fn(&str) -> Result<()>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_FIELD_DEPTH {
        return Err(too_deep());
    }
    out.push('{');
    for (i, (name, value)) in members.iter().enumerate() {
        check(name)?;
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, name);
        out.push(':');
        match value {
            FieldValue::Text(text) if depth == 1 && is_numeric_field(name, text) => {
                out.push_str(text)
            }
            _ => json_value(out, value, check, depth)?,
        }
    }
    out.push('}');
    Ok(())
}

fn json_value(
    out: &mut String,
    value: &FieldValue,
    check: fn(&str) -> Result<()>,
    depth: usize,
) -> Result<()> {
    match value {
        FieldValue::Text(text) => push_json_string(out, text),
        FieldValue::Object(members) => json_object(out, members, check, depth + 1)?,
        FieldValue::List(items) => {
            if depth + 1 > MAX_FIELD_DEPTH {
                return Err(too_deep());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_value(out, item, check, depth + 1)?;
            }
            out.push(']');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_split_cdata_and_entities_exactly() {
        let body = "<xml><Content><![CDATA[x]]]]><![CDATA[>y]]></Content><A>a &amp; b</A></xml>";
        let (format, fields) = read_fields(body).unwrap();
        assert_eq!(format, Format::Xml);
        assert_eq!(fields["Content"], "x]]>y");
        assert_eq!(fields["A"], "a & b");
    }

    #[test]
    fn write_then_read_round_trips_both_formats() {
        let list = pairs(&[
            ("ToUserName", "gh_1"),
            ("CreateTime", "1700000000"),
            ("MsgId", "9223372036854775807"),
            ("Content", "x]]>y & <z> \"q\""),
        ]);
        for format in [Format::Xml, Format::Json] {
            let text = write_fields(&list, format).unwrap();
            let (read_format, fields) = read_fields(&text).unwrap();
            assert_eq!(read_format, format);
            for (k, v) in &list {
                assert_eq!(fields[k.as_str()], v.as_str(), "{k} in {text}");
            }
        }
    }

    #[test]
    fn numeric_fields_are_bare_and_others_are_not() {
        let list = pairs(&[("CreateTime", "12"), ("Content", "34"), ("MsgId", "x")]);
        let xml = write_fields(&list, Format::Xml).unwrap();
        assert_eq!(
            xml,
            "<xml><CreateTime>12</CreateTime><Content><![CDATA[34]]></Content>\
             <MsgId><![CDATA[x]]></MsgId></xml>"
        );
        let json = write_fields(&list, Format::Json).unwrap();
        assert_eq!(json, r#"{"CreateTime":12,"Content":"34","MsgId":"x"}"#);
    }

    #[test]
    fn nested_and_repeated_elements_become_objects_and_arrays() {
        let (_, fields) = read_fields("<xml><A><B>1</B><B>2</B></A></xml>").unwrap();
        assert_eq!(fields["A"]["B"], serde_json::json!(["1", "2"]));
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let (_, fields) = read_fields(r#"{"MsgId":18446744073709551615,"X":{"Y":1}}"#).unwrap();
        assert_eq!(fields["MsgId"], "18446744073709551615");
        assert_eq!(fields["X"]["Y"], "1");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert_eq!(read_fields("").unwrap_err().code(), -40002);
        assert_eq!(read_fields("<xml><a></xml>").unwrap_err().code(), -40002);
        assert_eq!(read_fields("[1]").unwrap_err().code(), -40002);
        assert_eq!(read_fields("{\"a\":").unwrap_err().code(), -40012);
        let bad = pairs(&[("a b", "1")]);
        assert_eq!(write_fields(&bad, Format::Xml).unwrap_err().code(), -40011);
    }

    #[test]
    fn a_field_name_starts_with_a_letter_or_underscore() {
        for good in ["_a", "a", "Z9", "a-b.c_d"] {
            let fields = pairs(&[(good, "1")]);
            assert!(write_fields(&fields, Format::Xml).is_ok(), "{good}");
        }
        for bad in ["1a", "-a", ".a", ""] {
            let fields = pairs(&[(bad, "1")]);
            let err = write_fields(&fields, Format::Xml).unwrap_err();
            assert_eq!(err.code(), -40011, "{bad}");
        }
    }
}
