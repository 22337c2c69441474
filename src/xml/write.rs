//! Writers that keep XML well-formed whatever the content: CDATA sections split around `]]>`,
//! and characters XML 1.0 cannot carry at all replaced by U+FFFD.

use alloc::string::String;

/// Characters allowed in XML 1.0 documents (the `Char` production): what the writers keep and
/// the reader accepts.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The byte offset of the first `]]>` in `text`. A byte scan for its `>` rather than
/// `str::find`, whose substring searcher (about 2 KB of wasm) nothing else in the inbound
/// module needs.
pub(super) fn find_cdata_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (2..bytes.len())
        .find(|&i| bytes[i] == b'>' && bytes[i - 1] == b']' && bytes[i - 2] == b']')
        .map(|i| i - 2)
}

/// Appends `<![CDATA[text]]>`, splitting any `]]>` as `]]]]><![CDATA[>`.
pub fn push_cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    let mut rest = text;
    while let Some(pos) = find_cdata_end(rest) {
        push_xml_chars(out, &rest[..pos + 2]);
        out.push_str("]]><![CDATA[");
        rest = &rest[pos + 2..];
    }
    push_xml_chars(out, rest);
    out.push_str("]]>");
}

fn push_xml_chars(out: &mut String, text: &str) {
    if text.chars().all(is_xml_char) {
        out.push_str(text);
    } else {
        out.extend(
            text.chars()
                .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' }),
        );
    }
}

/// Appends `<name><![CDATA[text]]></name>`.
pub fn push_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_cdata(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Appends `<name>text</name>` for text made only of ASCII digits (numbers such as
/// timestamps), and falls back to CDATA for anything else.
pub fn push_text_element(out: &mut String, name: &str, text: &str) {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        out.push('<');
        out.push_str(name);
        out.push('>');
        out.push_str(text);
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    } else {
        push_element(out, name, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_cdata_end_agrees_with_str_find() {
        let pieces = ["", "]", "]]", ">", "]]>", "a", "é", "]>", "]]]>", "]]]]>>"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = alloc::format!("{a}{b}{c}");
                    assert_eq!(find_cdata_end(&text), text.find("]]>"), "{text:?}");
                }
            }
        }
    }
}
