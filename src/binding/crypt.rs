//! The `WXBizMsgCrypt` class of the JavaScript API.

use alloc::string::String;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::args::{self, field, seconds};
use super::edge;
use super::errors::js_err;
use crate::crypto::{Format, ReplyParams, UrlVerification, WxBizMsgCrypt};
use crate::error::{Error, ErrorKind};

#[wasm_bindgen(js_name = WXBizMsgCrypt)]
pub struct JsWxBizMsgCrypt {
    inner: WxBizMsgCrypt,
}

impl JsWxBizMsgCrypt {
    /// The core's crypt (for the outbound module's other uses of it, such as replies).
    pub(super) fn crypt(&self) -> &WxBizMsgCrypt {
        &self.inner
    }
}

#[wasm_bindgen(js_class = WXBizMsgCrypt)]
impl JsWxBizMsgCrypt {
    /// `new WXBizMsgCrypt({ token, encodingAESKey, appId })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<JsWxBizMsgCrypt, JsValue> {
        let inner = crypt_from_options(options)?;
        Ok(JsWxBizMsgCrypt { inner })
    }

    #[wasm_bindgen(getter, js_name = appId)]
    pub fn app_id(&self) -> String {
        self.inner.app_id().into()
    }

    /// Encrypts to base64; `random` (16 bytes) defaults to the host CSPRNG.
    pub fn encrypt(&self, plaintext: JsValue, random: JsValue) -> Result<String, JsValue> {
        let plaintext = args::string(&plaintext, "plaintext", ErrorKind::EncryptAes)?;
        let random = match args::random_bytes(&random, ErrorKind::EncryptAes)? {
            Some(bytes) => bytes,
            None => edge::random16().map_err(js_err)?,
        };
        self.inner.encrypt(&plaintext, &random).map_err(js_err)
    }

    /// Decrypts base64 to `{ plaintext, appId }`.
    pub fn decrypt(&self, encrypt: JsValue) -> Result<Object, JsValue> {
        let encrypt = args::string(&encrypt, "encrypt", ErrorKind::DecodeBase64)?;
        let decrypted = self.inner.decrypt(&encrypt).map_err(js_err)?;
        let out = Object::new();
        Reflect::set(&out, &"plaintext".into(), &decrypted.plaintext.into())?;
        Reflect::set(&out, &"appId".into(), &decrypted.receive_id.into())?;
        Ok(out)
    }

    #[wasm_bindgen(js_name = msgSignature)]
    pub fn msg_signature(
        &self,
        timestamp: JsValue,
        nonce: JsValue,
        encrypt: JsValue,
    ) -> Result<String, JsValue> {
        let kind = ErrorKind::ComputeSignature;
        let timestamp = args::stamp(&timestamp, "timestamp", kind)?;
        let nonce = args::stamp(&nonce, "nonce", kind)?;
        let encrypt = args::string(&encrypt, "encrypt", kind)?;
        Ok(self.inner.msg_signature(&timestamp, &nonce, &encrypt))
    }

    /// `decryptMessage({ msgSignature, timestamp, nonce, body })` -> plaintext.
    #[wasm_bindgen(js_name = decryptMessage)]
    pub fn decrypt_message(&self, params: &JsValue) -> Result<String, JsValue> {
        let kind = ErrorKind::ValidateSignature;
        let msg_signature = args::string(&field(params, "msgSignature"), "msgSignature", kind)?;
        let timestamp = args::stamp(&field(params, "timestamp"), "timestamp", kind)?;
        let nonce = args::stamp(&field(params, "nonce"), "nonce", kind)?;
        let body = body_string(&field(params, "body"))?;
        self.inner
            .decrypt_message(&msg_signature, &timestamp, &nonce, &body)
            .map_err(js_err)
    }

    /// `encryptMessage(plaintext, { timestamp?, nonce?, format?, random? })` -> envelope.
    #[wasm_bindgen(js_name = encryptMessage)]
    pub fn encrypt_message(&self, plaintext: JsValue, options: JsValue) -> Result<String, JsValue> {
        let kind = ErrorKind::EncryptAes;
        let plaintext = args::string(&plaintext, "plaintext", kind)?;
        let timestamp =
            match args::optional_stamp(&field(&options, "timestamp"), "timestamp", kind)? {
                Some(t) => t,
                None => edge::now_seconds(),
            };
        let nonce = match args::optional_stamp(&field(&options, "nonce"), "nonce", kind)? {
            Some(n) => n,
            None => edge::nonce().map_err(js_err)?,
        };
        let format =
            match args::optional_string(&field(&options, "format"), "format", kind)?.as_deref() {
                None | Some("xml") => Format::Xml,
                Some("json") => Format::Json,
                Some(_) => {
                    return Err(js_err(Error::new(
                        ErrorKind::GenReturnXml,
                        "format must be 'xml' or 'json'",
                    )))
                }
            };
        let random = match args::random_bytes(&field(&options, "random"), kind)? {
            Some(bytes) => bytes,
            None => edge::random16().map_err(js_err)?,
        };
        let params = ReplyParams {
            timestamp: &timestamp,
            nonce: &nonce,
            random: &random,
            format,
        };
        self.inner
            .encrypt_message(&plaintext, &params)
            .map_err(js_err)
    }

    /// `verifyUrl({ signature?, msgSignature?, timestamp, nonce, echostr }, nowSeconds?,
    /// maxSkewSeconds)` -> the answer. With `nowSeconds` (the JS wrapper reads its `now`
    /// option), the timestamp must lie within `maxSkewSeconds` of it (0: no window).
    #[wasm_bindgen(js_name = verifyUrl)]
    pub fn verify_url(
        &self,
        query: &JsValue,
        now_seconds: Option<f64>,
        max_skew_seconds: f64,
    ) -> Result<String, JsValue> {
        let kind = ErrorKind::ValidateSignature;
        let signature = args::optional_string(&field(query, "signature"), "signature", kind)?;
        let msg_signature =
            args::optional_string(&field(query, "msgSignature"), "msgSignature", kind)?;
        let timestamp = args::stamp(&field(query, "timestamp"), "timestamp", kind)?;
        let nonce = args::stamp(&field(query, "nonce"), "nonce", kind)?;
        let echostr = args::string(&field(query, "echostr"), "echostr", kind)?;
        if let Some(now) = now_seconds {
            crate::push::check_window(&timestamp, seconds(now), seconds(max_skew_seconds))
                .map_err(js_err)?;
        }
        self.inner
            .verify_url(&UrlVerification {
                signature: signature.as_deref(),
                msg_signature: msg_signature.as_deref(),
                timestamp: &timestamp,
                nonce: &nonce,
                echostr: &echostr,
            })
            .map_err(js_err)
    }
}

/// A crypt from `{ token, encodingAESKey, appId }`, using the host's primitives when the
/// runtime registered them.
pub fn crypt_from_options(options: &JsValue) -> Result<WxBizMsgCrypt, JsValue> {
    let (token, key, app_id) = super::options::crypt(options)?;
    let crypt = WxBizMsgCrypt::new(&token, &key, &app_id).map_err(js_err)?;
    Ok(super::host::attach(crypt))
}

/// A body given as a string or as UTF-8 bytes.
fn body_string(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = args::text(value) {
        return Ok(text);
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return String::from_utf8(bytes.to_vec())
            .map_err(|_| js_err(Error::new(ErrorKind::ParseXml, "body is not valid UTF-8")));
    }
    Err(js_err(Error::new(
        ErrorKind::ParseXml,
        "body must be a string or a Uint8Array",
    )))
}
