//! The only module that imports wasm-bindgen: it converts JavaScript values in and out of the
//! core, turns `Error` into a JavaScript `WxkfError`, and supplies the edge defaults (current
//! time, random nonce, random bytes) that the core takes as parameters.
//!
//! The crate's features choose which JS-facing items are compiled: `inbound` (the receivers:
//! what a handler needs to receive and answer a push) and `outbound` (everything else:
//! `WXBizMsgCrypt`, signatures, fields, requests, catalog, responses, send window, dialogue
//! platform, media). The package ships each side as its own .wasm, so that a handler compiles
//! only the inbound one at start; both register the error class (`errors`) and the host's
//! crypto primitives (`host`).

// Shared by both sides: argument and option readers, edge defaults (time, randomness), and the
// error class. Each side alone uses only some of the readers, hence the allowance.
#[cfg_attr(not(all(feature = "inbound", feature = "outbound")), allow(dead_code))]
mod args;
#[cfg_attr(not(all(feature = "inbound", feature = "outbound")), allow(dead_code))]
mod edge;
mod errors;
pub(crate) mod host;
#[cfg_attr(not(all(feature = "inbound", feature = "outbound")), allow(dead_code))]
mod options;

// Inbound: the receivers (plain and Cloud Hosting).
#[cfg(feature = "inbound")]
mod cloud;
#[cfg(feature = "inbound")]
mod receiver;

// Outbound, loaded on first use: WXBizMsgCrypt, signatures and fields (for tools and for code
// that drives the crypto itself), request builders, catalog and responses, send window,
// dialogue platform, and the platform's side of Cloud Hosting (the pushes the simulator sends).
#[cfg(feature = "outbound")]
mod chatbot;
#[cfg(feature = "outbound")]
mod cloud_push;
#[cfg(feature = "outbound")]
pub(crate) mod crypt;
#[cfg(feature = "outbound")]
mod fields;
#[cfg(feature = "outbound")]
mod reply;
#[cfg(feature = "outbound")]
mod requests;
#[cfg(feature = "outbound")]
mod send_window;
#[cfg(feature = "outbound")]
mod signature;
