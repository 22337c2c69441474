//! `cloudPushBody` and `cloudProbeBody`: the unsigned pushes and probe that WeChat Cloud Hosting
//! sends to a service, built by the core for the simulator. The platform's side, not a
//! handler's: compiled into the outbound module.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::args;
use super::errors::js_err;
use crate::error::{Error, ErrorKind};
use crate::push::{cloud_push_fields, probe_body};

/// `cloudPushBody(fields, format)`: the unsigned push the platform sends to a Cloud Hosting
/// service, from an object of fields (values as strings or numbers, in order; objects and arrays
/// nest as `writeFields`'s do).
#[wasm_bindgen(js_name = cloudPushBody)]
pub fn cloud_push_body_js(fields: &JsValue, format: &str) -> Result<String, JsValue> {
    let format = args::format(format)?;
    if !fields.is_object() {
        return Err(js_err(Error::new(
            ErrorKind::InvalidInput,
            "fields must be an object of push fields",
        )));
    }
    let list = super::fields::field_values(fields, ErrorKind::InvalidField, 1)?;
    cloud_push_fields(&list, format).map_err(js_err)
}

/// `cloudProbeBody(format)`: the platform's CheckContainerPath probe.
#[wasm_bindgen(js_name = cloudProbeBody)]
pub fn cloud_probe_body_js(format: &str) -> Result<String, JsValue> {
    Ok(probe_body(args::format(format)?))
}
