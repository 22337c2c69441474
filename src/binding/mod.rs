//! The only module that imports wasm-bindgen: it converts JavaScript values in and out of the
//! core, turns `Error` into a JavaScript `WxkfError`, and supplies the edge defaults (current
//! time, random nonce, random bytes) that the core takes as parameters.
//!
//! The crate's features choose which JS-facing items are compiled: `inbound` (receivers,
//! `WXBizMsgCrypt`, signatures, fields) and `outbound` (requests, catalog, responses, send window,
//! dialogue platform, media). The package ships each side as its own .wasm, so that a handler
//! compiles only the inbound one at start; both register the error class (`errors`).

// Shared by both sides: argument and option readers, edge defaults (time, randomness), and the
// error class. The outbound side uses only some of the readers, hence the allowance.
#[cfg_attr(not(feature = "inbound"), allow(dead_code))]
mod args;
#[cfg_attr(not(feature = "inbound"), allow(dead_code))]
mod edge;
mod errors;
#[cfg_attr(not(feature = "inbound"), allow(dead_code))]
mod options;

// Inbound: receivers, WXBizMsgCrypt, signatures, fields, the host's crypto primitives.
#[cfg(feature = "inbound")]
mod cloud;
#[cfg(feature = "inbound")]
pub(crate) mod crypt;
#[cfg(feature = "inbound")]
mod fields;
#[cfg(feature = "inbound")]
pub(crate) mod host;
#[cfg(feature = "inbound")]
mod receiver;
#[cfg(feature = "inbound")]
mod signature;

// Outbound: request builders, catalog and responses, send window, dialogue platform, and the
// platform's side of Cloud Hosting (the pushes the simulator sends).
#[cfg(feature = "outbound")]
mod chatbot;
#[cfg(feature = "outbound")]
mod cloud_push;
#[cfg(feature = "outbound")]
mod requests;
#[cfg(feature = "outbound")]
mod send_window;
