//! Reads the children of the root element as (name, text) pairs, in document order.
//!
//! Text is kept exactly as sent (no trimming, no end-of-line normalisation); CDATA sections,
//! the five predefined entities and character references are resolved. A DTD, an unknown
//! entity, a second root, unclosed or mismatched tags are errors (-40002). A child that itself
//! has children keeps the concatenation of the text inside it.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::{Error, ErrorKind, Result};

/// One child of the root element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, str>,
}

/// How deep elements may nest below the root before the body is refused.
const MAX_DEPTH: usize = 32;

fn parse_error(message: &'static str) -> Error {
    Error::new(ErrorKind::ParseXml, message)
}

/// Appends a piece of text to a value, borrowing while it is the only piece.
fn append<'a>(value: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match value {
        None => *value = Some(piece),
        Some(existing) => existing.to_mut().push_str(&piece),
    }
}

/// Reads the root element's children. The root's own name is not checked.
pub fn read_fields(body: &str) -> Result<Vec<Field<'_>>> {
    let mut reader = Reader::from_str(body);
    reader.config_mut().trim_text(false);
    let mut fields = Vec::new();
    // depth 0: outside the root; 1: inside the root; 2+: inside a field.
    let mut depth = 0usize;
    let mut seen_root = false;
    let mut current: Option<(Cow<'_, str>, Option<Cow<'_, str>>)> = None;
    loop {
        let event = reader.read_event().map_err(|_| {
            parse_error("the body is not well-formed XML (truncated, or tags do not match)")
        })?;
        match event {
            Event::Start(start) => {
                if depth == 0 {
                    if seen_root {
                        return Err(parse_error("the XML body has more than one root element"));
                    }
                    seen_root = true;
                } else if depth == 1 {
                    current = Some((field_name(&start), None));
                } else if depth >= MAX_DEPTH {
                    return Err(parse_error("the XML body nests elements too deeply"));
                }
                depth += 1;
            }
            Event::Empty(start) => {
                if depth == 0 {
                    if seen_root {
                        return Err(parse_error("the XML body has more than one root element"));
                    }
                    seen_root = true;
                } else if depth == 1 {
                    fields.push(Field {
                        name: field_name(&start),
                        value: Cow::Borrowed(""),
                    });
                }
            }
            Event::End(_) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| parse_error("the XML body closes an element it never opened"))?;
                if depth == 1 {
                    if let Some((name, value)) = current.take() {
                        fields.push(Field {
                            name,
                            value: value.unwrap_or(Cow::Borrowed("")),
                        });
                    }
                }
            }
            Event::Text(text) => {
                if depth >= 2 {
                    if let Some((_, value)) = current.as_mut() {
                        append(value, text.into_inner());
                    }
                } else if !text
                    .chars()
                    .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{feff}'))
                {
                    return Err(parse_error("the XML body has text outside its fields"));
                }
            }
            Event::CData(data) => {
                if depth < 2 {
                    return Err(parse_error("the XML body has CDATA outside its fields"));
                }
                if let Some((_, value)) = current.as_mut() {
                    append(value, data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                if depth < 2 {
                    return Err(parse_error("the XML body has an entity outside its fields"));
                }
                let resolved: Cow<'_, str> =
                    match reference.resolve_char_ref() {
                        Ok(Some(ch)) => Cow::Owned(String::from(ch)),
                        Ok(None) => match resolve_xml_entity(&reference) {
                            Some(text) => Cow::Borrowed(text),
                            None => return Err(parse_error(
                                "the XML body uses an entity other than &lt; &gt; &amp; &apos; \
                                 &quot; or a character reference",
                            )),
                        },
                        Err(_) => {
                            return Err(parse_error(
                                "the XML body has an invalid character reference",
                            ))
                        }
                    };
                if let Some((_, value)) = current.as_mut() {
                    append(value, resolved);
                }
            }
            Event::DocType(_) => {
                return Err(parse_error(
                    "the XML body contains a DTD (<!DOCTYPE>), which is refused",
                ))
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !seen_root {
        return Err(parse_error("the body has no XML root element"));
    }
    if depth != 0 {
        return Err(parse_error(
            "the XML body is truncated: an element is not closed",
        ));
    }
    Ok(fields)
}

fn field_name(start: &quick_xml::events::BytesStart<'_>) -> Cow<'static, str> {
    let name = start.name();
    let name: &str = name.as_ref();
    Cow::Owned(name.into())
}
