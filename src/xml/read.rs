//! Reads the children of the root element as (name, text) pairs, in document order.
//!
//! The platform's XML is a small dialect: one root (usually `<xml>`) whose children carry text
//! or CDATA. This reader accepts exactly well-formed documents of that shape (plus comments,
//! processing instructions, an XML declaration and attributes, which it skips) and nothing
//! else, in one pass without copying unless a value is split (entities, several CDATA
//! sections). Text is kept exactly as sent: no trimming, no end-of-line normalisation. The five
//! predefined entities and character references are resolved; a DTD, any other entity, a
//! second root, stray text between fields, unclosed or mismatched tags are errors (-40002). A
//! child that itself has children keeps the concatenation of the text inside it.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

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

const TRUNCATED: &str = "the XML body is truncated: an element is not closed";

/// Appends a piece of text to a value, borrowing while it is the only piece.
fn append<'a>(value: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match value {
        None => *value = Some(piece),
        Some(existing) => existing.to_mut().push_str(&piece),
    }
}

/// A cursor over the body.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn starts_with(&self, prefix: &str) -> bool {
        self.rest().starts_with(prefix)
    }

    /// Returns the text up to `end` and moves past `end`.
    fn take_until(&mut self, end: &str, missing: &'static str) -> Result<&'a str> {
        let rest = self.rest();
        let at = rest.find(end).ok_or_else(|| parse_error(missing))?;
        self.pos += at + end.len();
        Ok(&rest[..at])
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos += rest.len() - trimmed.len();
    }
}

fn is_name_char(c: char) -> bool {
    !matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | '/' | '>' | '<' | '=' | '"' | '\'' | '&' | '!' | '?'
    )
}

/// Reads a tag name at the cursor.
fn read_name<'a>(cur: &mut Cursor<'a>) -> Result<&'a str> {
    let rest = cur.rest();
    let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    if len == 0 {
        return Err(parse_error("the XML body has a tag without a name"));
    }
    cur.pos += len;
    Ok(&rest[..len])
}

/// Reads the rest of a start tag after its name: attributes (skipped), then `>` or `/>`.
/// Returns true for an empty element (`/>`).
fn read_tag_end(cur: &mut Cursor<'_>) -> Result<bool> {
    loop {
        cur.skip_whitespace();
        let rest = cur.rest();
        if rest.starts_with("/>") {
            cur.pos += 2;
            return Ok(true);
        }
        if rest.starts_with('>') {
            cur.pos += 1;
            return Ok(false);
        }
        if rest.is_empty() {
            return Err(parse_error(TRUNCATED));
        }
        // An attribute: name = "value" | 'value'
        read_name(cur)?;
        cur.skip_whitespace();
        if !cur.starts_with("=") {
            return Err(parse_error("the XML body has an attribute without a value"));
        }
        cur.pos += 1;
        cur.skip_whitespace();
        let quote = match cur.rest().as_bytes().first() {
            Some(b'"') => "\"",
            Some(b'\'') => "'",
            _ => return Err(parse_error("the XML body has an unquoted attribute value")),
        };
        cur.pos += 1;
        let value = cur.take_until(quote, TRUNCATED)?;
        if value.contains('<') {
            return Err(parse_error(
                "the XML body has '<' inside an attribute value",
            ));
        }
    }
}

/// Resolves the reference after `&` (the cursor is past `&`).
fn read_reference<'a>(cur: &mut Cursor<'a>) -> Result<Cow<'a, str>> {
    const BAD: &str = "the XML body uses an entity other than &lt; &gt; &amp; &apos; &quot; or a \
                       character reference";
    let rest = cur.rest();
    let end = rest
        .as_bytes()
        .iter()
        .take(12)
        .position(|&b| b == b';')
        .ok_or_else(|| parse_error(BAD))?;
    let name = &rest[..end];
    cur.pos += end + 1;
    let text = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => {
            let number = name.strip_prefix('#').ok_or_else(|| parse_error(BAD))?;
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => number.parse::<u32>(),
            }
            .ok()
            .filter(|_| {
                let digits = number.strip_prefix('x').unwrap_or(number);
                !digits.starts_with(['+', '-'])
            })
            .and_then(char::from_u32)
            .filter(|&c| c != '\0')
            .ok_or_else(|| parse_error("the XML body has an invalid character reference"))?;
            return Ok(Cow::Owned(String::from(code)));
        }
    };
    Ok(Cow::Borrowed(text))
}

/// Reads the root element's children. The root's own name is not checked.
pub fn read_fields(body: &str) -> Result<Vec<Field<'_>>> {
    let mut cur = Cursor { text: body, pos: 0 };
    let mut fields = Vec::new();
    // Open element names; [0] is the root, [1] the current field.
    let mut open: Vec<&str> = Vec::new();
    let mut seen_root = false;
    let mut current: Option<(&str, Option<Cow<'_, str>>)> = None;
    if cur.starts_with("\u{feff}") {
        cur.pos += '\u{feff}'.len_utf8();
    }
    loop {
        // Text up to the next markup.
        let rest = cur.rest();
        let stop = rest.find(['<', '&']).unwrap_or(rest.len());
        if stop > 0 {
            let text = &rest[..stop];
            cur.pos += stop;
            if open.len() >= 2 {
                if let Some((_, value)) = current.as_mut() {
                    append(value, Cow::Borrowed(text));
                }
            } else if !text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                return Err(parse_error(if open.is_empty() {
                    "the XML body has text outside its root element"
                } else {
                    "the XML body has text outside its fields"
                }));
            }
        }
        let rest = cur.rest();
        if rest.is_empty() {
            break;
        }
        if rest.starts_with('&') {
            cur.pos += 1;
            let resolved = read_reference(&mut cur)?;
            if open.len() < 2 {
                return Err(parse_error("the XML body has an entity outside its fields"));
            }
            if let Some((_, value)) = current.as_mut() {
                append(value, resolved);
            }
        } else if rest.starts_with("<![CDATA[") {
            cur.pos += "<![CDATA[".len();
            let data = cur.take_until("]]>", TRUNCATED)?;
            if open.len() < 2 {
                return Err(parse_error("the XML body has CDATA outside its fields"));
            }
            if let Some((_, value)) = current.as_mut() {
                append(value, Cow::Borrowed(data));
            }
        } else if rest.starts_with("<!--") {
            cur.pos += "<!--".len();
            cur.take_until("-->", TRUNCATED)?;
        } else if rest.starts_with("<!") {
            let doctype = rest
                .get(2..9)
                .is_some_and(|s| s.eq_ignore_ascii_case("DOCTYPE"));
            return Err(parse_error(if doctype {
                "the XML body contains a DTD (<!DOCTYPE>), which is refused"
            } else {
                "the XML body has a markup declaration, which is refused"
            }));
        } else if rest.starts_with("<?") {
            cur.pos += 2;
            cur.take_until("?>", TRUNCATED)?;
        } else if rest.starts_with("</") {
            cur.pos += 2;
            let name = read_name(&mut cur)?;
            cur.skip_whitespace();
            if !cur.starts_with(">") {
                return Err(parse_error(TRUNCATED));
            }
            cur.pos += 1;
            match open.pop() {
                Some(expected) if expected == name => {}
                Some(_) => return Err(parse_error("the XML body's tags do not match")),
                None => {
                    return Err(parse_error(
                        "the XML body closes an element it never opened",
                    ))
                }
            }
            if open.len() == 1 {
                if let Some((name, value)) = current.take() {
                    fields.push(Field {
                        name: Cow::Borrowed(name),
                        value: value.unwrap_or(Cow::Borrowed("")),
                    });
                }
            }
        } else {
            cur.pos += 1;
            let name = read_name(&mut cur)?;
            let empty = read_tag_end(&mut cur)?;
            match open.len() {
                0 if seen_root => {
                    return Err(parse_error("the XML body has more than one root element"))
                }
                0 => seen_root = true,
                1 if empty => fields.push(Field {
                    name: Cow::Borrowed(name),
                    value: Cow::Borrowed(""),
                }),
                1 => current = Some((name, None)),
                depth if depth >= MAX_DEPTH => {
                    return Err(parse_error("the XML body nests elements too deeply"))
                }
                _ => {}
            }
            if !empty {
                open.push(name);
            }
        }
    }
    if !seen_root {
        return Err(parse_error("the body has no XML root element"));
    }
    if !open.is_empty() {
        return Err(parse_error(TRUNCATED));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(body: &str) -> Vec<(String, String)> {
        read_fields(body)
            .unwrap()
            .into_iter()
            .map(|f| (f.name.into_owned(), f.value.into_owned()))
            .collect()
    }

    fn kind(body: &str) -> ErrorKind {
        read_fields(body).unwrap_err().kind()
    }

    #[test]
    fn reads_text_cdata_entities_and_whitespace_as_sent() {
        let got = pairs(
            "<?xml version=\"1.0\"?>\n<!-- c --><xml a=\"1\">\n <A><![CDATA[x]]]]><![CDATA[>y]]></A>\
             <B> a &lt;&#x4e2d;&#25991;&amp; \r\n</B><C/><D></D><E><F>in</F>ner</E></xml>\n",
        );
        let want = [
            ("A", "x]]>y"),
            ("B", " a <中文& \r\n"),
            ("C", ""),
            ("D", ""),
            ("E", "inner"),
        ];
        assert_eq!(got.len(), want.len());
        for ((n, v), (wn, wv)) in got.iter().zip(want) {
            assert_eq!((n.as_str(), v.as_str()), (wn, wv));
        }
    }

    #[test]
    fn single_pieces_are_borrowed() {
        let body = "<xml><A><![CDATA[abc]]></A><B>plain</B></xml>";
        for f in read_fields(body).unwrap() {
            assert!(matches!(f.value, Cow::Borrowed(_)));
            assert!(matches!(f.name, Cow::Borrowed(_)));
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
            "<xml></xml>tail",
            "<xml>stray<A>1</A></xml>",
            "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><A>&e;</A></xml>",
            "<!doctype xml><xml/>",
            "<xml><A>&e;</A></xml>",
            "<xml><A>&#0;</A></xml>",
            "<xml><A>&#xD800;</A></xml>",
            "<xml><A>&#-1;</A></xml>",
            "<xml><A>&amp</A></xml>",
            "<xml><A><![CDATA[open</A></xml>",
            "<xml><A b=c>1</A></xml>",
            "<xml><A b=\"c>1</A></xml>",
            "<xml><!ELEMENT x ANY><A/></xml>",
            "</xml>",
            "<>x</>",
            "<xml><A>1</A ",
            "<xml><!-- unterminated </xml>",
        ] {
            assert_eq!(kind(body), ErrorKind::ParseXml, "{body:?}");
        }
        let deep = format!("<xml>{}{}</xml>", "<a>".repeat(40), "</a>".repeat(40));
        assert_eq!(kind(&deep), ErrorKind::ParseXml);
    }
}
