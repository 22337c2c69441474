//! `CloudReceiver`: WeChat Cloud Hosting pushes for the package's JS `CloudReceiver` (no
//! crypt: the platform's internal link carries them unsigned). The platform's side (the pushes
//! and probe the simulator sends) is in `cloud_push.rs`.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::args;
use super::errors::js_err;
use super::receiver::saturate;
use crate::error::Error;
use crate::push::{cloud_transfer_reply, receive_cloud, CloudCaller, CloudLimits};

#[wasm_bindgen(js_name = CloudReceiver)]
pub struct JsCloudReceiver {
    limits: CloudLimits,
}

#[wasm_bindgen(js_class = CloudReceiver)]
impl JsCloudReceiver {
    /// `new CloudReceiver({ publicAccess, maxBodyBytes?, maxJsonDepth?, clientSources? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<JsCloudReceiver, JsValue> {
        let defaults = CloudLimits::default();
        let o: super::options::CloudOptions = super::options::read(options)?;
        let public_access = o.public_access.ok_or_else(|| {
            js_err(Error::invalid_option(
                "publicAccess",
                "publicAccess must be true or false (whether the service has public access)".into(),
            ))
        })?;
        Ok(JsCloudReceiver {
            limits: CloudLimits {
                public_access,
                max_body_bytes: o.max_body_bytes.map_or(defaults.max_body_bytes, saturate),
                max_json_depth: o.max_json_depth.map_or(defaults.max_json_depth, saturate),
                client_sources: o.client_sources.unwrap_or(defaults.client_sources),
            },
        })
    }

    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> f64 {
        self.limits.max_body_bytes as f64
    }

    /// `receiveText(body, contentType, source, openid, fromOpenid)`: `{"probe":true,"format"}`
    /// or the push JSON. `source`, `openid` and `fromOpenid` are the `x-wx-source`,
    /// `x-wx-openid` and `x-wx-from-openid` headers (undefined when absent).
    #[wasm_bindgen(js_name = receiveText)]
    pub fn receive_text(
        &self,
        body: JsValue,
        content_type: Option<String>,
        source: Option<String>,
        openid: Option<String>,
        from_openid: Option<String>,
    ) -> Result<String, JsValue> {
        let body = args::text(&body).unwrap_or_default();
        let caller = [source, openid, from_openid];
        self.run(body.as_bytes(), &content_type, &caller)
    }

    /// The same for a body given as bytes.
    #[wasm_bindgen(js_name = receiveBytes)]
    pub fn receive_bytes(
        &self,
        body: &[u8],
        content_type: Option<String>,
        source: Option<String>,
        openid: Option<String>,
        from_openid: Option<String>,
    ) -> Result<String, JsValue> {
        self.run(body, &content_type, &[source, openid, from_openid])
    }

    /// `transferReply(toUserName, fromUserName, format, isEvent, timestamp)`: the plaintext
    /// passive reply (official accounts only).
    #[wasm_bindgen(js_name = transferReply)]
    pub fn transfer_reply(
        &self,
        to_user_name: &str,
        from_user_name: &str,
        format: &str,
        is_event: bool,
        timestamp: &str,
    ) -> Result<String, JsValue> {
        transfer_plaintext(to_user_name, from_user_name, format, is_event, timestamp)
    }
}

impl JsCloudReceiver {
    fn run(
        &self,
        body: &[u8],
        content_type: &Option<String>,
        [source, openid, from_openid]: &[Option<String>; 3],
    ) -> Result<String, JsValue> {
        let caller = CloudCaller {
            source: source.as_deref(),
            openid: openid.as_deref(),
            from_openid: from_openid.as_deref(),
        };
        receive_cloud(body, content_type.as_deref(), caller, &self.limits)
            .map(|got| got.to_json())
            .map_err(js_err)
    }
}

/// `__transferPlaintext(toUserName, fromUserName, format, isEvent, timestamp)`: the plaintext
/// passive `transfer_customer_service` reply of a plaintext push (`Receiver`); an encrypted
/// push's reply is encrypted by the outbound module (`WXBizMsgCrypt.__transferReply`).
#[wasm_bindgen(js_name = __transferPlaintext)]
pub fn transfer_plaintext(
    to_user_name: &str,
    from_user_name: &str,
    format: &str,
    is_event: bool,
    timestamp: &str,
) -> Result<String, JsValue> {
    let target = args::reply_target(to_user_name, from_user_name, format, false, is_event)?;
    cloud_transfer_reply(&target, timestamp).map_err(js_err)
}
