//! JSON pushes: one flat object. Numbers keep their exact digits (`MsgId` exceeds 2^53);
//! nesting deeper than the limit is refused before parsing (-41003).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde_json::value::RawValue as JsonRaw;

use super::RawValue;
use crate::error::{Error, ErrorKind, Result};

/// Pushes are flat objects; a little room is left for nested values of future fields.
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

/// The top-level object's members in document order. Numbers keep their exact text.
pub fn read_json_fields(body: &str, max_depth: usize) -> Result<Vec<(String, RawValue)>> {
    check_json_depth(body, max_depth)?;
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut de = serde_json::Deserializer::from_str(body);
    de.deserialize_any(ObjectVisitor)
        .and_then(|fields| de.end().map(|()| fields))
        .map_err(|e| {
            Error::with_message(
                ErrorKind::ParseJson,
                alloc::format!("the JSON body cannot be parsed ({e})"),
            )
        })
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Vec<(String, RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    crate::json::refuse_non_objects!(Vec<(String, RawValue)>, "the push is not a JSON object");

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let mut fields = Vec::new();
        while let Some(crate::json::Key(key)) = map.next_key()? {
            let raw: &'de JsonRaw = map.next_value()?;
            let text = raw.get();
            let value = match text.as_bytes().first() {
                Some(b'"') => RawValue::Text(
                    crate::json::string_value(text)
                        .ok_or_else(|| A::Error::custom("invalid string"))?,
                ),
                Some(b'-' | b'0'..=b'9') => RawValue::Number(text.into()),
                _ => RawValue::Json(serde_json::from_str(text).map_err(A::Error::custom)?),
            };
            fields.push((key.into_owned(), value));
        }
        Ok(fields)
    }
}
