//! Reading JavaScript arguments: strings, timestamps/nonces given as strings or numbers, and
//! option-object fields. A wrong type becomes an `Error` of the operation's kind.

use alloc::string::String;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::errors::js_err;
use crate::error::{Error, ErrorKind};

fn type_error(kind: ErrorKind, name: &str, expected: &str) -> JsValue {
    js_err(Error::with_message(
        kind,
        alloc::format!("{name} must be {expected}"),
    ))
}

/// A required string.
pub fn string(value: &JsValue, name: &str, kind: ErrorKind) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error(kind, name, "a string"))
}

/// An optional string: `undefined` and `null` mean absent.
pub fn optional_string(
    value: &JsValue,
    name: &str,
    kind: ErrorKind,
) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string(value, name, kind).map(Some)
}

/// A timestamp or nonce: a string as given, or a non-negative safe integer as its digits.
pub fn stamp(value: &JsValue, name: &str, kind: ErrorKind) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match value.as_f64() {
        Some(n) if (0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0 => {
            Ok(alloc::format!("{}", n as u64))
        }
        _ => Err(type_error(
            kind,
            name,
            "a string or a non-negative integer number",
        )),
    }
}

/// An optional timestamp or nonce.
pub fn optional_stamp(
    value: &JsValue,
    name: &str,
    kind: ErrorKind,
) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    stamp(value, name, kind).map(Some)
}

/// A field of an options object (`undefined` when the object is not an object).
pub fn field(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// 16 random bytes given by the caller: a Uint8Array (or array) of exactly 16 bytes.
pub fn random_bytes(value: &JsValue, kind: ErrorKind) -> Result<Option<[u8; 16]>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let bytes = if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        array.to_vec()
    } else if js_sys::Array::is_array(value) {
        js_sys::Uint8Array::new(value).to_vec()
    } else {
        return Err(type_error(kind, "random", "a Uint8Array of 16 bytes"));
    };
    let bytes: [u8; 16] = bytes.try_into().map_err(|b: alloc::vec::Vec<u8>| {
        type_error(
            kind,
            "random",
            &alloc::format!("exactly 16 bytes (got {})", b.len()),
        )
    })?;
    Ok(Some(bytes))
}
