//! Text as UTF-16 code units, for the binding to hand strings to JavaScript. A JavaScript
//! string is UTF-16, and V8 builds one from UTF-16 bytes at memory speed (Node's
//! `Buffer#toString('utf16le')`), while Node 20.20 decodes UTF-8 holding non-ASCII text at about
//! 200 MB/s (`TextDecoder` and `Buffer#toString` alike). The transcoding below runs faster in
//! wasm, so a push with Chinese text crosses the boundary faster as UTF-16. ASCII runs are
//! widened eight bytes at a time, and runs of 3-byte sequences decoded a word at a time.

use alloc::vec::Vec;

/// Appends `text` as UTF-16 code units to `out`.
pub fn push_utf16(out: &mut Vec<u16>, text: &str) {
    let start = out.len();
    // A byte of UTF-8 never makes more than one code unit: room for all, cut to what was written
    // (indexing a slice of known length, without a capacity check for every unit).
    out.resize(start + text.len(), 0);
    let written = transcode(text.as_bytes(), &mut out[start..]);
    out.truncate(start + written);
}

/// Writes valid UTF-8 `bytes` into `dst` (at least as long) as UTF-16; returns the units written.
fn transcode(bytes: &[u8], dst: &mut [u16]) -> usize {
    let (mut i, mut o) = (0, 0);
    while i < bytes.len() {
        // An ASCII run, a word at a time.
        if let (Some(word), Some(units)) = (bytes.get(i..i + 8), dst.get_mut(o..o + 8)) {
            if let Ok(word) = <[u8; 8]>::try_from(word) {
                if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 == 0 {
                    for (unit, byte) in units.iter_mut().zip(word) {
                        *unit = u16::from(byte);
                    }
                    i += 8;
                    o += 8;
                    continue;
                }
            }
        }
        // A run of 3-byte sequences (most of Chinese text), each read as one little-endian word
        // whose fourth byte is the next character's.
        let run_start = i;
        while let (Some(word), Some(unit)) = (bytes.get(i..i + 4), dst.get_mut(o)) {
            let Ok(word) = <[u8; 4]>::try_from(word) else {
                break;
            };
            let w = u32::from_le_bytes(word);
            if w & 0x00c0_c0f0 != 0x0080_80e0 {
                break;
            }
            *unit = (((w & 0x0f) << 12) | ((w & 0x3f00) >> 2) | ((w >> 16) & 0x3f)) as u16;
            i += 3;
            o += 1;
        }
        if i != run_start {
            continue;
        }
        let Some(&lead) = bytes.get(i) else { break };
        // `bytes` is valid UTF-8: a lead byte is followed by its continuation bytes.
        let next = |k: usize| u16::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3f);
        let Some(unit) = dst.get_mut(o) else { break };
        match lead {
            0x00..=0x7f => {
                *unit = u16::from(lead);
                i += 1;
            }
            0x80..=0xdf => {
                *unit = (u16::from(lead & 0x1f) << 6) | next(1);
                i += 2;
            }
            0xe0..=0xef => {
                *unit = (u16::from(lead & 0x0f) << 12) | (next(1) << 6) | next(2);
                i += 3;
            }
            _ => {
                let code = (u32::from(lead & 0x07) << 18)
                    | (u32::from(next(1)) << 12)
                    | (u32::from(next(2)) << 6)
                    | u32::from(next(3));
                let v = code.wrapping_sub(0x1_0000);
                *unit = 0xd800 | (v >> 10) as u16 & 0x3ff;
                if let Some(low) = dst.get_mut(o + 1) {
                    *low = 0xdc00 | (v & 0x3ff) as u16;
                }
                i += 4;
                o += 1;
            }
        }
        o += 1;
    }
    o.min(dst.len())
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
    fn mixed_text_matches_encode_utf16() {
        // Runs of every width next to each other, at every alignment and at the very end.
        let pieces = [
            "a",
            "客",
            "服",
            "é",
            "😀",
            "\u{800}",
            "\u{ffff}",
            "0123456789",
            "\u{7f}",
        ];
        let mut state = 0x2545_f491u32;
        for len in 0..400 {
            let text: alloc::string::String = (0..len % 40)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    pieces[state as usize % pieces.len()]
                })
                .collect();
            let mut out = Vec::new();
            push_utf16(&mut out, &text);
            assert!(out.iter().copied().eq(text.encode_utf16()), "{text:?}");
        }
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
