//! Strings handed to JavaScript. wasm-bindgen decodes UTF-8 with the host's `TextDecoder`,
//! which Node 20 runs at about 200 MB/s on text with non-ASCII characters (Chinese, say). A
//! long string that is not ASCII is transcoded to UTF-16 in wasm instead (`crate::utf16`,
//! several times faster) and handed over with `TextDecoder('utf-16le')`, which copies: in
//! Node 20 a 49 KB Chinese-and-ASCII content crosses in about 100 µs instead of 250 µs.

use alloc::vec::Vec;
use core::cell::RefCell;
use js_sys::Uint16Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The host's `TextDecoder`.
    #[wasm_bindgen(js_name = TextDecoder)]
    type HostTextDecoder;
    #[wasm_bindgen(constructor, catch, js_class = "TextDecoder")]
    fn new(label: &str) -> Result<HostTextDecoder, JsValue>;
    #[wasm_bindgen(method)]
    fn decode(this: &HostTextDecoder, input: &Uint16Array) -> JsValue;
}

thread_local! {
    /// `None` in a runtime whose TextDecoder lacks UTF-16 (wasm-bindgen's path is used then).
    static UTF16: Option<HostTextDecoder> = HostTextDecoder::new("utf-16le").ok();
    /// The code units of the last string, reused from call to call.
    static UNITS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// Shorter strings take wasm-bindgen's path whatever they hold (one call either way).
const MIN_UTF16_BYTES: usize = 1024;

/// `text` as a JavaScript string.
pub fn js_string(text: &str) -> JsValue {
    if text.len() < MIN_UTF16_BYTES || text.is_ascii() {
        return JsValue::from_str(text);
    }
    UTF16.with(|decoder| {
        let Some(decoder) = decoder else {
            return JsValue::from_str(text);
        };
        UNITS.with(|units| {
            let mut units = units.borrow_mut();
            units.clear();
            crate::utf16::push_utf16(&mut units, text);
            // SAFETY: the view covers `units`, which nothing changes or reallocates until
            // `decode` has returned (it copies, and allocates nothing in wasm memory).
            let view = unsafe { Uint16Array::view(&units) };
            decoder.decode(&view)
        })
    })
}
