//! wechat-kf: the server side of WeChat customer-service messaging, as a sans-IO core.
//!
//! The core reads no clock and draws no randomness: timestamps, nonces and the 16 random bytes
//! of each encryption are parameters. The `binding` module (wasm32 only) is the one place that
//! touches wasm-bindgen and supplies those defaults at the edge.

extern crate alloc;

pub mod crypto;
pub mod error;
pub mod xml;

#[cfg(target_arch = "wasm32")]
mod binding;

pub use crypto::WxBizMsgCrypt;
pub use error::{Error, ErrorKind, Result};
