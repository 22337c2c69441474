//! `utf16::push_utf16` reads text a word at a time (eight ASCII bytes; a 3-byte sequence and
//! the next byte). Words that only a wrong mask or comparison would take for one of those must
//! still come out unit for unit as `str::encode_utf16` gives them.

use wechat_kf::utf16::push_utf16;

fn check(text: &str) {
    let mut out = vec![0xffff_u16];
    push_utf16(&mut out, text);
    assert_eq!(out[0], 0xffff, "what was there is kept");
    assert!(out[1..].iter().copied().eq(text.encode_utf16()), "{text:?}");
}

#[test]
fn ascii_words_that_look_like_three_byte_sequences_under_a_wrong_mask() {
    // The 3-byte test is `w & 0x00c0c0f0 == 0x008080e0`; with `^` for `&` it would take the
    // ASCII bytes 10 40 40 00 (`\u{10}@@\0`) for one. Fewer than eight bytes left or a
    // non-ASCII byte among them: the word path does not take them first.
    for text in [
        "\u{10}@@\0",
        "\u{10}@@\0é",
        "客\u{10}@@\0客",
        "abc\u{10}@@\0",
        "\u{10}@@\0\u{10}@@\0😀",
    ] {
        check(text);
    }
    // Every ASCII word of four bytes from a few classes of byte, before a non-ASCII character.
    let bytes = [0x00u8, 0x10, 0x1f, 0x20, 0x40, 0x60, 0x7f];
    for &a in &bytes {
        for &b in &bytes {
            for &c in &bytes {
                for &d in &bytes {
                    let text: String = [a, b, c, d].iter().map(|&x| char::from(x)).collect();
                    check(&format!("{text}é"));
                    check(&format!("客{text}"));
                }
            }
        }
    }
}

#[test]
fn every_length_and_alignment_of_each_width() {
    for piece in ["a", "é", "客", "😀"] {
        for before in 0..10 {
            for count in 0..20 {
                let text = format!(
                    "{}{}{}",
                    "x".repeat(before),
                    piece.repeat(count),
                    "y".repeat(before % 3)
                );
                check(&text);
            }
        }
    }
}
