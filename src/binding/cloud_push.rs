//! `cloudPushBody` and `cloudProbeBody`: the unsigned pushes and probe that WeChat Cloud Hosting
//! sends to a service, built by the core for the simulator. The platform's side, not a
//! handler's: compiled into the outbound module.

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use super::args;
use super::errors::js_err;
use crate::error::{Error, ErrorKind};
use crate::push::{cloud_push_body, probe_body};

/// `cloudPushBody(fields, format)`: the unsigned push the platform sends to a Cloud Hosting
/// service, from an object of fields (values as strings or numbers, in order).
#[wasm_bindgen(js_name = cloudPushBody)]
pub fn cloud_push_body_js(fields: &JsValue, format: &str) -> Result<String, JsValue> {
    let format = args::format(format)?;
    if !fields.is_object() {
        return Err(js_err(Error::new(
            ErrorKind::InvalidInput,
            "fields must be an object of push fields",
        )));
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for entry in js_sys::Object::entries(fields.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let text = args::stamp(&value, &name, ErrorKind::InvalidField)?;
        pairs.push((name, text));
    }
    cloud_push_body(&pairs, format).map_err(js_err)
}

/// `cloudProbeBody(format)`: the platform's CheckContainerPath probe.
#[wasm_bindgen(js_name = cloudProbeBody)]
pub fn cloud_probe_body_js(format: &str) -> Result<String, JsValue> {
    Ok(probe_body(args::format(format)?))
}
