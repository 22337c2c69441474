//! The small XML dialect of the platform: one root element (usually `<xml>`) whose children
//! carry text or CDATA. Reading is strict about structure and refuses DTDs; writing always
//! produces well-formed XML whatever the content.

mod read;
mod write;

pub use read::{read_fields, Field};
pub use write::{push_cdata, push_element, push_text_element};
