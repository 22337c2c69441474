//! Small pieces shared by the JSON readers and writers.
//!
//! serde's default "invalid type" errors format the unexpected value, floats included, which
//! links about 14 KB of float formatting into the wasm for error text nobody needs. The readers
//! here therefore drive serde_json with `deserialize_any` and visitors that answer every
//! value they do not take with one custom message (or take it as "other"), and never
//! deserialize a `serde_json::Value`.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.into())))
    }
}

/// A JSON value that is either a string (unescaped) or something else (skipped): read with
/// `deserialize_any` and no `serde_json::Value`, whose deserializer links serde's type-error
/// formatting (floats included) for keys no push has.
pub enum StringOrOther {
    String(String),
    Other,
}

impl<'de> Deserialize<'de> for StringOrOther {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(
            match deserializer.deserialize_any(Reader(Reading::StringOrOther))? {
                Read::String(text) => StringOrOther::String(text),
                _ => StringOrOther::Other,
            },
        )
    }
}

/// What a value is read as. Every JSON reader of the crate goes through the one visitor
/// `Reader`, so that the wasm has one copy of serde_json's `deserialize_any` (each visitor type
/// makes another, about 2 KB).
#[derive(Clone, Copy)]
pub(crate) enum Reading {
    /// A string, or anything else skipped (`StringOrOther`).
    StringOrOther,
    /// An object's members by their exact text; anything else is refused with this message.
    Object(&'static str),
    /// An object's members or an array's items by their exact text (the value is known to
    /// start with `{` or `[`).
    ObjectOrArray,
    /// An encrypted push's JSON envelope: its `Encrypt` (or WeCom's `encrypt`) member, a
    /// second one refused, and whether it has members beyond the envelope's
    /// (`is_plain_field`); anything but an object is refused with this message.
    Envelope(&'static str, fn(&str) -> bool),
}

/// A value as `Reading` read it.
pub(crate) enum Read<'de> {
    String(String),
    Other,
    Object(Vec<(String, &'de serde_json::value::RawValue)>),
    Array(Vec<&'de serde_json::value::RawValue>),
    Envelope {
        encrypt: Option<StringOrOther>,
        has_plain_fields: bool,
    },
}

/// The one visitor (see `Reading`).
#[derive(Clone, Copy)]
pub(crate) struct Reader(pub(crate) Reading);

impl Reader {
    /// A value this reading does not take: `Other`, or the reading's refusal.
    fn other<'de, E: Error>(self) -> Result<Read<'de>, E> {
        match self.0 {
            Reading::StringOrOther => Ok(Read::Other),
            Reading::Object(refusal) | Reading::Envelope(refusal, _) => Err(E::custom(refusal)),
            // Never reached: such values start with `{` or `[`.
            Reading::ObjectOrArray => Err(E::custom("expected a JSON object or array")),
        }
    }
}

impl<'de> Visitor<'de> for Reader {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Reading::StringOrOther => "a JSON value",
            Reading::Object(_) => "a JSON object",
            Reading::ObjectOrArray => "a JSON object or array",
            Reading::Envelope(..) => "a JSON object with an Encrypt field",
        })
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Read<'de>, E> {
        match self.0 {
            Reading::StringOrOther => Ok(Read::String(text.into())),
            _ => self.other(),
        }
    }
    fn visit_string<E: Error>(self, text: String) -> Result<Read<'de>, E> {
        match self.0 {
            Reading::StringOrOther => Ok(Read::String(text)),
            _ => self.other(),
        }
    }
    fn visit_unit<E: Error>(self) -> Result<Read<'de>, E> {
        self.other()
    }
    fn visit_bool<E: Error>(self, _: bool) -> Result<Read<'de>, E> {
        self.other()
    }
    fn visit_i64<E: Error>(self, _: i64) -> Result<Read<'de>, E> {
        self.other()
    }
    fn visit_u64<E: Error>(self, _: u64) -> Result<Read<'de>, E> {
        self.other()
    }
    fn visit_f64<E: Error>(self, _: f64) -> Result<Read<'de>, E> {
        self.other()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read<'de>, A::Error> {
        match self.0 {
            Reading::StringOrOther => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Read::Other)
            }
            Reading::ObjectOrArray => {
                let mut items = alloc::vec::Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Read::Array(items))
            }
            Reading::Object(refusal) | Reading::Envelope(refusal, _) => {
                Err(A::Error::custom(refusal))
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<'de>, A::Error> {
        match self.0 {
            Reading::StringOrOther => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Read::Other)
            }
            Reading::Object(_) | Reading::ObjectOrArray => {
                let mut pairs = alloc::vec::Vec::new();
                while let Some(Key(key)) = map.next_key()? {
                    let raw: &'de serde_json::value::RawValue = map.next_value()?;
                    pairs.push((key.into_owned(), raw));
                }
                Ok(Read::Object(pairs))
            }
            Reading::Envelope(_, is_plain_field) => {
                let mut encrypt = None;
                let mut has_plain_fields = false;
                while let Some(Key(key)) = map.next_key()? {
                    if key == "Encrypt" || key == "encrypt" {
                        if encrypt.is_some() {
                            return Err(A::Error::custom("more than one Encrypt field"));
                        }
                        encrypt = Some(map.next_value::<StringOrOther>()?);
                    } else {
                        has_plain_fields |= is_plain_field(&key);
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Read::Envelope {
                    encrypt,
                    has_plain_fields,
                })
            }
        }
    }
}

/// A JSON string value (the input starts with `"`), unescaped.
pub fn string_value(text: &str) -> Option<alloc::string::String> {
    let mut de = serde_json::Deserializer::from_str(text);
    match StringOrOther::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(StringOrOther::String(s)) => Some(s),
        _ => None,
    }
}

/// Whether any of the eight bytes of `word` is `"`, `\\` or a control byte (below 0x20).
/// Exact as a yes/no answer (the classic "has a zero byte" and "has a byte less than n" word
/// tests, which are exact for n <= 128).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (control | zero_in(word ^ (ONES * u64::from(b'"'))) | zero_in(word ^ (ONES * u64::from(b'\\'))))
        != 0
}

/// Appends `text` as a JSON string literal. Scans bytes, eight at a time while none needs
/// escaping: only `"`, `\\` and control bytes do, and none of them occurs inside a
/// multi-byte UTF-8 sequence.
pub fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let i = i - 1;
        // `i` is at an ASCII byte, so it is a char boundary.
        out.push_str(text.get(start..i).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deserializer that hands over owned strings (serde_json's `Value`; its text reader
    /// lends or copies them instead) reads the same: `visit_string`, strings taken, anything
    /// else `Other` or the reading's refusal.
    #[test]
    fn owned_strings_are_read_as_borrowed_ones() {
        use serde_json::{json, Value};
        let read = |value: Value| match StringOrOther::deserialize(value) {
            Ok(StringOrOther::String(text)) => Some(text),
            Ok(StringOrOther::Other) => None,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(read(json!("客服 \"x\"")).as_deref(), Some("客服 \"x\""));
        assert_eq!(read(json!("")).as_deref(), Some(""));
        for other in [
            json!(null),
            json!(true),
            json!(1),
            json!(-1),
            json!(1.5),
            json!([1]),
        ] {
            assert_eq!(read(other.clone()), None, "{other}");
        }
        let refused = json!("text").deserialize_any(Reader(Reading::Object("refused")));
        assert_eq!(
            refused.err().map(|e| e.to_string()).as_deref(),
            Some("refused")
        );
    }

    fn needs_escape_bytes(word: [u8; 8]) -> bool {
        word.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
    }

    /// `needs_escape` is exact (no false answer either way): every word of one filler byte
    /// with any one byte at any place, and of two bytes at any two places over a few fillers.
    #[test]
    fn needs_escape_is_exact() {
        let check = |word: [u8; 8]| {
            assert_eq!(
                needs_escape(u64::from_le_bytes(word)),
                needs_escape_bytes(word),
                "{word:02x?}"
            );
        };
        for filler in 0..=255u8 {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut word = [filler; 8];
                    word[at] = b;
                    check(word);
                }
            }
        }
        for filler in [b'a', b' ', 0x80, 0xff] {
            for at in 0..8 {
                for next in at + 1..8 {
                    for a in 0..=255u8 {
                        for b in 0..=255u8 {
                            let mut word = [filler; 8];
                            word[at] = a;
                            word[next] = b;
                            check(word);
                        }
                    }
                }
            }
        }
    }
}
