//! Text as UTF-16 code units, for the binding to hand strings to JavaScript. A JavaScript
//! string is UTF-16, and V8 builds one from UTF-16 bytes at memory speed (Node's
//! `Buffer#toString('utf16le')`), while Node 20.20 decodes UTF-8 holding non-ASCII text at about
//! 200 MB/s (`TextDecoder` and `Buffer#toString` alike). The transcoding below runs faster in
//! wasm, so a push with Chinese text crosses the boundary faster as UTF-16. ASCII runs are
//! widened eight bytes at a time.

use alloc::vec::Vec;

/// Appends `text` as UTF-16 code units to `out`.
pub fn push_utf16(out: &mut Vec<u16>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // An ASCII run, a word at a time.
        while let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            out.extend(word.map(u16::from));
            i += 8;
        }
        let Some(&lead) = bytes.get(i) else { break };
        // `text` is valid UTF-8: a lead byte is followed by its continuation bytes.
        let next = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3f);
        let (code, len) = match lead {
            0x00..=0x7f => (u32::from(lead), 1),
            0x80..=0xdf => ((u32::from(lead & 0x1f) << 6) | next(1), 2),
            0xe0..=0xef => ((u32::from(lead & 0x0f) << 12) | (next(1) << 6) | next(2), 3),
            _ => (
                (u32::from(lead & 0x07) << 18) | (next(1) << 12) | (next(2) << 6) | next(3),
                4,
            ),
        };
        if code < 0x1_0000 {
            out.push(code as u16);
        } else {
            let v = code - 0x1_0000;
            out.push(0xd800 | (v >> 10) as u16);
            out.push(0xdc00 | (v & 0x3ff) as u16);
        }
        i += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scalar_value_matches_encode_utf16() {
        let all: alloc::string::String = (0..=0x10_ffffu32).filter_map(char::from_u32).collect();
        let mut out = Vec::new();
        push_utf16(&mut out, &all);
        assert!(out.iter().copied().eq(all.encode_utf16()));
    }

    #[test]
    fn matches_encode_utf16() {
        for text in [
            "",
            "a",
            "abcdefgh",
            "abcdefghi",
            "客服消息 hello 123 ",
            "é ü ß \u{7ff} \u{800} \u{ffff} \u{10000} 😀 \u{10ffff}",
            "0123456789abcdef😀0123456789abcdef客",
        ] {
            let mut out = alloc::vec![7u16];
            push_utf16(&mut out, text);
            let mut want = alloc::vec![7u16];
            want.extend(text.encode_utf16());
            assert_eq!(out, want, "{text:?}");
        }
    }
}
