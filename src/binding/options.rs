//! Constructor options, read with serde-wasm-bindgen: one struct per options object, each field
//! read by a reader that names the option, so that a wrong type is -41006 InvalidOption with
//! `field` set (never a trap). Only the listed fields are read (`Reflect.get` per field).

use alloc::string::String;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use wasm_bindgen::{JsCast, JsValue};

use super::errors::js_err;
use crate::error::Error;

/// Separates the option's name from the message inside a serde error.
const SEP: char = '\u{1f}';

macro_rules! reader {
    ($fn:ident, $ty:ty, $name:literal, $what:literal) => {
        fn $fn<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
            Option::<$ty>::deserialize(d)
                .map_err(|_| D::Error::custom(concat!($name, "\u{1f}", $name, " must be ", $what)))
        }
    };
}

reader!(token, String, "token", "a string");
reader!(encoding_aes_key, String, "encodingAESKey", "a string");
reader!(app_id, String, "appId", "a string");
reader!(
    max_skew_seconds,
    u64,
    "maxSkewSeconds",
    "a non-negative whole number"
);
reader!(
    max_body_bytes,
    u64,
    "maxBodyBytes",
    "a non-negative whole number"
);
reader!(
    max_json_depth,
    u64,
    "maxJsonDepth",
    "a non-negative whole number"
);
reader!(allow_plaintext, bool, "allowPlaintext", "true or false");
reader!(
    public_access,
    bool,
    "publicAccess",
    "true or false (whether the service has public access)"
);

/// `{ token, encodingAESKey, appId }` of `WXBizMsgCrypt` and `chatbot.Bot`.
#[derive(Deserialize, Default)]
pub struct CryptOptions {
    #[serde(default, deserialize_with = "token")]
    pub token: Option<String>,
    #[serde(
        default,
        rename = "encodingAESKey",
        deserialize_with = "encoding_aes_key"
    )]
    pub encoding_aes_key: Option<String>,
    #[serde(default, rename = "appId", deserialize_with = "app_id")]
    pub app_id: Option<String>,
}

/// The options of `PushReceiver` (the crypt's, then the limits).
#[derive(Deserialize, Default)]
pub struct ReceiverOptions {
    #[serde(default, deserialize_with = "token")]
    pub token: Option<String>,
    #[serde(
        default,
        rename = "encodingAESKey",
        deserialize_with = "encoding_aes_key"
    )]
    pub encoding_aes_key: Option<String>,
    #[serde(default, rename = "appId", deserialize_with = "app_id")]
    pub app_id: Option<String>,
    #[serde(
        default,
        rename = "maxSkewSeconds",
        deserialize_with = "max_skew_seconds"
    )]
    pub max_skew_seconds: Option<u64>,
    #[serde(default, rename = "maxBodyBytes", deserialize_with = "max_body_bytes")]
    pub max_body_bytes: Option<u64>,
    #[serde(default, rename = "maxJsonDepth", deserialize_with = "max_json_depth")]
    pub max_json_depth: Option<u64>,
    #[serde(
        default,
        rename = "allowPlaintext",
        deserialize_with = "allow_plaintext"
    )]
    pub allow_plaintext: Option<bool>,
}

/// The options of `CloudReceiver` (WeChat Cloud Hosting).
#[derive(Deserialize, Default)]
pub struct CloudOptions {
    #[serde(default, rename = "publicAccess", deserialize_with = "public_access")]
    pub public_access: Option<bool>,
    #[serde(default, rename = "maxBodyBytes", deserialize_with = "max_body_bytes")]
    pub max_body_bytes: Option<u64>,
    #[serde(default, rename = "maxJsonDepth", deserialize_with = "max_json_depth")]
    pub max_json_depth: Option<u64>,
}

/// Reads an options object (`undefined` / `null`: every option absent).
pub fn read<T: for<'de> Deserialize<'de> + Default>(options: &JsValue) -> Result<T, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(T::default());
    }
    if !options.is_object() {
        return Err(js_err(Error::invalid_option(
            "options",
            "options must be an object".into(),
        )));
    }
    serde_wasm_bindgen::from_value(options.clone()).map_err(|e| {
        // serde-wasm-bindgen's error is a JS `Error` whose message is ours.
        let value: JsValue = e.into();
        let text = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        js_err(match text.split_once(SEP) {
            Some((name, message)) => Error::invalid_option(String::from(name), message.into()),
            None => Error::invalid_option("options", text),
        })
    })
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
