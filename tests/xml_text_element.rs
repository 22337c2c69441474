//! `xml::push_text_element` writes digits bare (timestamps, ids) and anything else, the empty
//! text included, as CDATA, so that what it writes reads back as the same text.

use wechat_kf::xml::{push_text_element, read_document, Node};

#[test]
fn digits_bare_everything_else_as_cdata() {
    for (text, written) in [
        ("1700000000", "<A>1700000000</A>"),
        ("0", "<A>0</A>"),
        ("", "<A><![CDATA[]]></A>"),
        ("a", "<A><![CDATA[a]]></A>"),
        ("12a", "<A><![CDATA[12a]]></A>"),
        ("a<b&c", "<A><![CDATA[a<b&c]]></A>"),
        ("-1", "<A><![CDATA[-1]]></A>"),
        (" 1", "<A><![CDATA[ 1]]></A>"),
    ] {
        let mut out = String::new();
        push_text_element(&mut out, "A", text);
        assert_eq!(out, written, "{text:?}");
        let body = format!("<xml>{out}</xml>");
        let read = read_document(&body).unwrap();
        assert!(
            matches!(&read[0].node, Node::Text(t) if t == text),
            "{body}"
        );
    }
}
