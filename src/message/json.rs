//! JSON pushes: one object whose members keep their structure (see `raw`). Numbers keep their
//! exact digits at any depth (`MsgId` exceeds 2^53); nesting deeper than the limit (-41003) and
//! more values than [`MAX_JSON_VALUES`] (-40012) are refused before parsing.

use alloc::string::String;
use alloc::vec::Vec;
use serde::de::Deserializer;
use serde_json::value::RawValue as JsonRaw;

use super::raw::{self, RawValue};
use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::json::{Read, Reader, Reading};

/// Pushes nest a few levels (subscribe-message lists); the limit leaves room for more.
pub const DEFAULT_MAX_JSON_DEPTH: usize = 32;

/// How many values a JSON body may hold in all: the top-level object, and every member and
/// array item at any depth. The same number as the XML reader's element limit
/// ([`crate::xml::MAX_ELEMENTS`], the root included): pushes hold a few dozen.
pub const MAX_JSON_VALUES: usize = crate::xml::MAX_ELEMENTS;

const TOO_MANY_VALUES: &str = "the JSON body holds more than 10000 values (object members and \
                               array items at any depth): a push holds a few dozen, so send \
                               fewer fields";

/// Refuses JSON nesting deeper than `max_depth` arrays/objects (-41003), or holding more than
/// [`MAX_JSON_VALUES`] values (-40012), by one scan of the bytes outside strings, before
/// anything is parsed or allocated. A well-formed body holds one value, plus one per `,`
/// outside strings, plus one per object or array that is not empty; a body that is not
/// well-formed is refused by the parser afterwards, if not here.
pub fn check_json_limits(body: &str, max_depth: usize) -> Result<()> {
    let mut depth = 0usize;
    let mut values = 1usize;
    // Just after `{` or `[`: the next significant byte tells whether the container is empty.
    let mut opened = false;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if opened && !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            opened = false;
            if !matches!(b, b'}' | b']') {
                values += 1;
            }
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::with_message(
                        ErrorKind::JsonTooDeep,
                        alloc::format!("the JSON body nests deeper than {max_depth} levels"),
                    ));
                }
                opened = true;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => values += 1,
            _ => {}
        }
        if values > MAX_JSON_VALUES {
            return Err(Error::new(ErrorKind::ParseJson, TOO_MANY_VALUES));
        }
    }
    Ok(())
}

fn parse_error(e: serde_json::Error) -> Error {
    Error::with_message(
        ErrorKind::ParseJson,
        alloc::format!("the JSON body cannot be parsed ({e})"),
    )
}

/// The top-level object's members in document order, grouped and checked (see `raw`).
pub fn read_json_fields(body: &str, max_depth: usize) -> Result<Vec<(String, RawValue)>> {
    check_json_limits(body, max_depth)?;
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut de = serde_json::Deserializer::from_str(body);
    let read = de
        .deserialize_any(Reader(Reading::Object(NOT_OBJECT)))
        .and_then(|read| de.end().map(|()| read))
        .map_err(parse_error)?;
    match read {
        Read::Object(pairs) => into_fields(pairs),
        // Never reached: that reading gives an object or an error.
        _ => Err(Error::new(ErrorKind::ParseJson, NOT_OBJECT)),
    }
}

const NOT_OBJECT: &str = "the push is not a JSON object";

/// Members as read, before grouping: nested containers are parsed afterwards, from the exact
/// text serde_json captured for them, so that numbers keep their digits at every depth.
type Pairs<'de> = Vec<(String, &'de JsonRaw)>;

fn into_fields(pairs: Pairs<'_>) -> Result<Vec<(String, RawValue)>> {
    let values = pairs
        .into_iter()
        .map(|(name, raw)| Ok((name, value(raw.get())?)))
        .collect::<Result<Vec<_>>>()?;
    raw::group(values, Format::Json)
}

/// One JSON value (already known to be well-formed) from its exact text.
fn value(text: &str) -> Result<RawValue> {
    Ok(match text.as_bytes().first() {
        Some(b'"') => RawValue::Text(crate::json::string_value(text).ok_or_else(|| {
            Error::new(ErrorKind::ParseJson, "the JSON body has an invalid string")
        })?),
        Some(b'{' | b'[') => {
            let mut de = serde_json::Deserializer::from_str(text);
            match de
                .deserialize_any(Reader(Reading::ObjectOrArray))
                .map_err(parse_error)?
            {
                Read::Object(pairs) => RawValue::Object(into_fields(pairs)?),
                Read::Array(items) => RawValue::List(
                    items
                        .into_iter()
                        .map(|item| value(item.get()))
                        .collect::<Result<Vec<_>>>()?,
                ),
                // Never reached: that reading gives an object, an array or an error.
                _ => RawValue::Null,
            }
        }
        Some(b't') => RawValue::Bool(true),
        Some(b'f') => RawValue::Bool(false),
        Some(b'n') => RawValue::Null,
        _ => RawValue::Number(text.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &str) -> String {
        read_json_fields(body, DEFAULT_MAX_JSON_DEPTH)
            .unwrap_err()
            .message()
            .into()
    }

    #[test]
    fn a_top_level_that_is_not_an_object_is_refused_where_serde_json_stops() {
        let cases = [
            (
                "[1,2]",
                "(the push is not a JSON object at line 1 column 1)",
            ),
            (" [", "(the push is not a JSON object at line 1 column 2)"),
            ("12", "(the push is not a JSON object at line 1 column 2)"),
            (
                "-1.5e3",
                "(the push is not a JSON object at line 1 column 6)",
            ),
            (
                "\"x\"",
                "(the push is not a JSON object at line 1 column 3)",
            ),
            ("true", "(the push is not a JSON object at line 1 column 4)"),
            ("null", "(the push is not a JSON object at line 1 column 4)"),
            ("{\"a\":1}x", "(trailing characters at line 1 column 8)"),
        ];
        for (body, expected) in cases {
            let got = message(body);
            assert!(got.ends_with(expected), "{body}: {got}");
        }
    }

    #[test]
    fn nested_objects_and_arrays_keep_their_structure() {
        let fields = read_json_fields(
            r#"{"A":[1,{"B":[true,null,"s"]},[]],"C":{"D":[[2]],"E":{}}}"#,
            DEFAULT_MAX_JSON_DEPTH,
        )
        .unwrap();
        let text = |s: &str| RawValue::Text(s.into());
        let number = |s: &str| RawValue::Number(s.into());
        assert_eq!(
            fields,
            alloc::vec![
                (
                    "A".into(),
                    RawValue::List(alloc::vec![
                        number("1"),
                        RawValue::Object(alloc::vec![(
                            "B".into(),
                            RawValue::List(alloc::vec![
                                RawValue::Bool(true),
                                RawValue::Null,
                                text("s")
                            ])
                        )]),
                        RawValue::List(alloc::vec![]),
                    ])
                ),
                (
                    "C".into(),
                    RawValue::Object(alloc::vec![
                        (
                            "D".into(),
                            RawValue::List(alloc::vec![RawValue::List(alloc::vec![number("2")])])
                        ),
                        ("E".into(), RawValue::Object(alloc::vec![])),
                    ])
                ),
            ]
        );
    }
}
