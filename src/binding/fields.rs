//! `readFields(body)` and `writeFields(fields, format)`: the core's reader and writer of push
//! and reply bodies, for the tools (CLI, debugger, simulator, emulator) so that none of them
//! reads or writes XML itself.

use alloc::string::String;
use alloc::vec::Vec;
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::args;
use super::errors::js_err;
use crate::crypto::Format;
use crate::error::{Error, ErrorKind};
use crate::push::{FieldValue, MAX_FIELD_DEPTH};

/// `readFields(body)` -> `{ format: 'xml' | 'json', fields }`: text fields are strings (JSON
/// numbers as their exact digits), elements with children are objects.
#[wasm_bindgen(js_name = readFields)]
pub fn read_fields(body: JsValue) -> Result<Object, JsValue> {
    let body = args::string(&body, "body", ErrorKind::ParseXml)?;
    let (format, fields) = crate::push::read_fields(&body).map_err(js_err)?;
    let json = serde_json::Value::Object(fields).to_string();
    let out = Object::new();
    Reflect::set(&out, &"format".into(), &format.as_str().into())?;
    Reflect::set(&out, &"fields".into(), &JSON::parse(&json)?)?;
    Ok(out)
}

/// `writeFields(fields, format?)` -> the body: `<xml>` with CDATA (default) or a JSON object;
/// CreateTime, MsgId and BusinessId are written as bare numbers. Values are strings, numbers
/// or bigints, or nest: a plain object is an element with children (a JSON object), an array
/// the element repeated (a JSON array), as the subscribe-message events' lists are sent. Fields
/// whose value is undefined are left out.
#[wasm_bindgen(js_name = writeFields)]
pub fn write_fields(fields: JsValue, format: JsValue) -> Result<String, JsValue> {
    let kind = ErrorKind::GenReturnXml;
    let format = match args::optional_string(&format, "format", kind)?.as_deref() {
        None | Some("xml") => Format::Xml,
        Some("json") => Format::Json,
        Some(_) => return Err(js_err(Error::new(kind, "format must be 'xml' or 'json'"))),
    };
    if !fields.is_object() {
        return Err(js_err(Error::new(
            kind,
            "fields must be an object of field names to values",
        )));
    }
    let list = field_values(&fields, kind, 1)?;
    crate::push::write_field_values(&list, format).map_err(js_err)
}

/// The members of a fields object as [`FieldValue`]s, in order (undefined ones left out): text
/// from a string, a number (its digits when whole) or a bigint; an object from a plain object;
/// a list from an array. Anything else, or nesting past [`MAX_FIELD_DEPTH`], is `kind`.
pub(super) fn field_values(
    object: &JsValue,
    kind: ErrorKind,
    depth: usize,
) -> Result<Vec<(String, FieldValue)>, JsValue> {
    let mut list = Vec::new();
    for entry in Object::entries(object.unchecked_ref::<Object>()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if value.is_undefined() {
            continue;
        }
        let value = field_value(&value, &name, kind, depth)?;
        list.push((name, value));
    }
    Ok(list)
}

fn field_value(
    value: &JsValue,
    name: &str,
    kind: ErrorKind,
    depth: usize,
) -> Result<FieldValue, JsValue> {
    if depth > MAX_FIELD_DEPTH {
        return Err(js_err(Error::with_message(
            kind,
            alloc::format!("fields nest more than {MAX_FIELD_DEPTH} levels deep (at {name})"),
        )));
    }
    if let Some(text) = value.as_string() {
        return Ok(FieldValue::Text(text));
    }
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            return Err(js_err(Error::with_message(
                kind,
                alloc::format!("field {name} must be a finite number"),
            )));
        }
        return Ok(FieldValue::Text(
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                alloc::format!("{}", n as i64)
            } else {
                alloc::format!("{n}")
            },
        ));
    }
    if value.is_bigint() {
        let digits = value.unchecked_ref::<js_sys::BigInt>().to_string(10)?;
        return Ok(FieldValue::Text(String::from(digits)));
    }
    if js_sys::Array::is_array(value) {
        let items: js_sys::Array = value.clone().unchecked_into();
        let mut out = Vec::with_capacity(items.length() as usize);
        for item in items.iter() {
            out.push(field_value(&item, name, kind, depth + 1)?);
        }
        return Ok(FieldValue::List(out));
    }
    if value.is_object() && !value.is_function() {
        return Ok(FieldValue::Object(field_values(value, kind, depth + 1)?));
    }
    Err(js_err(Error::with_message(
        kind,
        alloc::format!(
            "field {name} must be a string, a number, a bigint, an object of fields or an array"
        ),
    )))
}
