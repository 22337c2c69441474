//! Constructor options: each option is read with `Reflect.get` and converted into its Rust type,
//! so that a wrong type is -41006 InvalidOption naming the option, with `field` set (never a
//! trap). Only the listed options are read, one converter per value type, so that no options
//! object has a derived deserializer of its own.
//!
//! Two converters, one per module, with the same rules (`js-tests/node/option-errors.test.mjs`):
//! the outbound module's options (`WXBizMsgCrypt`, `chatbot.Bot`) are converted by
//! serde-wasm-bindgen; the receivers' (the inbound module, compiled at every start) by
//! wasm-bindgen's own accessors, as every argument is (`args`). serde-wasm-bindgen's type
//! errors format the value they did not expect, floats included: that links 11.6 KB gzipped of
//! float formatting into the inbound module, which has no other use for it, for a message that
//! is replaced by ours anyway.

use alloc::string::String;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::errors::js_err;
use crate::crypto::WxBizMsgCrypt;
use crate::error::Error;

/// The option `name` of `options`, converted: `None` when absent, `null` or `undefined`.
/// Generic in as little as possible (one copy per value type): the lookup and the error are not.
fn get<T>(
    options: &JsValue,
    name: &'static str,
    what: &'static str,
    convert: fn(JsValue) -> Option<T>,
) -> Result<Option<T>, JsValue> {
    match lookup(options, name)? {
        None => Ok(None),
        Some(value) => convert(value)
            .map(Some)
            .ok_or_else(|| wrong_type(name, what)),
    }
}

/// The option `name` of `options`: `None` when absent, `null` or `undefined`.
fn lookup(options: &JsValue, name: &'static str) -> Result<Option<JsValue>, JsValue> {
    let value = js_sys::Reflect::get(options, &JsValue::from_str(name))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// -41006 for the option `name`, which is not `what`.
#[cold]
#[inline(never)]
fn wrong_type(name: &'static str, what: &'static str) -> JsValue {
    js_err(Error::invalid_option(
        name,
        alloc::format!("{name} must be {what}"),
    ))
}

/// serde-wasm-bindgen's conversion (the outbound module's options).
fn serde<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// A primitive string, as serde-wasm-bindgen takes it.
fn string(value: JsValue) -> Option<String> {
    value.as_string()
}

/// A primitive boolean, as serde-wasm-bindgen takes it.
fn boolean(value: JsValue) -> Option<bool> {
    value.as_bool()
}

/// A whole number as serde-wasm-bindgen takes a `u64`: a BigInt within `u64`, or a number that
/// is a safe integer (`Number.isSafeInteger`) and not negative (`-0` is 0).
fn whole(value: JsValue) -> Option<u64> {
    if value.is_bigint() {
        return u64::try_from(value).ok();
    }
    let n = value.as_f64()?;
    ((0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0).then_some(n as u64)
}

/// An array of primitive strings.
fn strings(value: JsValue) -> Option<alloc::vec::Vec<String>> {
    if !js_sys::Array::is_array(&value) {
        return None;
    }
    js_sys::Array::from(&value)
        .iter()
        .map(|v| v.as_string())
        .collect()
}

const STRING: &str = "a string";
const WHOLE: &str = "a non-negative whole number";
const BOOL: &str = "true or false";

/// An options object read option by option (in declaration order: the first bad one is named).
pub trait Options: Sized + Default {
    fn from_object(options: &JsValue) -> Result<Self, JsValue>;
}

/// `{ token, encodingAESKey, appId }` of `WXBizMsgCrypt` and `chatbot.Bot`.
#[derive(Default)]
pub struct CryptOptions {
    pub token: Option<String>,
    pub encoding_aes_key: Option<String>,
    pub app_id: Option<String>,
}

impl Options for CryptOptions {
    fn from_object(o: &JsValue) -> Result<Self, JsValue> {
        Ok(CryptOptions {
            token: get(o, "token", STRING, serde)?,
            encoding_aes_key: get(o, "encodingAESKey", STRING, serde)?,
            app_id: get(o, "appId", STRING, serde)?,
        })
    }
}

/// The options of `PushReceiver` (the crypt's, then the limits).
#[derive(Default)]
pub struct ReceiverOptions {
    pub token: Option<String>,
    pub encoding_aes_key: Option<String>,
    pub app_id: Option<String>,
    pub max_skew_seconds: Option<u64>,
    pub max_body_bytes: Option<u64>,
    pub max_json_depth: Option<u64>,
    pub allow_plaintext: Option<bool>,
}

impl Options for ReceiverOptions {
    fn from_object(o: &JsValue) -> Result<Self, JsValue> {
        Ok(ReceiverOptions {
            token: get(o, "token", STRING, string)?,
            encoding_aes_key: get(o, "encodingAESKey", STRING, string)?,
            app_id: get(o, "appId", STRING, string)?,
            max_skew_seconds: get(o, "maxSkewSeconds", WHOLE, whole)?,
            max_body_bytes: get(o, "maxBodyBytes", WHOLE, whole)?,
            max_json_depth: get(o, "maxJsonDepth", WHOLE, whole)?,
            allow_plaintext: get(o, "allowPlaintext", BOOL, boolean)?,
        })
    }
}

/// The options of `CloudReceiver` (WeChat Cloud Hosting).
#[derive(Default)]
pub struct CloudOptions {
    pub public_access: Option<bool>,
    pub max_body_bytes: Option<u64>,
    pub max_json_depth: Option<u64>,
    pub client_sources: Option<alloc::vec::Vec<String>>,
}

impl Options for CloudOptions {
    fn from_object(o: &JsValue) -> Result<Self, JsValue> {
        Ok(CloudOptions {
            public_access: get(
                o,
                "publicAccess",
                "true or false (whether the service has public access)",
                boolean,
            )?,
            max_body_bytes: get(o, "maxBodyBytes", WHOLE, whole)?,
            max_json_depth: get(o, "maxJsonDepth", WHOLE, whole)?,
            client_sources: get(o, "clientSources", "an array of strings", strings)?,
        })
    }
}

/// Reads an options object (`undefined` / `null`: every option absent).
pub fn read<T: Options>(options: &JsValue) -> Result<T, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(T::default());
    }
    if !options.is_object() {
        return Err(js_err(Error::invalid_option(
            "options",
            "options must be an object".into(),
        )));
    }
    T::from_object(options)
}

/// The strings of `{ token, encodingAESKey, appId }`, read with serde-wasm-bindgen (-41006
/// InvalidOption naming the option otherwise). Shared by every class that takes these options.
pub fn crypt(options: &JsValue) -> Result<(String, String, String), JsValue> {
    let o: CryptOptions = read(options)?;
    Ok((
        required(o.token, "token")?,
        required(o.encoding_aes_key, "encodingAESKey")?,
        required(o.app_id, "appId")?,
    ))
}

/// A required string option: -41006 naming it when absent.
pub fn required(value: Option<String>, name: &'static str) -> Result<String, JsValue> {
    value.ok_or_else(|| {
        js_err(Error::invalid_option(
            name,
            alloc::format!("{name} is required and must be a string"),
        ))
    })
}

/// The crypt of a `PushReceiver`: without `encodingAESKey` (absent, `null` or `undefined`: a
/// plaintext-mode account) only the token is needed and `appId` is optional.
pub fn receiver_crypt(o: &ReceiverOptions) -> Result<WxBizMsgCrypt, JsValue> {
    let token = required(o.token.clone(), "token")?;
    let Some(key) = o.encoding_aes_key.as_deref() else {
        return WxBizMsgCrypt::without_key(&token).map_err(js_err);
    };
    let app_id = required(o.app_id.clone(), "appId")?;
    let crypt = WxBizMsgCrypt::new(&token, key, &app_id).map_err(js_err)?;
    Ok(super::host::attach(crypt))
}
