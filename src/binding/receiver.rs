//! `PushReceiver`: the inbound pipeline for the package's JS `Receiver`. One call per push
//! (`receiveText` or `receiveBytes`) runs limits, mode, replay window, verification,
//! decryption and parsing, and returns the push as JSON text for the JS side to `JSON.parse`
//! (measured fastest at small sizes; ids stay strings): a string when it is ASCII, else a view
//! of its UTF-8 bytes or (`crossUtf16`) of its UTF-16 code units (`crate::utf16`) for the JS
//! side to decode at once with what its host does fastest: Node 20.20 decodes non-ASCII UTF-8 at
//! about 4-5 ns a byte, while wasm transcodes it in less and `Buffer#toString('utf16le')`
//! copies code units at memory speed; Bun's and Deno's UTF-8 decoders are fast. A text message
//! of the platform's six fields crosses as its values and its content (see
//! `Push::write_compact_text`), built into the same object by the JS side. Another push whose
//! `raw` is more than 1 KB of JSON comes without `message.raw`, so that the content crosses
//! once: `raw` (UTF-8 JSON) is taken right after with `takeRaw()`, for the JS side to decode
//! only when it is read. Its long top-level strings cross apart (see `wrap_spans`). The
//! instance keeps the key schedule and its buffers.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;
use js_sys::JsString;
use wasm_bindgen::prelude::*;

use super::args;
use super::errors::js_err;
use crate::crypto::UrlVerification;
use crate::error::{Error, ErrorKind};
use crate::message::{push_json_string, Spans};
use crate::push::{Limits, PushQuery, Receiver};

/// Up to this many bytes of `raw` JSON, `message.raw` stays in the push's JSON: below about
/// 1 KB, the content twice costs less than the `takeRaw()` call and the lazy property
/// (measured with bench/pipeline-parts.mjs).
const INLINE_RAW_BYTES: usize = 1024;

/// Top-level strings of the message at least this long (its content, say) cross apart from
/// its JSON, as UTF-16 (see `wrap_spans`): neither escaped nor parsed as JSON.
const SPAN_BYTES: usize = 1024;

/// Buffers kept from push to push up to this size; a larger one (after a rare large push) is
/// released for other allocations to use.
const KEEP_BYTES: usize = 256 * 1024;

/// A push body: text (known to be UTF-8), or bytes to check.
enum Body<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

fn keep_small(buf: &mut Vec<u8>) {
    if buf.capacity() > KEEP_BYTES {
        *buf = Vec::new();
    }
}

#[wasm_bindgen(js_name = PushReceiver)]
pub struct JsPushReceiver {
    inner: Receiver,
    /// The push's JSON, reused from push to push.
    json: RefCell<String>,
    /// `message.raw` of the last push, as JSON, until `takeRaw()`.
    raw: RefCell<String>,
    /// A body given as a string, as UTF-8, reused from push to push.
    body: RefCell<Vec<u8>>,
    /// The push's JSON as UTF-16 code units (when it is not ASCII), reused from push to push.
    units: RefCell<Vec<u16>>,
    /// The long strings of the last push (see `wrap_spans`) as UTF-16 code units.
    spans: RefCell<Vec<u16>>,
    /// The same as UTF-8 (when not `utf16`).
    span_bytes: RefCell<Vec<u8>>,
    /// Whether text that is not ASCII crosses as UTF-16 (set by the JS side where the host
    /// decodes UTF-8 slowly: Node) or as UTF-8 bytes.
    utf16: core::cell::Cell<bool>,
}

/// A count as `usize`: values beyond the target's range (4 GiB on wasm32) mean "no limit".
pub(super) fn saturate(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

pub(super) use super::args::seconds;

#[wasm_bindgen(js_class = PushReceiver)]
impl JsPushReceiver {
    /// `new PushReceiver({ token, encodingAESKey?, appId?, maxSkewSeconds?, maxBodyBytes?,
    /// maxJsonDepth?, allowPlaintext? })`. Without `encodingAESKey` (a plaintext-mode
    /// account) only plaintext pushes are accepted and `appId` is optional.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<JsPushReceiver, JsValue> {
        let o: super::options::ReceiverOptions = super::options::read(options)?;
        let crypt = super::options::receiver_crypt(&o)?;
        let defaults = Limits::default();
        let limits = Limits {
            max_skew_seconds: o.max_skew_seconds.unwrap_or(defaults.max_skew_seconds),
            max_body_bytes: o.max_body_bytes.map_or(defaults.max_body_bytes, saturate),
            max_json_depth: o.max_json_depth.map_or(defaults.max_json_depth, saturate),
            allow_plaintext: o.allow_plaintext.unwrap_or(defaults.allow_plaintext),
        };
        Ok(JsPushReceiver {
            inner: Receiver::new(crypt, limits),
            json: RefCell::new(String::new()),
            raw: RefCell::new(String::new()),
            body: RefCell::new(Vec::new()),
            units: RefCell::new(Vec::new()),
            spans: RefCell::new(Vec::new()),
            span_bytes: RefCell::new(Vec::new()),
            utf16: core::cell::Cell::new(false),
        })
    }

    #[wasm_bindgen(getter, js_name = maxSkewSeconds)]
    pub fn max_skew_seconds(&self) -> f64 {
        self.inner.limits().max_skew_seconds as f64
    }

    #[wasm_bindgen(getter, js_name = hasKey)]
    pub fn has_key(&self) -> bool {
        self.inner.crypt().has_key()
    }

    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> f64 {
        self.inner.limits().max_body_bytes as f64
    }

    /// The whole pipeline for a body given as a string. Returns
    /// `{"mode","format","dedupKey","known","message"}` as JSON text; `message.raw` is left
    /// out when large (see `takeRaw`).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = receiveText)]
    pub fn receive_text(
        &self,
        signature: Option<String>,
        timestamp: Option<String>,
        nonce: Option<String>,
        encrypt_type: Option<String>,
        msg_signature: Option<String>,
        body: JsValue,
        content_type: Option<String>,
        now_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        let mut buf = self.body.borrow_mut();
        // Not a string: an empty body, refused as such.
        args::text_into(&body, &mut buf);
        debug_assert!(core::str::from_utf8(&buf).is_ok());
        // SAFETY: `text_into` leaves UTF-8 in `buf`: a Rust string's bytes or whole characters
        // written by `TextEncoder.encodeInto` (which replaces lone surrogates), or nothing.
        let text = unsafe { core::str::from_utf8_unchecked(&buf) };
        let result = self.run(
            &signature,
            &timestamp,
            &nonce,
            &encrypt_type,
            &msg_signature,
            Body::Text(text),
            &content_type,
            now_seconds,
        );
        keep_small(&mut buf);
        result
    }

    /// The same for a body given as bytes (invalid UTF-8 is refused with the format's code).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = receiveBytes)]
    pub fn receive_bytes(
        &self,
        signature: Option<String>,
        timestamp: Option<String>,
        nonce: Option<String>,
        encrypt_type: Option<String>,
        msg_signature: Option<String>,
        body: &[u8],
        content_type: Option<String>,
        now_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        self.run(
            &signature,
            &timestamp,
            &nonce,
            &encrypt_type,
            &msg_signature,
            Body::Bytes(body),
            &content_type,
            now_seconds,
        )
    }

    /// Whether text that is not ASCII crosses as UTF-16 code units (`true`) or UTF-8 bytes
    /// (`false`, the default): the JS side picks what its host decodes faster.
    #[wasm_bindgen(setter, js_name = crossUtf16)]
    pub fn set_cross_utf16(&self, utf16: bool) {
        self.utf16.set(utf16);
    }

    /// The long strings of the last push received (see `receiveText`), as a view of their
    /// UTF-16 code units or UTF-8 bytes (see `crossUtf16`), to decode before any other call
    /// into wasm.
    #[wasm_bindgen(js_name = takeSpans)]
    pub fn take_spans(&self) -> JsValue {
        // SAFETY: the views cover buffers that nothing changes until the next push; the JS
        // side decodes them at once, before any other call into wasm.
        if self.utf16.get() {
            unsafe { js_sys::Uint16Array::view(&self.spans.borrow()) }.into()
        } else {
            unsafe { js_sys::Uint8Array::view(&self.span_bytes.borrow()) }.into()
        }
    }

    /// `message.raw` of the last push received, as UTF-8 JSON text (an empty object's text
    /// when there is none); the instance keeps no copy.
    #[wasm_bindgen(js_name = takeRaw)]
    pub fn take_raw(&self) -> Vec<u8> {
        let raw = core::mem::take(&mut *self.raw.borrow_mut());
        if raw.is_empty() {
            return b"{}".to_vec();
        }
        raw.into_bytes()
    }

    /// `verifyUrl(signature, timestamp, nonce, echostr, msgSignature, nowSeconds)`.
    #[wasm_bindgen(js_name = verifyUrl)]
    pub fn verify_url(
        &self,
        signature: Option<String>,
        timestamp: Option<String>,
        nonce: Option<String>,
        echostr: Option<String>,
        msg_signature: Option<String>,
        now_seconds: f64,
    ) -> Result<String, JsValue> {
        let request = UrlVerification {
            signature: signature.as_deref().filter(|s| !s.is_empty()),
            msg_signature: msg_signature.as_deref().filter(|s| !s.is_empty()),
            timestamp: timestamp.as_deref().unwrap_or_default(),
            nonce: nonce.as_deref().unwrap_or_default(),
            echostr: echostr.as_deref().unwrap_or_default(),
        };
        if request.nonce.is_empty() || echostr.is_none() {
            return Err(js_err(Error::new(
                ErrorKind::InvalidQuery,
                "the verification query needs timestamp, nonce and echostr",
            )));
        }
        self.inner
            .verify_url(&request, seconds(now_seconds))
            .map_err(js_err)
    }
}

impl JsPushReceiver {
    /// `[push, name, length, name, length, ...]`: the push's JSON with the long strings taken
    /// out (`0` in their place), then each one's member name and length (in UTF-16 code units
    /// or UTF-8 bytes, see `crossUtf16`); their texts go one after the other to `spans` or
    /// `span_bytes`, for `takeSpans()`.
    fn wrap_spans(&self, json: &str, spans: &Spans<'_>) -> String {
        let mut units = self.spans.borrow_mut();
        let mut bytes = self.span_bytes.borrow_mut();
        if units.capacity() > KEEP_BYTES / 2 {
            *units = Vec::new();
        }
        keep_small(&mut bytes);
        units.clear();
        bytes.clear();
        let mut wrapped = String::with_capacity(json.len() + 2 + 32 * spans.taken.len());
        wrapped.push('[');
        wrapped.push_str(json);
        for (name, text) in &spans.taken {
            let length = if self.utf16.get() {
                let before = units.len();
                crate::utf16::push_utf16(&mut units, text);
                units.len() - before
            } else {
                bytes.extend_from_slice(text.as_bytes());
                text.len()
            };
            wrapped.push(',');
            push_json_string(&mut wrapped, name);
            wrapped.push(',');
            crate::message::push_u64(&mut wrapped, length as u64);
        }
        wrapped.push(']');
        wrapped
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        signature: &Option<String>,
        timestamp: &Option<String>,
        nonce: &Option<String>,
        encrypt_type: &Option<String>,
        msg_signature: &Option<String>,
        body: Body<'_>,
        content_type: &Option<String>,
        now_seconds: f64,
    ) -> Result<JsValue, JsValue> {
        let query = PushQuery {
            signature: signature.as_deref(),
            timestamp: timestamp.as_deref(),
            nonce: nonce.as_deref(),
            openid: None,
            encrypt_type: encrypt_type.as_deref(),
            msg_signature: msg_signature.as_deref(),
        };
        self.raw.borrow_mut().clear();
        let (content_type, now) = (content_type.as_deref(), seconds(now_seconds));
        let push = match body {
            Body::Text(text) => self.inner.receive_str(&query, text, content_type, now),
            Body::Bytes(bytes) => self.inner.receive(&query, bytes, content_type, now),
        }
        .map_err(js_err)?;
        let mut json = self.json.borrow_mut();
        if json.capacity() > KEEP_BYTES {
            // After a rare large push (not before: a view of it may have been handed out).
            *json = String::new();
        }
        json.clear();
        // A text message of the platform's six fields crosses as its values only, whatever its
        // size (see `Push::write_compact_text`; interleaved A/B against the forms below: 1.04
        // to 1.25x faster from 256 B to 64 KB).
        if push.write_compact_text(&mut json) {
            // Written.
        } else if push.message.raw_json_min_len() <= INLINE_RAW_BYTES {
            // Decided by the length without escapes, so that `raw` is written once.
            // Small: one crossing costs less than a second call and a lazy property.
            json.reserve(320 + 2 * push.message.raw.len() * 32);
            push.write_json(&mut json);
        } else {
            push.message.write_raw_json(&mut self.raw.borrow_mut());
            let mut spans = Spans {
                min_bytes: SPAN_BYTES,
                taken: Vec::new(),
            };
            push.write_json_spans(&mut json, false, &mut spans);
            if !spans.taken.is_empty() {
                *json = self.wrap_spans(&json, &spans);
            }
        }
        let text = if json.is_ascii() {
            JsString::from(json.as_str()).into()
        } else if !self.utf16.get() {
            // SAFETY: the view covers `json`, which nothing changes until the next push; the
            // JS side decodes it at once, before any other call into wasm.
            unsafe { js_sys::Uint8Array::view(json.as_bytes()) }.into()
        } else {
            let mut units = self.units.borrow_mut();
            if units.capacity() > KEEP_BYTES / 2 {
                // Kept for one push only (the view below must stay valid until decoded).
                *units = Vec::new();
            }
            units.clear();
            crate::utf16::push_utf16(&mut units, &json);
            // SAFETY: the view covers `units`, which nothing changes until the JS side has
            // decoded it (right after this call returns, before any other call into wasm).
            unsafe { js_sys::Uint16Array::view(&units) }.into()
        };
        Ok(text)
    }
}
