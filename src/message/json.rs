//! JSON pushes: one object whose members keep their structure (see `raw`). Numbers keep their
//! exact digits at any depth (`MsgId` exceeds 2^53); nesting deeper than the limit is refused
//! before parsing (-41003).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue as JsonRaw;

use super::raw::{self, RawValue};
use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};

/// Pushes nest a few levels (subscribe-message lists); the limit leaves room for more.
pub const DEFAULT_MAX_JSON_DEPTH: usize = 32;

/// Refuses JSON nesting deeper than `max_depth` arrays/objects, scanning bytes outside strings.
pub fn check_json_depth(body: &str, max_depth: usize) -> Result<()> {
    let mut depth = 0usize;
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
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
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
    check_json_depth(body, max_depth)?;
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut de = serde_json::Deserializer::from_str(body);
    let pairs = de
        .deserialize_any(ObjectVisitor)
        .and_then(|pairs| de.end().map(|()| pairs))
        .map_err(parse_error)?;
    into_fields(pairs)
}

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
        Some(b'{') => {
            let mut de = serde_json::Deserializer::from_str(text);
            RawValue::Object(into_fields(
                de.deserialize_any(ObjectVisitor).map_err(parse_error)?,
            )?)
        }
        Some(b'[') => {
            let mut de = serde_json::Deserializer::from_str(text);
            let items: Vec<&JsonRaw> = de.deserialize_any(ArrayVisitor).map_err(parse_error)?;
            RawValue::List(
                items
                    .into_iter()
                    .map(|item| value(item.get()))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        Some(b't') => RawValue::Bool(true),
        Some(b'f') => RawValue::Bool(false),
        Some(b'n') => RawValue::Null,
        _ => RawValue::Number(text.into()),
    })
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Pairs<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    crate::json::refuse_non_objects!(Pairs<'de>, "the push is not a JSON object");

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some(crate::json::Key(key)) = map.next_key()? {
            let raw: &'de JsonRaw = map.next_value()?;
            pairs.push((key.into_owned(), raw));
        }
        Ok(pairs)
    }
}

struct ArrayVisitor;

impl<'de> Visitor<'de> for ArrayVisitor {
    type Value = Vec<&'de JsonRaw>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }

    // Only ever called on text that starts with `[`; the refusals keep serde's default
    // "invalid type" messages (and their float formatting) out of the wasm.
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> core::result::Result<Self::Value, A::Error> {
        Err(A::Error::custom(NOT_ARRAY))
    }
    fn visit_unit<E: serde::de::Error>(self) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> core::result::Result<Self::Value, E> {
        Err(E::custom(NOT_ARRAY))
    }
}

const NOT_ARRAY: &str = "expected a JSON array";
