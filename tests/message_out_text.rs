//! The JSON text the model is written as uses the short escapes for `"`, `\`, newline, carriage
//! return and tab (as `JSON.stringify` does), and `\u00XX` for the other control bytes: the text
//! is pinned exactly, not only its parsed value (a `\u0022` for a quote parses the same).

use wechat_kf::message::{push_json_number, push_json_string};

fn string(text: &str) -> String {
    let mut out = String::new();
    push_json_string(&mut out, text);
    out
}

#[test]
fn short_escapes_are_used_where_json_has_them() {
    assert_eq!(string("a\"b"), r#""a\"b""#);
    assert_eq!(string("a\\b"), r#""a\\b""#);
    assert_eq!(string("a\nb"), r#""a\nb""#);
    assert_eq!(string("a\rb"), r#""a\rb""#);
    assert_eq!(string("a\tb"), r#""a\tb""#);
    assert_eq!(string("\u{1}\u{8}\u{1f} é"), r#""\u0001\u0008\u001f é""#);
    assert_eq!(string(""), r#""""#);
}

fn number(literal: &str) -> String {
    let mut out = String::new();
    push_json_number(&mut out, literal);
    out
}

#[test]
fn integers_beyond_2_pow_53_become_strings_at_the_exact_edge() {
    // 2^53 - 1 is the largest a JavaScript number holds exactly: kept a number; one more is not.
    assert_eq!(number("9007199254740991"), "9007199254740991");
    assert_eq!(number("9007199254740992"), r#""9007199254740992""#);
    assert_eq!(number("-9007199254740992"), r#""-9007199254740992""#);
    // Long numbers that are not integers stay numbers (their digits are not one integer).
    assert_eq!(number("1.2345678901234567"), "1.2345678901234567");
    assert_eq!(number("12345678901234567e3"), "12345678901234567e3");
}
