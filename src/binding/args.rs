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
    text(value).ok_or_else(|| type_error(kind, name, "a string"))
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

#[wasm_bindgen]
extern "C" {
    /// The host's `TextEncoder` (every supported runtime has one).
    #[wasm_bindgen(js_name = TextEncoder)]
    type HostTextEncoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> HostTextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &HostTextEncoder,
        source: &js_sys::JsString,
        dest: &js_sys::Uint8Array,
    ) -> JsValue;
}

thread_local! {
    static ENCODER: HostTextEncoder = HostTextEncoder::new();
}

/// Strings at least this long are copied in with one native `encodeInto` call: wasm-bindgen's
/// own string passing walks ASCII prefixes one character at a time in JS, which costs about
/// 0.4 ms for a 64 KB push body (all ASCII, being base64).
const BULK_STRING_UNITS: u32 = 1024;

/// Below this, `text_into` takes wasm-bindgen's own string passing; above, one `encodeInto`
/// into the reused buffer costs less even for a 500-byte push body (measured with
/// bench/pipeline-parts.mjs: about 5% of a 256-byte push).
const SMALL_STRING_UNITS: u32 = 64;

thread_local! {
    static WRITTEN: JsValue = JsValue::from_str("written");
}

/// A JS string as UTF-8 bytes in `buf` (replacing its contents; lone surrogates become
/// U+FFFD), reusing `buf`'s allocation. The bytes are not checked again here: the caller
/// reads them as UTF-8 and refuses what is not. `false` (and `buf` empty) when the value is
/// not a string.
pub fn text_into(value: &JsValue, buf: &mut alloc::vec::Vec<u8>) -> bool {
    buf.clear();
    let Some(string) = value.dyn_ref::<js_sys::JsString>() else {
        return false;
    };
    let units = string.length();
    if units < SMALL_STRING_UNITS {
        return match value.as_string() {
            Some(text) => {
                buf.extend_from_slice(text.as_bytes());
                true
            }
            None => false,
        };
    }
    let capacity = units as usize * 3;
    buf.reserve(capacity);
    // SAFETY: the view covers `buf`'s allocation of at least `capacity` bytes (reserved above;
    // its length is 0); nothing allocates in wasm memory while encodeInto runs, so the view
    // stays valid until it returns.
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), capacity) };
    let result = ENCODER.with(|encoder| encoder.encode_into(string, &view));
    let written = WRITTEN
        .with(|key| Reflect::get(&result, key))
        .ok()
        .and_then(|w| w.as_f64())
        .filter(|w| *w >= 0.0 && *w as usize <= capacity);
    match written {
        Some(written) => {
            // SAFETY: encodeInto initialised the first `written` bytes.
            unsafe { buf.set_len(written as usize) };
            true
        }
        None => false,
    }
}

/// A JS string, copied into wasm memory as UTF-8 (lone surrogates become U+FFFD, as with
/// wasm-bindgen's own conversion). `None` when the value is not a string.
pub fn text(value: &JsValue) -> Option<String> {
    let string = value.dyn_ref::<js_sys::JsString>()?;
    let units = string.length();
    if units < BULK_STRING_UNITS {
        return value.as_string();
    }
    let capacity = units as usize * 3;
    let mut buf: alloc::vec::Vec<u8> = alloc::vec::Vec::with_capacity(capacity);
    // SAFETY: the view covers the Vec's allocation, made above; nothing allocates in wasm
    // memory while encodeInto runs, so the view stays valid until it returns.
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), capacity) };
    let result = ENCODER.with(|encoder| encoder.encode_into(string, &view));
    let written = Reflect::get(&result, &JsValue::from_str("written"))
        .ok()
        .and_then(|w| w.as_f64())
        .filter(|w| *w >= 0.0 && *w as usize <= capacity)?;
    // SAFETY: encodeInto initialised the first `written` bytes.
    unsafe { buf.set_len(written as usize) };
    String::from_utf8(buf).ok()
}

/// The target of a passive `transfer_customer_service` reply, from the JS arguments
/// `(toUserName, fromUserName, format, isEvent)` that `transferReply` and `__transferReply` share.
pub fn reply_target<'a>(
    to_user_name: &'a str,
    from_user_name: &'a str,
    format_name: &str,
    encrypted: bool,
    is_event: bool,
) -> Result<crate::push::ReplyTarget<'a>, JsValue> {
    Ok(crate::push::ReplyTarget {
        to_user_name,
        from_user_name,
        format: format(format_name)?,
        encrypted,
        is_event,
    })
}

/// A body format named by the caller: `'xml'` or `'json'` (-42003 InvalidInput otherwise).
pub fn format(format: &str) -> Result<crate::crypto::Format, JsValue> {
    match format {
        "xml" => Ok(crate::crypto::Format::Xml),
        "json" => Ok(crate::crypto::Format::Json),
        _ => Err(js_err(Error::new(
            ErrorKind::InvalidInput,
            "format must be 'xml' or 'json'",
        ))),
    }
}

/// Whole seconds from a JS number of seconds (0 for a negative, NaN or infinite one).
pub(super) fn seconds(now_seconds: f64) -> u64 {
    if now_seconds.is_finite() && now_seconds > 0.0 {
        now_seconds as u64
    } else {
        0
    }
}
