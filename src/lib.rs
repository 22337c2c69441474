//! wechat-kf: the server side of WeChat customer-service messaging, as a sans-IO core.
//!
//! The core reads no clock and draws no randomness: timestamps, nonces and the 16 random bytes
//! of each encryption are parameters. The `binding` module (wasm32 only) is the one place that
//! touches wasm-bindgen and supplies those defaults at the edge.

extern crate alloc;

pub mod api;
pub mod chatbot;
pub mod crypto;
pub mod error;
mod json;
pub mod message;
pub mod push;
pub mod send_window;
pub mod utf16;
pub mod xml;

#[cfg(target_arch = "wasm32")]
mod binding;

/// The JS-facing classes, reachable from the wasm tests (tests/wasm.rs); not a public API.
#[cfg(all(target_arch = "wasm32", feature = "outbound"))]
#[doc(hidden)]
pub mod binding_for_tests {
    pub use crate::binding::crypt::JsWxBizMsgCrypt;
    use wasm_bindgen::JsValue;

    pub fn new_crypt(options: &JsValue) -> Result<JsWxBizMsgCrypt, JsValue> {
        JsWxBizMsgCrypt::new(options)
    }
}

pub use crypto::WxBizMsgCrypt;
pub use error::{Error, ErrorKind, Result};
