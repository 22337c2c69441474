//! Edges of the typed model's number reading: only plain decimal digits are a number.

use wechat_kf::message::parse_u64;

#[test]
fn parse_u64_takes_plain_digits_only() {
    assert_eq!(parse_u64("0"), Some(0));
    assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
    assert_eq!(parse_u64(""), None);
    assert_eq!(parse_u64("18446744073709551616"), None);
    // Rust's own u64 parser accepts a leading '+': the digit check must refuse it.
    assert_eq!(parse_u64("+5"), None);
    assert_eq!(parse_u64("-5"), None);
    assert_eq!(parse_u64(" 5"), None);
}
