//! Small pieces shared by the JSON readers.
//!
//! serde's default "invalid type" errors format the unexpected value, floats included, which
//! links about 14 KB of float formatting into the wasm for error text nobody needs. The readers
//! here therefore drive serde_json with `deserialize_any` and visitors that answer every
//! non-object value with one custom message.

use alloc::borrow::Cow;
use core::fmt;
use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// Implements every non-object `visit_*` method of a `Visitor` with one custom error.
macro_rules! refuse_non_objects {
    ($value:ty, $message:expr) => {
        fn visit_unit<E: serde::de::Error>(self) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> core::result::Result<$value, E> {
            Err(E::custom($message))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            _: A,
        ) -> core::result::Result<$value, A::Error> {
            Err(serde::de::Error::custom($message))
        }
    };
}
pub(crate) use refuse_non_objects;

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

/// A JSON string value (the input starts with `"`), unescaped.
pub fn string_value(text: &str) -> Option<alloc::string::String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}
