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

/// Builds `new WxkfError(message, code, kind, details)`; a plain `Error` with the same fields
/// if the class was never registered (the raw glue used directly). `details` carries `errmsg`,
/// `hint`, `retryable` and `field` when the error has them (API and validation errors).
pub fn to_js(error: &Error) -> JsValue {
    let message = JsValue::from_str(error.message());
    let code = JsValue::from_f64(f64::from(error.code()));
    let kind = JsValue::from_str(error.kind_str());
    let details = details(error);
    let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
    if let Some(class) = class {
        let args = Array::of4(&message, &code, &kind, &details);
        if let Ok(value) = Reflect::construct(&class, &args) {
            return value;
        }
    }
    let plain: JsValue = js_sys::Error::new(error.message()).into();
    let _ = Reflect::set(&plain, &"name".into(), &"WxkfError".into());
    let _ = Reflect::set(&plain, &"code".into(), &code);
    let _ = Reflect::set(&plain, &"kind".into(), &kind);
    let target: js_sys::Object = plain.clone().unchecked_into();
    let source: js_sys::Object = details.unchecked_into();
    js_sys::Object::assign(&target, &source);
    plain
}

/// The error's details as a plain object (empty when it has none).
fn details(error: &Error) -> JsValue {
    let out = js_sys::Object::new();
    if let Some(d) = error.details() {
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&out, &JsValue::from_str(key), &value);
        };
        if let Some(errmsg) = d.errmsg.as_deref() {
            set("errmsg", JsValue::from_str(errmsg));
        }
        if let Some(hint) = d.hint {
            set("hint", JsValue::from_str(hint));
        }
        if let Some(retryable) = d.retryable {
            set("retryable", JsValue::from_bool(retryable));
        }
        if let Some(field) = d.field.as_deref() {
            set("field", JsValue::from_str(field));
        }
    }
    out.into()
}

/// `?`-friendly conversion for binding functions.
pub fn js_err(error: Error) -> JsValue {
    to_js(&error)
}
