//! XML pushes: the root's children with their structure (see `raw`), read by
//! `crate::xml::read_document` (quick-xml; DTDs and unknown entities refused).

use alloc::string::String;
use alloc::vec::Vec;

use super::raw::{self, RawValue};
use crate::error::Result;

/// The root's children as (name, value) in document order, repeated names grouped.
pub fn read_xml_fields(body: &str) -> Result<Vec<(String, RawValue)>> {
    raw::from_xml(crate::xml::read_document(body)?)
}
