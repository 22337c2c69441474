//! The small XML dialect of the platform: one root element (usually `<xml>`) whose children
//! carry text, CDATA or child elements of their own. Reading goes through quick-xml and is
//! strict about structure (no DTD, no entities beyond the predefined ones); writing always
//! produces well-formed XML whatever the content.

mod read;
mod write;

pub use read::{
    read_document, read_document_bytes, Child, Node, MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS,
};
pub use write::{push_cdata, push_element, push_text_element};
