//! Outbound requests for the JS layer. Values cross as JSON strings: the JS side calls
//! `JSON.stringify` on the input and `JSON.parse` on the descriptor (measured smaller than
//! serde-wasm-bindgen, which this crate otherwise does not link).

use wasm_bindgen::prelude::*;

use super::errors::js_err;
use crate::api;
use crate::api::json::{self, Obj};

/// `__request(name, inputJson)` -> `{"method","path","query","body"}` as JSON.
#[wasm_bindgen(js_name = __request)]
pub fn request(name: &str, input: &str) -> Result<String, JsValue> {
    api::build(name, input).map(|r| r.to_json()).map_err(js_err)
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
