//! The dialogue platform for the JS layer: payloads and msg inputs cross as JSON strings.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::args;
use super::edge;
use super::errors::js_err;
use crate::chatbot::{build_msg, ChatbotCrypt, Payload};
use crate::error::ErrorKind;

/// `__chatbotMsg(kind, inputJson)` -> the `msg` string.
#[wasm_bindgen(js_name = __chatbotMsg)]
pub fn msg(kind: &str, input: &str) -> Result<String, JsValue> {
    build_msg(kind, input).map_err(js_err)
}

/// `__chatbotPayloadXml(payloadJson)` -> the payload XML.
#[wasm_bindgen(js_name = __chatbotPayloadXml)]
pub fn payload_xml(payload: &str) -> Result<String, JsValue> {
    Payload::from_json(payload)
        .and_then(|p| p.to_xml())
        .map_err(js_err)
}

#[wasm_bindgen(js_name = __ChatbotCrypt)]
pub struct JsChatbotCrypt {
    inner: ChatbotCrypt,
}

fn random(value: &JsValue) -> Result<[u8; 16], JsValue> {
    match args::random_bytes(value, ErrorKind::EncryptAes)? {
        Some(bytes) => Ok(bytes),
        None => edge::random16().map_err(js_err),
    }
}

#[wasm_bindgen(js_class = __ChatbotCrypt)]
impl JsChatbotCrypt {
    /// `new __ChatbotCrypt({ token, encodingAESKey, appId })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<JsChatbotCrypt, JsValue> {
        let (token, key, app_id) = super::options::crypt(options)?;
        let inner = ChatbotCrypt::new(&token, &key, &app_id).map_err(js_err)?;
        Ok(JsChatbotCrypt { inner })
    }

    #[wasm_bindgen(getter, js_name = appId)]
    pub fn app_id(&self) -> String {
        self.inner.app_id().into()
    }

    /// `sendmsg(payloadJson, random?)` -> request descriptor JSON.
    pub fn sendmsg(&self, payload: &str, random_bytes: JsValue) -> Result<String, JsValue> {
        let payload = Payload::from_json(payload).map_err(js_err)?;
        let request = self
            .inner
            .sendmsg(&payload, &random(&random_bytes)?)
            .map_err(js_err)?;
        Ok(request.to_json())
    }

    /// `encryptPayload(payloadJson, random?)` -> the bare base64 ciphertext.
    #[wasm_bindgen(js_name = encryptPayload)]
    pub fn encrypt_payload(&self, payload: &str, random_bytes: JsValue) -> Result<String, JsValue> {
        let payload = Payload::from_json(payload).map_err(js_err)?;
        self.inner
            .encrypt_payload(&payload, &random(&random_bytes)?)
            .map_err(js_err)
    }

    /// `openSendmsg(body)` -> payload JSON; throws 1004 / 1005 / 1008 as the platform would.
    #[wasm_bindgen(js_name = openSendmsg)]
    pub fn open_sendmsg(&self, body: &str) -> Result<String, JsValue> {
        self.inner
            .open_sendmsg(body)
            .map(|p| p.to_json())
            .map_err(js_err)
    }

    /// `decryptCallback(body)` -> plaintext of `{"encrypted": ...}` (or of a bare ciphertext).
    #[wasm_bindgen(js_name = decryptCallback)]
    pub fn decrypt_callback(&self, body: &str) -> Result<String, JsValue> {
        self.inner.decrypt_callback(body).map_err(js_err)
    }

    /// `encryptCallback(plaintext, random?)` -> `{"encrypted": ...}` (tests, emulator).
    #[wasm_bindgen(js_name = encryptCallback)]
    pub fn encrypt_callback(
        &self,
        plaintext: &str,
        random_bytes: JsValue,
    ) -> Result<String, JsValue> {
        self.inner
            .encrypt_callback(plaintext, &random(&random_bytes)?)
            .map_err(js_err)
    }
}
