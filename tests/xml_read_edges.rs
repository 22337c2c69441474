//! Edges of the XML reader's own checks. Element names: the platform's (ASCII letters, digits,
//! `_`) and any other without markup characters or whitespace are read; an empty name is
//! refused. Forbidden characters: found wherever they are, also in a stretch of 32 bytes (the
//! scan's chunk) that holds nothing but whitespace and them.

use wechat_kf::xml::read_document;

#[test]
fn an_element_without_a_name_is_refused() {
    for body in [
        "<xml><>x</></xml>",
        "<xml><></></xml>",
        "<xml><ToUserName>a</ToUserName><>1</></xml>",
        "<></>",
        "<xml></>",
    ] {
        let result = read_document(body);
        assert!(result.is_err(), "{body}: {result:?}");
    }
}

#[test]
fn names_beyond_the_platform_s_alphabet_are_read() {
    for name in ["A", "a_b", "a-b", "a.b", "ns:a", "名前", "É1", "a\u{b7}"] {
        let body = format!("<xml><{name}>v</{name}></xml>");
        assert!(read_document(&body).is_ok(), "{body}");
    }
}

#[test]
fn a_forbidden_character_among_whitespace_only_is_found_in_every_chunk_position() {
    // Bytes of at most 0x20 only (space, tab, line feed, carriage return and the forbidden
    // one), long enough to fill whole 32-byte chunks at every offset.
    for forbidden in ["\u{1}", "\u{8}", "\u{1f}"] {
        for pad in 0..32 {
            for at in [0, 1, 31, 32, 63] {
                let mut filler: Vec<&str> = [" ", "\t", "\n", "\r"].repeat(20);
                filler.insert(at, forbidden);
                let body = format!("<xml>{}<A>{}</A></xml>", " ".repeat(pad), filler.concat());
                let error = read_document(&body).unwrap_err();
                assert!(
                    error.message().contains("XML 1.0 forbids"),
                    "{pad} {at}: {error}"
                );
                let clean = body.replace(forbidden, " ");
                assert!(read_document(&clean).is_ok(), "{pad} {at}");
            }
        }
    }
}

#[test]
fn each_refusal_says_what_is_wrong() {
    for (body, says) in [
        ("<xml></xml>junk", "text outside its root element"),
        ("<xml></xml><![CDATA[x]]>", "CDATA outside its root element"),
        ("<xml></xml>&amp;", "an entity outside its root element"),
        ("<xml>junk<A>1</A></xml>", "text outside its fields"),
        (
            "<xml><A><B>1</B>junk</A></xml>",
            "text beside child elements",
        ),
        (
            "<xml><A><![CDATA[x]]><B>1</B></A></xml>",
            "text beside child elements",
        ),
        ("<xml><A>1</B></xml>", "tags do not match"),
        ("</xml>", "closes an element it never opened"),
        ("<xml><A>a&b</A></xml>", "'&' without a reference"),
        ("<xml a=\"&b\"/>", "'&' without a reference"),
        ("<!DOCTYPE><xml/>", "contains a DTD"),
        ("<!DOCTYPE x><xml/>", "contains a DTD"),
        ("<xml><A>&#0;</A></xml>", "invalid character reference"),
        ("<xml a=b/>", "malformed attribute"),
        ("<xml><A>1</A>", "truncated"),
        ("<xml></xml ", "truncated"),
        ("<xml><A", "truncated"),
        ("<xml><!x></xml>", "markup declaration"),
        ("<!DOCTYPE x", "contains a DTD"),
        ("<xml><A>&#xZZ;</A></xml>", "invalid character reference"),
        ("<xml><A>&#55296;</A></xml>", "invalid character reference"),
        ("<xml a='1/>", "truncated"),
        ("<xml a/>", "malformed attribute"),
    ] {
        let error = read_document(body).unwrap_err();
        assert!(error.message().contains(says), "{body}: {error}");
    }
}
