//! Outbound requests for the JS layer. Values cross as JSON strings: the JS side calls
//! `JSON.stringify` on the input and `JSON.parse` on the descriptor (measured smaller than
//! serde-wasm-bindgen, which only reads the options of `WXBizMsgCrypt` and `chatbot.Bot`).

use wasm_bindgen::prelude::*;

use super::errors::js_err;
use crate::api;
use crate::api::json::{self, Obj};

/// `__request(name, inputJson)` -> `{"method","path","query","body"}` as JSON.
#[wasm_bindgen(js_name = __request)]
pub fn request(name: &str, input: &str) -> Result<String, JsValue> {
    api::build(name, input).map(|r| r.to_json()).map_err(js_err)
}

/// `__checkImage(head, size, declared)` -> `{"contentType","extension"}` as JSON: the
/// platform's image limits (format from the magic number, size, declared type), checked
/// before an upload. `head`: the first bytes (8 suffice); `size`: the whole length.
#[wasm_bindgen(js_name = __checkImage)]
pub fn check_image(head: &[u8], size: f64, declared: &str) -> Result<String, JsValue> {
    // a length beyond 2^53 is only ever refused as too large
    let size = if size.is_finite() && size >= 0.0 {
        size as u64
    } else {
        u64::MAX
    };
    api::check_image(head, size, declared)
        .map(|f| {
            Obj::new()
                .str("contentType", f.content_type())
                .str("extension", f.extension())
                .finish()
        })
        .map_err(js_err)
}

/// `__checkResponse(json)`: throws the catalogued `WxkfError` for a non-zero errcode.
#[wasm_bindgen(js_name = __checkResponse)]
pub fn check_response(json: &str) -> Result<(), JsValue> {
    api::check_response(json).map_err(js_err)
}

/// `__apiCatalog()` -> `[{"code","kind","hint","retryable"}, ...]` as JSON.
#[wasm_bindgen(js_name = __apiCatalog)]
pub fn catalog() -> String {
    json::array(api::CATALOG.iter().map(|e| {
        Obj::new()
            .i64("code", i64::from(e.code))
            .str("kind", e.kind)
            .str("hint", e.hint)
            .bool("retryable", e.retryable)
            .finish()
    }))
}

/// `__routes()` -> `[{"name","method","path"}, ...]` as JSON: the path table.
#[wasm_bindgen(js_name = __routes)]
pub fn routes() -> String {
    json::array(api::ROUTES.iter().map(|r| {
        Obj::new()
            .str("name", r.name)
            .str("method", r.method.as_str())
            .str("path", r.path)
            .finish()
    }))
}
