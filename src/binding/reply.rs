//! The encrypted passive reply of a `Receiver` (`transfer_customer_service` in the signed
//! envelope). Encrypting is outbound work: it lives in the outbound module, on the receiver's
//! own `WXBizMsgCrypt` made there on the first such reply, so that the inbound module only
//! verifies, decrypts and parses. (A plaintext push's reply is `__transferPlaintext`, inbound.)

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::args;
use super::crypt::JsWxBizMsgCrypt;
use super::edge;
use super::errors::js_err;
use crate::push::transfer_reply;

#[wasm_bindgen(js_class = WXBizMsgCrypt)]
impl JsWxBizMsgCrypt {
    /// `__transferReply(toUserName, fromUserName, format, isEvent, timestamp)`: the encrypted
    /// reply body; its nonce and random bytes are drawn here.
    #[wasm_bindgen(js_name = __transferReply)]
    pub fn transfer_reply(
        &self,
        to_user_name: &str,
        from_user_name: &str,
        format: &str,
        is_event: bool,
        timestamp: &str,
    ) -> Result<String, JsValue> {
        let target = args::reply_target(to_user_name, from_user_name, format, true, is_event)?;
        let nonce = edge::nonce().map_err(js_err)?;
        let random = edge::random16().map_err(js_err)?;
        transfer_reply(self.crypt(), &target, timestamp, &nonce, &random).map_err(js_err)
    }
}
