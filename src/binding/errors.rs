//! `Error` -> JavaScript `WxkfError`. The class itself is defined in the package's JS
//! (errors.js) and registered once after instantiation, so `instanceof` works everywhere.

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called by the package's loader with the `WxkfError` class.
#[wasm_bindgen(js_name = __registerErrorClass)]
pub fn register_error_class(class: Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// Builds `new WxkfError(message, code, kind)`; a plain `Error` with the same fields if the
/// class was never registered (the raw glue used directly).
pub fn to_js(error: &Error) -> JsValue {
    let message = JsValue::from_str(error.message());
    let code = JsValue::from_f64(f64::from(error.code()));
    let kind = JsValue::from_str(error.kind().as_str());
    let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
    if let Some(class) = class {
        let args = Array::of3(&message, &code, &kind);
        if let Ok(value) = Reflect::construct(&class, &args) {
            return value;
        }
    }
    let plain: JsValue = js_sys::Error::new(error.message()).into();
    let _ = Reflect::set(&plain, &"name".into(), &"WxkfError".into());
    let _ = Reflect::set(&plain, &"code".into(), &code);
    let _ = Reflect::set(&plain, &"kind".into(), &kind);
    plain
}

/// `?`-friendly conversion for binding functions.
pub fn js_err(error: Error) -> JsValue {
    to_js(&error)
}
