//! Checking a platform answer: `errcode` absent or 0 is success; anything else is the
//! catalogued `Api` error.

use serde_json::Value;

use super::catalog::api_error;
use crate::error::{Error, ErrorKind, Result};

/// Ok when the JSON answer carries no errcode or errcode 0; else the catalogued error.
pub fn check_response(json: &str) -> Result<()> {
    const NOT_STATUS: Error = Error::new(
        ErrorKind::ParseJson,
        "the platform's answer is not a JSON object with a numeric errcode",
    );
    let map = match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => map,
        _ => return Err(NOT_STATUS),
    };
    let code = match map.get("errcode") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Number(n)) => n.as_i64().ok_or(NOT_STATUS)?,
        Some(_) => return Err(NOT_STATUS),
    };
    if code == 0 {
        return Ok(());
    }
    let errmsg = match map.get("errmsg") {
        Some(Value::String(s)) => s.as_str(),
        _ => "",
    };
    Err(api_error(i32::try_from(code).unwrap_or(i32::MIN), errmsg))
}
