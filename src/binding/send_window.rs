//! The send window for the JS layer: rules and per-user state cross as JSON strings, time as
//! a number of milliseconds. The JS `SendWindow` keeps the states in its store.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::errors::js_err;
use crate::api::validate::invalid;
use crate::send_window::{self, Action, Rules};

fn millis(now: f64) -> Result<u64, JsValue> {
    if now.is_finite() && (0.0..=9_007_199_254_740_991.0).contains(&now) {
        Ok(now as u64)
    } else {
        Err(js_err(invalid(
            "now",
            "must be a non-negative number of milliseconds",
        )))
    }
}

fn state(json: &str) -> Result<Option<send_window::WindowState>, JsValue> {
    send_window::state_from_json(json).map_err(js_err)
}

/// `__windowRules(rulesJson)` -> the complete rules as JSON (validates the options).
#[wasm_bindgen(js_name = __windowRules)]
pub fn rules(rules: &str) -> Result<String, JsValue> {
    let rules = Rules::from_json(rules).map_err(|e| js_err(e.into_option_error("rules")))?;
    Ok(rules.to_json())
}

/// `__windowObserve(rulesJson, action, now)` -> the new state as JSON.
#[wasm_bindgen(js_name = __windowObserve)]
pub fn observe(rules: &str, action: &str, now: f64) -> Result<String, JsValue> {
    let rules = Rules::from_json(rules).map_err(js_err)?;
    let action = Action::from_name(action)
        .ok_or_else(|| js_err(invalid("action", "must be 'message' or 'enter'")))?;
    Ok(send_window::state_to_json(
        &rules.observe(action, millis(now)?),
    ))
}

/// `__windowCheck(stateJson, now)` -> `{"allowed","remaining","deadline","code"?}` as JSON.
#[wasm_bindgen(js_name = __windowCheck)]
pub fn check(state_json: &str, now: f64) -> Result<String, JsValue> {
    let decision = send_window::check(state(state_json)?.as_ref(), millis(now)?);
    Ok(decision.to_json())
}

/// `__windowConsume(stateJson, now)` -> the state after one send, or throws 45015 / 45047.
#[wasm_bindgen(js_name = __windowConsume)]
pub fn consume(state_json: &str, now: f64) -> Result<String, JsValue> {
    let next = send_window::consume(state(state_json)?.as_ref(), millis(now)?).map_err(js_err)?;
    Ok(send_window::state_to_json(&next))
}

/// `__windowRefund(rulesJson, currentJson, consumedJson)` -> the state with one send given
/// back as JSON, or undefined when there is nothing to give back (another window now).
#[wasm_bindgen(js_name = __windowRefund)]
pub fn refund(
    rules: &str,
    current_json: &str,
    consumed_json: &str,
) -> Result<Option<String>, JsValue> {
    let rules = Rules::from_json(rules).map_err(js_err)?;
    let Some(consumed) = state(consumed_json)? else {
        return Ok(None);
    };
    Ok(
        send_window::refund(&rules, state(current_json)?.as_ref(), &consumed)
            .map(|s| send_window::state_to_json(&s)),
    )
}

/// `__windowAction(msgType, event)` -> 'message', 'enter' or undefined.
#[wasm_bindgen(js_name = __windowAction)]
pub fn action(msg_type: &str, event: Option<String>) -> Option<String> {
    Action::for_inbound(msg_type, event.as_deref()).map(|a| String::from(a.name()))
}
