//! `signature` and `checkSignature`: the platform's SHA-1 signature for the JavaScript API.

use super::args;
use wasm_bindgen::prelude::*;

/// `signature(token, timestamp, nonce, encrypt?)`: hex SHA-1 of the sorted parts.
#[wasm_bindgen]
pub fn signature(
    token: JsValue,
    timestamp: JsValue,
    nonce: JsValue,
    encrypt: JsValue,
) -> Result<String, JsValue> {
    use crate::error::ErrorKind::ComputeSignature;
    let token = args::string(&token, "token", ComputeSignature)?;
    let timestamp = args::stamp(&timestamp, "timestamp", ComputeSignature)?;
    let nonce = args::stamp(&nonce, "nonce", ComputeSignature)?;
    let encrypt = args::optional_string(&encrypt, "encrypt", ComputeSignature)?;
    let hex = crate::crypto::signature(&token, &timestamp, &nonce, encrypt.as_deref());
    Ok(crate::crypto::hex_str(&hex).into())
}

/// `checkSignature(token, timestamp, nonce, signature, encrypt?)`: whether `signature` (hex, any
/// case) is the SHA-1 of the sorted parts; compared in constant time. For tools that show each
/// check one by one (the debugger, `wechat-kf verify`).
#[wasm_bindgen(js_name = checkSignature)]
pub fn check_signature(
    token: JsValue,
    timestamp: JsValue,
    nonce: JsValue,
    signature: JsValue,
    encrypt: JsValue,
) -> Result<bool, JsValue> {
    use crate::error::ErrorKind::ValidateSignature;
    let token = args::string(&token, "token", ValidateSignature)?;
    let timestamp = args::stamp(&timestamp, "timestamp", ValidateSignature)?;
    let nonce = args::stamp(&nonce, "nonce", ValidateSignature)?;
    let received = args::string(&signature, "signature", ValidateSignature)?;
    let encrypt = args::optional_string(&encrypt, "encrypt", ValidateSignature)?;
    let expected = crate::crypto::signature(&token, &timestamp, &nonce, encrypt.as_deref());
    Ok(crate::crypto::signature_matches(&expected, &received))
}
