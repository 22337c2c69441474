//! Reads the platform's XML through quick-xml into a small tree: the root element's children,
//! in document order, each either text or an element with children of its own.
//!
//! Strict about what the platform never sends: a DTD, any entity other than the five
//! predefined ones and character references, a second root, mismatched or unclosed tags,
//! text beside child elements (outside whitespace), names that are not names, and anything
//! past the limits below are errors (-40002) whose message says what is wrong, as is any
//! character XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, and
//! U+FFFE, U+FFFF), anywhere in the body, raw or as a character reference (surrogates cannot
//! arrive: the body is UTF-8, and a reference to one is refused). Text is kept
//! exactly as sent: no trimming, no end-of-line normalisation; CDATA sections, entities and
//! plain text are joined. Comments, processing instructions and the XML declaration are
//! skipped; attributes are checked for well-formedness and otherwise ignored.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, ErrorKind, Result};

/// How deep elements may nest (the root counts as one level).
pub const MAX_DEPTH: usize = 32;
/// How many elements a body may hold in all (pushes hold a few dozen).
pub const MAX_ELEMENTS: usize = 10_000;
/// How many attributes one element may carry (the platform sends none).
pub const MAX_ATTRIBUTES: usize = 32;

/// A field: text, or an element with child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    Text(Cow<'a, str>),
    Element(Vec<Child<'a>>),
}

/// One element below the root (or below another element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child<'a> {
    pub name: String,
    pub node: Node<'a>,
}

impl<'a> Node<'a> {
    /// The text of a text node; `None` for an element with children.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Node::Text(text) => Some(text),
            Node::Element(_) => None,
        }
    }
}

fn parse_error(message: &'static str) -> Error {
    Error::new(ErrorKind::ParseXml, message)
}

const TRUNCATED: &str = "the XML body is truncated: an element is not closed";

fn is_xml_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Element names as the platform writes them: no markup characters, no whitespace.
fn check_name(name: &str) -> Result<()> {
    // The platform's names (ASCII letters, digits and `_`) pass without a look at each
    // character's class.
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
    {
        return Ok(());
    }
    let bad = |c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '&' | '"' | '\'' | '=' | '/' | '!' | '?')
    };
    if name.is_empty() || name.contains(bad) {
        return Err(parse_error(
            "the XML body has an element without a valid name",
        ));
    }
    Ok(())
}

/// Checks a start tag's name and attributes (well-formed, few, distinct, no `<` in values).
/// With at most 32 attributes, a linear search finds duplicates more cheaply (in code size)
/// than quick-xml's hashed check.
fn check_start(start: &BytesStart<'_>) -> Result<String> {
    let name = start.name().into_inner();
    check_name(name)?;
    let mut seen: Vec<&str> = Vec::new();
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes {
        if seen.len() == MAX_ATTRIBUTES {
            return Err(parse_error(
                "the XML body has an element with more than 32 attributes",
            ));
        }
        let attribute = attribute.map_err(|_| {
            parse_error("the XML body has a malformed attribute (attributes are name=\"value\")")
        })?;
        let key = attribute.key.into_inner();
        if seen.contains(&key) {
            return Err(parse_error(
                "the XML body repeats an attribute of an element",
            ));
        }
        if attribute.value.contains('<') {
            return Err(parse_error(
                "the XML body has '<' inside an attribute value",
            ));
        }
        check_references(&attribute.value)?;
        seen.push(key);
    }
    Ok(String::from(name))
}

/// Checks the references of an attribute value as those of text are (its characters are
/// checked with the whole body): each `&` starts a predefined entity or a character reference
/// to a character XML allows.
fn check_references(value: &str) -> Result<()> {
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        let after = &rest[at + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| parse_error("the XML body has '&' without a reference (write &amp;)"))?;
        resolve_reference(&BytesRef::new(&after[..end]))?;
        rest = &after[end + 1..];
    }
    Ok(())
}

const FORBIDDEN_CHARACTER: &str = "the XML body has a character XML 1.0 forbids (a control \
                                   character other than tab, line feed and carriage return, or \
                                   U+FFFE or U+FFFF): remove it, or send it in a JSON push, \
                                   which can carry it escaped";

/// Refuses the characters XML 1.0 forbids that UTF-8 can carry: bytes below 0x20 other than
/// tab, line feed and carriage return (no byte of a multi-byte sequence is below 0x80), and
/// U+FFFE and U+FFFF (EF BF BE, EF BF BF). Surrogates are not UTF-8: quick-xml refuses them.
/// Each byte is tested with the two after it, exactly, 32 positions at a time and without a
/// branch per byte, so that the compiler compares whole vectors (wasm SIMD). An exact test
/// matters: Chinese text is full of full-width punctuation (，！？： are EF BC ..), and a filter
/// on the lead byte 0xEF alone sent most chunks of such a push to a byte-at-a-time pass (65 µs
/// of a 64 KB push in Node, where this check now takes a few).
fn check_characters(body: &[u8]) -> Result<()> {
    const CHUNK: usize = 32;
    let mut at = 0;
    while let Some(window) = body
        .get(at..at + CHUNK + 2)
        .and_then(|w| <&[u8; CHUNK + 2]>::try_from(w).ok())
    {
        let mut forbidden = 0u8;
        for i in 0..CHUNK {
            forbidden |= forbidden_at(window[i], window[i + 1], window[i + 2]);
        }
        if forbidden != 0 {
            return Err(parse_error(FORBIDDEN_CHARACTER));
        }
        at += CHUNK;
    }
    // The last positions (fewer than 34 bytes from the end): past the end reads as 0, which
    // completes no sequence.
    let byte = |i: usize| body.get(i).copied().unwrap_or(0);
    if (at..body.len()).any(|i| forbidden_at(byte(i), byte(i + 1), byte(i + 2)) != 0) {
        return Err(parse_error(FORBIDDEN_CHARACTER));
    }
    Ok(())
}

/// 1 when the character starting with `b0` (followed by `b1`, `b2`) is one XML forbids, else 0.
#[inline(always)]
fn forbidden_at(b0: u8, b1: u8, b2: u8) -> u8 {
    let control =
        u8::from(b0 < 0x20) & u8::from(b0 != b'\t') & u8::from(b0 != b'\n') & u8::from(b0 != b'\r');
    let noncharacter = u8::from(b0 == 0xEF) & u8::from(b1 == 0xBF) & u8::from(b2 >= 0xBE);
    control | noncharacter
}

/// An element being read: its name, the children so far, and the text so far.
struct Open<'a> {
    name: String,
    children: Vec<Child<'a>>,
    text: Option<Cow<'a, str>>,
}

impl<'a> Open<'a> {
    fn new(name: String) -> Self {
        Open {
            name,
            children: Vec::new(),
            text: None,
        }
    }

    fn text_is_blank(&self) -> bool {
        self.text.as_deref().is_none_or(is_xml_whitespace)
    }

    fn into_node(self) -> Node<'a> {
        if self.children.is_empty() {
            Node::Text(self.text.unwrap_or(Cow::Borrowed("")))
        } else {
            Node::Element(self.children)
        }
    }
}

/// The document being read: the stack of open elements, the root's children once closed.
struct Tree<'a> {
    open: Vec<Open<'a>>,
    fields: Option<Vec<Child<'a>>>,
    elements: usize,
}

const MIXED: &str = "the XML body has text beside child elements (an element holds either text \
                     or child elements)";

impl<'a> Tree<'a> {
    /// Text, CDATA or a resolved reference inside the current element.
    fn text(&mut self, piece: Cow<'a, str>, what: &'static str) -> Result<()> {
        let depth = self.open.len();
        let Some(top) = self.open.last_mut() else {
            if what == "text" && is_xml_whitespace(&piece) {
                return Ok(());
            }
            return Err(parse_error(match what {
                "text" => "the XML body has text outside its root element",
                "CDATA" => "the XML body has CDATA outside its root element",
                _ => "the XML body has an entity outside its root element",
            }));
        };
        if depth == 1 || !top.children.is_empty() {
            // The root holds fields only; an element with children holds no text.
            if is_xml_whitespace(&piece) {
                return Ok(());
            }
            return Err(parse_error(if depth == 1 {
                "the XML body has text outside its fields"
            } else {
                MIXED
            }));
        }
        match &mut top.text {
            None => top.text = Some(piece),
            Some(text) => text.to_mut().push_str(&piece),
        }
        Ok(())
    }

    /// A start tag (`empty` for `<name/>`).
    fn start(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<()> {
        let name = check_start(start)?;
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(parse_error("the XML body has more than 10000 elements"));
        }
        match self.open.last_mut() {
            None if self.fields.is_some() => {
                return Err(parse_error("the XML body has more than one root element"))
            }
            None => {}
            Some(top) => {
                if !top.text_is_blank() {
                    return Err(parse_error(MIXED));
                }
                top.text = None;
            }
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(parse_error("the XML body nests elements too deeply"));
        }
        let element = Open::new(name);
        if empty {
            self.close(element);
        } else {
            self.open.push(element);
        }
        Ok(())
    }

    /// Attaches a finished element to its parent (or makes it the document's fields).
    fn close(&mut self, mut element: Open<'a>) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(Child {
                name: core::mem::take(&mut element.name),
                node: element.into_node(),
            }),
            None => self.fields = Some(element.children),
        }
    }
}

/// Reads the root element's children (the root's own name is not checked).
pub fn read_document(body: &str) -> Result<Vec<Child<'_>>> {
    read(body.as_bytes())
}

/// [`read_document`] for bytes not yet checked as UTF-8, without a pass of its own to check
/// them: quick-xml checks every piece it hands over (text, references, tags, comments, CDATA,
/// declarations), and together they are the whole body, so a body read to its end is UTF-8.
/// A body that is not UTF-8 gets `not_utf8`, whatever else is wrong with it (as when it is
/// checked before it is read): where reading fails, the whole body is checked.
pub fn read_document_bytes(body: &[u8], not_utf8: Error) -> Result<Vec<Child<'_>>> {
    read(body).map_err(|e| e.unless_not_utf8(body, not_utf8))
}

fn read(body: &[u8]) -> Result<Vec<Child<'_>>> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    check_characters(body)?;
    // For a `&str`, `Reader::from_str` is this reader (quick-xml checks the pieces either way).
    let mut reader = Reader::from_reader(body);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.allow_unmatched_ends = false;
    config.allow_dangling_amp = false;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut tree = Tree {
        open: Vec::new(),
        fields: None,
        elements: 0,
    };
    loop {
        let event = reader.read_event().map_err(reader_error)?;
        match event {
            Event::Start(start) => tree.start(&start, false)?,
            Event::Empty(start) => tree.start(&start, true)?,
            Event::End(_) => {
                // quick-xml has checked that the name matches the open element.
                let element = tree
                    .open
                    .pop()
                    .ok_or_else(|| parse_error("the XML body closes an element it never opened"))?;
                tree.close(element);
            }
            Event::Text(text) => {
                let text = text.into_inner();
                if super::write::find_cdata_end(&text).is_some() {
                    return Err(parse_error(
                        "the XML body has ']]>' outside a CDATA section (write ]]&gt;)",
                    ));
                }
                tree.text(text, "text")?
            }
            Event::CData(data) => tree.text(data.into_inner(), "CDATA")?,
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference)?;
                tree.text(resolved, "entity")?;
            }
            Event::DocType(_) => {
                return Err(parse_error(
                    "the XML body contains a DTD (<!DOCTYPE>), which is refused",
                ))
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    if !tree.open.is_empty() {
        return Err(parse_error(TRUNCATED));
    }
    tree.fields
        .ok_or_else(|| parse_error("the body has no XML root element"))
}

/// The text of `&name;`: a predefined entity or a character reference to a character XML
/// allows; anything else is refused.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<Cow<'static, str>> {
    if reference.is_char_ref() {
        let c = reference
            .resolve_char_ref()
            .ok()
            .flatten()
            .ok_or_else(|| parse_error("the XML body has an invalid character reference"))?;
        if !super::write::is_xml_char(c) {
            return Err(parse_error(
                "the XML body has a character reference to a character XML 1.0 forbids (&#1; \
                 to &#31; other than tab, line feed and carriage return, &#xFFFE; or &#xFFFF;)",
            ));
        }
        return Ok(Cow::Owned(String::from(c)));
    }
    quick_xml::escape::resolve_xml_entity(reference)
        .map(Cow::Borrowed)
        .ok_or_else(|| {
            parse_error(
                "the XML body uses an entity other than &lt; &gt; &amp; &apos; &quot; or a \
                 character reference",
            )
        })
}

/// quick-xml's error, said in the terms of this dialect (names from the body are not quoted:
/// they can be long).
fn reader_error(error: quick_xml::Error) -> Error {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    use quick_xml::Error as X;
    parse_error(match error {
        X::IllFormed(IllFormedError::MismatchedEndTag { .. }) => "the XML body's tags do not match",
        X::IllFormed(IllFormedError::UnmatchedEndTag(_)) => {
            "the XML body closes an element it never opened"
        }
        X::IllFormed(IllFormedError::UnclosedReference) => {
            "the XML body has '&' without a reference (write &amp;)"
        }
        X::IllFormed(IllFormedError::MissingDoctypeName) => {
            "the XML body contains a DTD (<!DOCTYPE>), which is refused"
        }
        X::IllFormed(_) => "the XML body is not well-formed",
        X::Syntax(SyntaxError::InvalidBangMarkup) => {
            "the XML body has a markup declaration, which is refused"
        }
        X::Syntax(SyntaxError::UnclosedDoctype) => {
            "the XML body contains a DTD (<!DOCTYPE>), which is refused"
        }
        X::Syntax(_) => TRUNCATED,
        X::Escape(_) => "the XML body has an invalid character reference",
        X::InvalidAttr(_) => {
            "the XML body has a malformed attribute (attributes are name=\"value\")"
        }
        _ => "the XML body cannot be read",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Node<'_> {
        Node::Text(Cow::Borrowed(s))
    }

    fn child<'a>(name: &str, node: Node<'a>) -> Child<'a> {
        Child {
            name: name.into(),
            node,
        }
    }

    fn kind(body: &str) -> ErrorKind {
        read_document(body).unwrap_err().kind()
    }

    #[test]
    fn reads_text_cdata_entities_and_whitespace_as_sent() {
        let got = read_document(
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- c --><xml a=\"1\">\n <A><![CDATA[x]]]]><![CDATA[>y]]></A>\
             <B> a &lt;&#x4e2d;&#25991;&amp; \r\n</B><C/><D></D><E> <F>in</F>\n<F/><!-- c --><G>&quot;</G></E><H>  </H></xml>\n",
        )
        .unwrap();
        let want = alloc::vec![
            child("A", text("x]]>y")),
            child("B", text(" a <中文& \r\n")),
            child("C", text("")),
            child("D", text("")),
            child(
                "E",
                Node::Element(alloc::vec![
                    child("F", text("in")),
                    child("F", text("")),
                    child("G", text("\"")),
                ])
            ),
            child("H", text("  ")),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn single_pieces_are_borrowed() {
        let body = "<xml><A><![CDATA[abc]]></A><B>plain</B></xml>";
        for f in read_document(body).unwrap() {
            assert!(matches!(f.node, Node::Text(Cow::Borrowed(_))));
        }
    }

    #[test]
    fn refuses_what_is_not_the_dialect() {
        for body in [
            "",
            "   ",
            "text",
            "<xml>",
            "<xml><A>1</A>",
            "<xml><A>1</B></xml>",
            "<xml></xml><xml/>",
            "<xml/><xml/>",
            "<xml></xml>tail",
            "<xml>stray<A>1</A></xml>",
            "<xml><A>1</A>stray</xml>",
            "<xml><A>x<B>1</B></A></xml>",
            "<xml><A><B>1</B>x</A></xml>",
            "<xml><A><B>1</B>&amp;</A></xml>",
            "<xml><A><B>1</B><![CDATA[x]]></A></xml>",
            "<xml>&amp;</xml>",
            "&amp;<xml/>",
            "<![CDATA[x]]><xml/>",
            "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><A>&e;</A></xml>",
            "<!doctype xml><xml/>",
            "<xml><A>&e;</A></xml>",
            "<xml><A>&#0;</A></xml>",
            "<xml><A>&#xD800;</A></xml>",
            "<xml><A>&#-1;</A></xml>",
            "<xml><A>&#+65;</A></xml>",
            "<xml><A>&#x;</A></xml>",
            "<xml><A>&amp</A></xml>",
            "<xml><A>a & b</A></xml>",
            "<xml><A><![CDATA[open</A></xml>",
            "<xml><A b=c>1</A></xml>",
            "<xml><A b=\"c>1</A></xml>",
            "<xml><A b=\"<\">1</A></xml>",
            "<xml><A b=\"1\" b=\"2\">1</A></xml>",
            "<xml><!ELEMENT x ANY><A/></xml>",
            "</xml>",
            "<>x</>",
            "<xml><A>1</A ",
            "<xml><!-- unterminated </xml>",
            "<xml><A&B>1</A&B></xml>",
            "<xml><A>a]]>b</A></xml>",
            "<xml><A><B><![CDATA[x]]>y]]></B></A></xml>",
        ] {
            assert_eq!(kind(body), ErrorKind::ParseXml, "{body:?}");
        }
    }

    #[test]
    fn limits() {
        let deep = |n: usize| format!("<xml>{}{}</xml>", "<a>".repeat(n), "</a>".repeat(n));
        assert!(read_document(&deep(MAX_DEPTH - 1)).is_ok());
        assert_eq!(kind(&deep(MAX_DEPTH)), ErrorKind::ParseXml);
        let siblings = |n: usize| format!("<xml>{}</xml>", "<a/>".repeat(n));
        assert_eq!(
            read_document(&siblings(MAX_ELEMENTS - 1)).unwrap().len(),
            MAX_ELEMENTS - 1
        );
        assert_eq!(kind(&siblings(MAX_ELEMENTS)), ErrorKind::ParseXml);
        let attributes = |n: usize| {
            let list: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
            format!("<xml><A{list}>1</A></xml>")
        };
        assert!(read_document(&attributes(MAX_ATTRIBUTES)).is_ok());
        assert_eq!(kind(&attributes(MAX_ATTRIBUTES + 1)), ErrorKind::ParseXml);
    }
}
