//! Constructor options: each option is read with `Reflect.get` and converted by
//! serde-wasm-bindgen into its Rust type, so that a wrong type is -41006 InvalidOption naming the
//! option, with `field` set (never a trap). Only the listed options are read. One generic reader
//! per value type (string, whole number, boolean) serves every options object, which keeps the
//! inbound module small (no derived deserializer per struct).

use alloc::string::String;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use super::errors::js_err;
use crate::crypto::WxBizMsgCrypt;
use crate::error::Error;

/// The option `name` of `options`: `None` when absent, `null` or `undefined`.
fn get<T: DeserializeOwned>(
    options: &JsValue,
    name: &'static str,
    what: &'static str,
) -> Result<Option<T>, JsValue> {
    let value = js_sys::Reflect::get(options, &JsValue::from_str(name))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    serde_wasm_bindgen::from_value(value)
        .map(Some)
        .map_err(|_| {
            js_err(Error::invalid_option(
                name,
                alloc::format!("{name} must be {what}"),
            ))
        })
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
            token: get(o, "token", STRING)?,
            encoding_aes_key: get(o, "encodingAESKey", STRING)?,
            app_id: get(o, "appId", STRING)?,
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
            token: get(o, "token", STRING)?,
            encoding_aes_key: get(o, "encodingAESKey", STRING)?,
            app_id: get(o, "appId", STRING)?,
            max_skew_seconds: get(o, "maxSkewSeconds", WHOLE)?,
            max_body_bytes: get(o, "maxBodyBytes", WHOLE)?,
            max_json_depth: get(o, "maxJsonDepth", WHOLE)?,
            allow_plaintext: get(o, "allowPlaintext", BOOL)?,
        })
    }
}

/// The options of `CloudReceiver` (WeChat Cloud Hosting).
#[derive(Default)]
pub struct CloudOptions {
    pub public_access: Option<bool>,
    pub max_body_bytes: Option<u64>,
    pub max_json_depth: Option<u64>,
}

impl Options for CloudOptions {
    fn from_object(o: &JsValue) -> Result<Self, JsValue> {
        Ok(CloudOptions {
            public_access: get(
                o,
                "publicAccess",
                "true or false (whether the service has public access)",
            )?,
            max_body_bytes: get(o, "maxBodyBytes", WHOLE)?,
            max_json_depth: get(o, "maxJsonDepth", WHOLE)?,
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
