//! The typed inbound message: every field of a push (XML or JSON, already decrypted) read into
//! an ordered list of raw fields with their structure (`raw`), and the known ones lifted into a
//! typed model named by docs/protocol.md#naming-rule (`FromUserName` -> `fromUserName`; 64-bit ids
//! are strings; times are numbers of seconds). Unknown message types, events and fields parse,
//! stay in `raw` and also appear under their lowerCamelCase names (`out`).

mod camel;
mod json;
mod model;
mod out;
mod raw;
mod subscribe;
mod xml;

pub use crate::json::push_json_string;
pub use camel::camel_case;
pub use json::{check_json_limits, read_json_fields, DEFAULT_MAX_JSON_DEPTH, MAX_JSON_VALUES};
pub use model::{parse_u64, Kind, Message, MAX_SAFE_INTEGER};
pub use out::{push_json_number, push_u64, Spans};
pub use raw::{check_name, is_prototype_name, member, member_text, RawValue, PROTOTYPE_NAMES};
pub use subscribe::SubscribeEntry;
pub use xml::read_xml_fields;

use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::{Format, Host};
use crate::error::{Error, Result};

/// Parses a plaintext push (already decrypted when it was encrypted) of the given format.
pub fn parse(body: &str, format: Format, max_json_depth: usize) -> Result<Message> {
    let fields: Vec<(String, RawValue)> = match format {
        Format::Xml => read_xml_fields(body)?,
        Format::Json => read_json_fields(body, max_json_depth)?,
    };
    Message::from_fields(fields, format)
}

/// [`parse`] for a decrypted message's bytes, not yet checked as UTF-8: XML is checked as it is
/// read (one pass over the message instead of two), JSON before; bytes that are not UTF-8 get
/// `not_utf8` either way.
pub fn parse_bytes(
    host: Option<&Host>,
    body: &[u8],
    format: Format,
    max_json_depth: usize,
    not_utf8: Error,
) -> Result<Message> {
    let fields: Vec<(String, RawValue)> = match format {
        Format::Xml => raw::from_xml(crate::xml::read_document_bytes(body, not_utf8)?)?,
        Format::Json => {
            let text = crate::crypto::str_from_utf8(host, body).ok_or(not_utf8)?;
            read_json_fields(text, max_json_depth)?
        }
    };
    Message::from_fields(fields, format)
}
