//! The host's crypto primitives (see `crate::crypto::HostCrypto`), registered once by runtime
//! entries that have them (Node, Deno and Bun: `node:crypto`). Each call hands the host views
//! into wasm memory; the host writes its output in place. A host that throws or returns
//! anything but `true` leaves the work to the core. A host may also validate UTF-8
//! (`utf8Valid`, Node's `buffer.isUtf8`) and decode base64 (`base64Decode`) for large messages.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::crypto::{Host, HostCrypto, WxBizMsgCrypt};

struct JsHost {
    decrypt: Function,
    encrypt: Function,
    sha1: Function,
    /// The parts of a SHA-1 input, concatenated for the host's one-shot hash.
    sha1_input: RefCell<Vec<u8>>,
    /// JavaScript copies of the last key and IV handed to the host's AES decryption (one
    /// account's, usually): the same two objects from call to call while the key is the same,
    /// instead of two new views of wasm memory each time.
    aes_key: RefCell<Option<AesKeyCopy>>,
    utf8_valid: Option<Function>,
    base64_decode: Option<Function>,
    min_len: usize,
    min_sha1_len: usize,
    min_utf8_len: usize,
    min_base64_len: usize,
}

/// A key and IV, and JavaScript copies of them (never changed).
struct AesKeyCopy {
    key: [u8; 32],
    iv: [u8; 16],
    js_key: Uint8Array,
    js_iv: Uint8Array,
}

/// The SHA-1 input buffer is kept from call to call up to this size.
const KEEP_SHA1_INPUT: usize = 64 * 1024;

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// `__registerHostCrypto({ aes256CbcDecrypt, aes256CbcEncrypt, sha1, minLen, minSha1Len?,
/// utf8Valid?, minUtf8Len?, base64Decode?, minBase64Len? })` (`minSha1Len` defaults to
/// `minLen`; without `utf8Valid` and `minUtf8Len` the core checks UTF-8 itself, without
/// `base64Decode` and `minBase64Len` it decodes base64 itself). `aes256CbcDecrypt(key, iv,
/// data)` and `aes256CbcEncrypt(key, iv, data)` work in place on `data`; `sha1(bytes, out)`
/// writes the digest of `bytes` (every part of the input, concatenated) to `out`; each returns
/// `true` when it did. `utf8Valid(bytes)` must return `true` only for valid UTF-8: the core
/// then reads the bytes as text without checking them again. `base64Decode(src, out)` returns
/// `true` only when it decoded all of `src` into all of `out` under the core's rules (see
/// `HostCrypto::base64_decode`).
#[wasm_bindgen(js_name = __registerHostCrypto)]
pub fn register_host_crypto(host: &JsValue) -> bool {
    let function = |name: &str| {
        Reflect::get(host, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
    };
    let length = |name: &str| {
        Reflect::get(host, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|n| *n >= 0.0)
            .map(|n| n as usize)
    };
    let min_len = length("minLen").unwrap_or(usize::MAX);
    let min_sha1_len = length("minSha1Len").unwrap_or(min_len);
    let min_utf8_len = length("minUtf8Len").unwrap_or(usize::MAX);
    let min_base64_len = length("minBase64Len").unwrap_or(usize::MAX);
    match (
        function("aes256CbcDecrypt"),
        function("aes256CbcEncrypt"),
        function("sha1"),
    ) {
        (Some(decrypt), Some(encrypt), Some(sha1)) => {
            let js: Host = Rc::new(JsHost {
                decrypt,
                encrypt,
                sha1,
                sha1_input: RefCell::new(Vec::new()),
                aes_key: RefCell::new(None),
                utf8_valid: function("utf8Valid"),
                base64_decode: function("base64Decode"),
                min_len,
                min_sha1_len,
                min_utf8_len,
                min_base64_len,
            });
            HOST.with(|slot| *slot.borrow_mut() = Some(js));
            true
        }
        _ => false,
    }
}

/// A crypt that uses the registered host, if any.
pub fn attach(crypt: WxBizMsgCrypt) -> WxBizMsgCrypt {
    match current() {
        Some(host) => crypt.with_host(host),
        None => crypt,
    }
}

/// The registered host, if any.
pub fn current() -> Option<Host> {
    HOST.with(|slot| slot.borrow().clone())
}

/// A view of wasm memory. Sound while no allocation happens in wasm during the host call,
/// which holds: the host only runs JS.
fn view(bytes: &[u8]) -> Uint8Array {
    unsafe { Uint8Array::view_mut_raw(bytes.as_ptr() as *mut u8, bytes.len()) }
}

fn called_ok(result: Result<JsValue, JsValue>) -> bool {
    matches!(result, Ok(v) if v.as_bool() == Some(true))
}

// SAFETY: `utf8_valid` passes on the registered function's answer, whose contract (stated
// at `__registerHostCrypto`) is the trait's; the package registers Node's `buffer.isUtf8`.
unsafe impl HostCrypto for JsHost {
    fn aes256_cbc_decrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        let Ok(mut cached) = self.aes_key.try_borrow_mut() else {
            return false;
        };
        if !cached
            .as_ref()
            .is_some_and(|c| c.key == *key && c.iv == *iv)
        {
            *cached = Some(AesKeyCopy {
                key: *key,
                iv: *iv,
                js_key: Uint8Array::from(&key[..]),
                js_iv: Uint8Array::from(&iv[..]),
            });
        }
        let Some(copy) = cached.as_ref() else {
            return false;
        };
        called_ok(
            self.decrypt
                .call3(&JsValue::NULL, &copy.js_key, &copy.js_iv, &view(data)),
        )
    }

    fn aes256_cbc_encrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        called_ok(
            self.encrypt
                .call3(&JsValue::NULL, &view(key), &view(iv), &view(data)),
        )
    }

    fn sha1(&self, parts: &[&[u8]], out: &mut [u8; 20]) -> bool {
        // One view of the parts concatenated (a copy costs less than a host call per part or
        // an array of views), for a one-shot hash such as node:crypto's `hash`.
        let Ok(mut input) = self.sha1_input.try_borrow_mut() else {
            return false;
        };
        if input.capacity() > KEEP_SHA1_INPUT {
            *input = Vec::new();
        }
        input.clear();
        for part in parts {
            input.extend_from_slice(part);
        }
        called_ok(self.sha1.call2(&JsValue::NULL, &view(&input), &view(out)))
    }

    fn min_len(&self) -> usize {
        self.min_len
    }

    fn min_sha1_len(&self) -> usize {
        self.min_sha1_len
    }

    fn utf8_valid(&self, bytes: &[u8]) -> Option<bool> {
        let valid = self
            .utf8_valid
            .as_ref()?
            .call1(&JsValue::NULL, &view(bytes));
        Some(called_ok(valid))
    }

    fn min_utf8_len(&self) -> usize {
        self.min_utf8_len
    }

    fn base64_decode(&self, src: &[u8], out: &mut [u8]) -> bool {
        self.base64_decode
            .as_ref()
            .is_some_and(|decode| called_ok(decode.call2(&JsValue::NULL, &view(src), &view(out))))
    }

    fn min_base64_len(&self) -> usize {
        self.min_base64_len
    }
}
