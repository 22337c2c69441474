//! Characters XML 1.0 forbids (issue 22, item 14): C0 controls other than tab, line feed and
//! carriage return, U+FFFE and U+FFFF (and surrogates, which only a reference can name) are
//! refused with -40002 wherever they occur in an XML body, raw or as a character reference, in
//! text, CDATA, attribute values and comments; in a push, plaintext or encrypted. JSON pushes
//! keep such characters when they arrive escaped (docs/protocol.md#body-format).

use wechat_kf::crypto::Format;
use wechat_kf::crypto::{hex_str, signature};
use wechat_kf::push::{Limits, PushQuery, Receiver};
use wechat_kf::xml::{read_document, read_document_bytes};
use wechat_kf::{Error, ErrorKind, WxBizMsgCrypt};

/// The production `Char` of XML 1.0 (fifth edition, section 2.2), written from the
/// specification, not from the reader.
fn xml_allows(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

/// Every code point: raw in text, in CDATA, in an attribute value and in a comment, and as a
/// decimal and a hex reference in text and in an attribute value. Each is accepted exactly
/// when XML allows it (surrogates cannot be raw in a Rust string; their references are tried).
#[test]
fn every_code_point_raw_and_referenced_is_refused_exactly_when_xml_forbids_it() {
    let mut refused = 0;
    for code in 0..=0x10_FFFFu32 {
        // All of the BMP's edges and low range, then a sample of the rest (every 97th).
        if code > 0x1_0100 && code % 97 != 0 && code != 0x10_FFFF {
            continue;
        }
        let allowed = xml_allows(code);
        let mut bodies = vec![
            format!("<xml><A>x&#{code};y</A></xml>"),
            format!("<xml><A>&#x{code:x};</A></xml>"),
            format!("<xml><A b=\"&#x{code:X};\">1</A></xml>"),
        ];
        if let Some(c) = char::from_u32(code) {
            // `<` and `&` are markup, not a character question.
            if c != '<' && c != '&' {
                bodies.push(format!("<xml><A>x{c}y</A></xml>"));
                if c != '\'' {
                    bodies.push(format!("<xml><A b='{c}'>1</A></xml>"));
                }
            }
            if c != ']' && c != '>' {
                bodies.push(format!("<xml><A><![CDATA[{c}]]></A></xml>"));
            }
            if c != '-' {
                bodies.push(format!("<xml><!--{c}--><A>1</A></xml>"));
            }
        }
        for body in &bodies {
            // The reader keeps the character it was given, and the bytes reader agrees.
            let got = read_document(body);
            let bytes =
                read_document_bytes(body.as_bytes(), Error::new(ErrorKind::IllegalBuffer, "x"));
            assert_eq!(got, bytes, "{body:?}");
            match got {
                Ok(_) => assert!(allowed, "accepted U+{code:04X}: {body:?}"),
                Err(e) => {
                    assert!(!allowed, "refused U+{code:04X} ({e}): {body:?}");
                    assert_eq!(e.code(), -40002, "{body:?}");
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > 29 * 5, "{refused}");
}

/// The message says what is wrong; a forbidden character in a body that is also not UTF-8
/// still gets the caller's UTF-8 error (the bytes reader's rule).
#[test]
fn messages_and_the_utf8_error_first() {
    let raw = read_document("<xml><A>\u{1}</A></xml>").unwrap_err();
    assert!(raw.message().contains("XML 1.0 forbids"), "{raw}");
    let reference = read_document("<xml><A>&#x1;</A></xml>").unwrap_err();
    assert!(
        reference.message().contains("character reference"),
        "{reference}"
    );
    const NOT_UTF8: Error = Error::new(ErrorKind::IllegalBuffer, "not UTF-8 (test)");
    let err = read_document_bytes(b"<xml><A>\x01\xff</A></xml>", NOT_UTF8).unwrap_err();
    assert_eq!(err, NOT_UTF8);
    // A BOM, DEL and C1 controls, and the last characters of each allowed range are kept.
    let kept = "\u{feff}<xml><A>\t\r\n\u{7f}\u{85}\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}&#x9;&#xA;&#xD;&#x7F;</A></xml>";
    let fields = read_document(kept).unwrap();
    assert_eq!(
        fields[0].node.as_text(),
        Some("\t\r\n\u{7f}\u{85}\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}\t\n\r\u{7f}")
    );
    // Attribute values: references are checked like those of text.
    for body in [
        "<xml><A b=\"&bogus;\">1</A></xml>",
        "<xml><A b=\"a & b\">1</A></xml>",
        "<xml><A b=\"&#0;\">1</A></xml>",
    ] {
        assert_eq!(read_document(body).unwrap_err().code(), -40002, "{body}");
    }
    read_document("<xml><A b=\"&lt;&amp;&#x4e2d;&#9;\" c='&quot;'>1</A></xml>").unwrap();
}

const TOKEN: &str = "xml-characters-token";
const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const APP_ID: &str = "wx49f0ab532d5d035a";
const TS: &str = "1715943329";
const NOW: u64 = 1_715_943_329;

fn receiver() -> Receiver {
    let crypt = WxBizMsgCrypt::new(TOKEN, KEY, APP_ID).unwrap();
    Receiver::new(
        crypt,
        Limits {
            allow_plaintext: true,
            ..Limits::default()
        },
    )
}

fn plaintext(r: &Receiver, body: &str) -> wechat_kf::Result<wechat_kf::push::Push> {
    let sig = signature(TOKEN, TS, "1", None);
    r.receive(
        &PushQuery {
            signature: Some(hex_str(&sig)),
            timestamp: Some(TS),
            nonce: Some("1"),
            ..PushQuery::default()
        },
        body.as_bytes(),
        None,
        NOW,
    )
}

fn encrypted(
    r: &Receiver,
    plain: &str,
    format: Format,
) -> wechat_kf::Result<wechat_kf::push::Push> {
    let encrypt = r.crypt().encrypt(plain, &[7; 16]).unwrap();
    let msg_signature = r.crypt().msg_signature(TS, "1", &encrypt);
    let body = match format {
        Format::Xml => {
            format!("<xml><ToUserName>gh</ToUserName><Encrypt>{encrypt}</Encrypt></xml>")
        }
        Format::Json => format!(r#"{{"ToUserName":"gh","Encrypt":"{encrypt}"}}"#),
    };
    r.receive(
        &PushQuery {
            timestamp: Some(TS),
            nonce: Some("1"),
            encrypt_type: Some("aes"),
            msg_signature: Some(&msg_signature),
            ..PushQuery::default()
        },
        body.as_bytes(),
        None,
        NOW,
    )
}

const HEAD: &str = "<ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1715943329</CreateTime><MsgType>text</MsgType><MsgId>1</MsgId>";

/// The three of the issue (a raw NUL, `&#x1;`, a raw U+0001 in element text) and the other
/// kinds, in plaintext and encrypted XML pushes: -40002, and the receiver keeps working.
#[test]
fn pushes_with_forbidden_characters_are_refused() {
    let r = receiver();
    for content in [
        "a\u{0}b",
        "&#x1;",
        "\u{1}",
        "<![CDATA[\u{1b}[31m]]>",
        "\u{fffe}",
        "&#xFFFF;",
        "&#8;",
    ] {
        let body = format!("<xml>{HEAD}<Content>{content}</Content></xml>");
        let err = plaintext(&r, &body).unwrap_err();
        assert_eq!(
            (err.code(), err.kind()),
            (-40002, ErrorKind::ParseXml),
            "{content:?}: {err}"
        );
        let err = encrypted(&r, &body, Format::Xml).unwrap_err();
        assert_eq!(err.code(), -40002, "{content:?} encrypted: {err}");
        let err = encrypted(&r, &body, Format::Json).unwrap_err();
        assert_eq!(
            err.code(),
            -40002,
            "{content:?} encrypted XML in a JSON envelope: {err}"
        );
        let ok = format!("<xml>{HEAD}<Content>ok\t</Content></xml>");
        assert_eq!(
            plaintext(&r, &ok)
                .unwrap()
                .message
                .field("Content")
                .as_deref(),
            Some("ok\t")
        );
    }
    // In the envelope too.
    let err = plaintext(
        &r,
        "<xml><ToUserName>gh\u{0}</ToUserName><Encrypt>x</Encrypt></xml>",
    );
    assert_eq!(err.unwrap_err().code(), -40002);
}

/// JSON strings keep every character JSON can carry escaped, controls and noncharacters
/// included: the choice of docs/protocol.md#body-format. Raw controls are not JSON (refused by
/// the parser, -40012); lone surrogates cannot be a Rust string (refused, -40012).
#[test]
fn json_pushes_keep_escaped_controls() {
    let r = receiver();
    let head = r#""ToUserName":"gh","FromUserName":"o","CreateTime":1715943329,"MsgType":"text","MsgId":1"#;
    let push = plaintext(
        &r,
        &format!(r#"{{{head},"Content":"a\u0000b\u0001\u001f\ufffe\uffff"}}"#),
    )
    .unwrap();
    assert_eq!(
        push.message.field("Content").as_deref(),
        Some("a\u{0}b\u{1}\u{1f}\u{fffe}\u{ffff}")
    );
    let push = encrypted(
        &r,
        &format!(r#"{{{head},"Content":"\u0000"}}"#),
        Format::Json,
    )
    .unwrap();
    assert_eq!(push.message.field("Content").as_deref(), Some("\u{0}"));
    for content in ["\"a\u{1}b\"", r#""\ud800""#, r#""\udc00x""#] {
        let err = plaintext(&r, &format!(r#"{{{head},"Content":{content}}}"#)).unwrap_err();
        assert_eq!(err.code(), -40012, "{content:?}: {err}");
    }
}

/// The check goes 32 bytes at a time: every forbidden sequence at every offset of a long body
/// (across the chunks' edges and into the last, short stretch) is refused, and what merely looks
/// like one at the same offsets is read: full-width punctuation (EF BC ..), U+FFFD (EF BF BD),
/// another character whose last bytes are BF BE (U+5FFE, E5 BF BE), tab, line feed and carriage
/// return, a lone 0xEF-led character at the very end.
#[test]
fn forbidden_characters_are_found_at_every_offset_of_a_long_body() {
    let refused: [&[u8]; 5] = [
        b"\x01",
        b"\x1f",
        b"\x00",
        "\u{FFFE}".as_bytes(),
        "\u{FFFF}".as_bytes(),
    ];
    let allowed: [&str; 7] = ["，", "！", "\u{FFFD}", "\u{5FFE}", "\t", "\n", "\r"];
    for len in [0usize, 1, 29, 30, 31, 32, 33, 34, 63, 64, 65, 100] {
        for at in 0..=len {
            let filler = "a".repeat(len);
            let (before, after) = filler.split_at(at);
            for bad in refused {
                let mut body = format!("<xml><A>{before}").into_bytes();
                body.extend_from_slice(bad);
                body.extend_from_slice(format!("{after}</A></xml>").as_bytes());
                let got = read_document_bytes(&body, Error::new(ErrorKind::IllegalBuffer, "x"));
                assert_eq!(
                    got.map(|_| ()).unwrap_err().code(),
                    -40002,
                    "{bad:?} at {at} of {len}"
                );
            }
            for good in allowed {
                let body = format!("<xml><A>{before}{good}{after}</A></xml>");
                assert!(read_document(&body).is_ok(), "{good:?} at {at} of {len}");
                // The same at the very end of the body, after the root closes.
                let tail = format!("<xml><A>{before}{after}</A></xml>{good}");
                if good.trim().is_empty() {
                    assert!(read_document(&tail).is_ok(), "{good:?} after the root");
                }
            }
        }
    }
}
