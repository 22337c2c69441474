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
/// or bigints; fields whose value is undefined are left out.
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
    let mut list = Vec::new();
    for entry in Object::entries(fields.unchecked_ref::<Object>()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        if value.is_undefined() {
            continue;
        }
        let text = if let Some(text) = value.as_string() {
            text
        } else if let Some(n) = value.as_f64() {
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                alloc::format!("{}", n as i64)
            } else {
                alloc::format!("{n}")
            }
        } else if value.is_bigint() {
            let digits = value.unchecked_ref::<js_sys::BigInt>().to_string(10)?;
            String::from(digits)
        } else {
            return Err(js_err(Error::with_message(
                kind,
                alloc::format!("field {name} must be a string, a number or a bigint"),
            )));
        };
        list.push((name, text));
    }
    crate::push::write_fields(&list, format).map_err(js_err)
}
