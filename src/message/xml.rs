//! XML pushes: `<xml>` with one child per field, CDATA or text, entities resolved, whitespace
//! kept exactly as sent. DTDs and unknown entities are refused by `crate::xml::read_fields`.

use alloc::string::String;
use alloc::vec::Vec;

use super::RawValue;
use crate::error::Result;

/// The root's children as (name, text) in document order.
pub fn read_xml_fields(body: &str) -> Result<Vec<(String, RawValue)>> {
    Ok(crate::xml::read_fields(body)?
        .into_iter()
        .map(|f| (f.name.into_owned(), RawValue::Text(f.value.into_owned())))
        .collect())
}
