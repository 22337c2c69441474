//! The XML reader against an independent model (tests/xml_model): documents generated from
//! pseudo-random bytes, each read back to exactly the tree the generator wrote, or refused
//! when the generator injected a defect. The fuzz target fuzz/fuzz_targets/xml_diff.rs runs
//! the same comparison on fuzzer-chosen bytes.

mod common;
mod xml_model;

use wechat_kf::xml::read_document;
use xml_model::{from_reader, generate};

#[test]
fn reader_agrees_with_the_model() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut valid, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let doc = generate(&bytes);
        let got = read_document(&doc.text);
        match (&doc.expect, got) {
            (Some(want), Ok(children)) => {
                assert_eq!(&from_reader(&children), want, "{:?}", doc.text);
                valid += 1;
            }
            (None, Err(e)) => {
                assert_eq!(e.code(), -40002, "{:?}", doc.text);
                refused += 1;
            }
            (Some(_), Err(e)) => panic!("refused a well-formed document ({e}): {:?}", doc.text),
            (None, Ok(_)) => panic!("accepted a defective document: {:?}", doc.text),
        }
    }
    // Both sides of the model are exercised.
    assert!(
        valid > 10_000 && refused > 2_000,
        "{valid} valid, {refused} refused"
    );
}

/// The reader of bytes not yet checked as UTF-8 (`read_document_bytes`, for decrypted
/// messages) relies on quick-xml checking every piece it reads: the same documents with bytes
/// that are not UTF-8 put anywhere in them (inside text, CDATA, tags, attribute values,
/// comments, declarations, references, after the root) are never accepted and always get the
/// caller's error, whatever else is wrong with them; without such bytes it reads exactly what
/// `read_document` reads.
#[test]
fn bytes_reader_checks_utf8_everywhere_it_reads() {
    use wechat_kf::xml::read_document_bytes;
    use wechat_kf::{Error, ErrorKind};
    const NOT_UTF8: Error = Error::new(ErrorKind::IllegalBuffer, "not UTF-8 (test)");
    // A lone continuation byte, a byte never in UTF-8, a truncated 3-byte sequence, an overlong
    // '<', a surrogate, a code point past U+10FFFF, a 4-byte sequence cut short by ASCII.
    const BAD: [&[u8]; 7] = [
        b"\x80",
        b"\xff",
        b"\xe5\xae",
        b"\xc0\xbc",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xf0\x9f\x98a",
    ];
    let mut rng = common::Rng(0x9e37_79b9_7f4a_7c15);
    let mut rejected_inside_markup = 0;
    for _ in 0..20_000 {
        let len = rng.below(300) as usize;
        let seed: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let doc = generate(&seed);
        let text = doc.text.as_bytes();
        // Unchanged: the same answer as the &str reader.
        match (
            read_document(&doc.text),
            read_document_bytes(text, NOT_UTF8),
        ) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{:?}", doc.text),
            (Err(a), Err(b)) => assert_eq!(a, b, "{:?}", doc.text),
            (a, b) => panic!("{:?}: str {a:?}, bytes {b:?}", doc.text),
        }
        // With a bad sequence at a char boundary (or anywhere: splitting a char is bad too).
        let at = rng.below(text.len() as u64 + 1) as usize;
        let bad = BAD[rng.below(BAD.len() as u64) as usize];
        let mut bytes = text[..at].to_vec();
        bytes.extend_from_slice(bad);
        bytes.extend_from_slice(&text[at..]);
        assert!(core::str::from_utf8(&bytes).is_err());
        let err = read_document_bytes(&bytes, NOT_UTF8)
            .expect_err(&format!("accepted bytes that are not UTF-8: {bytes:?}"));
        assert_eq!(err, NOT_UTF8, "{bytes:?}");
        let before = &text[..at];
        if before.iter().rposition(|&b| b == b'<') > before.iter().rposition(|&b| b == b'>') {
            rejected_inside_markup += 1;
        }
    }
    assert!(rejected_inside_markup > 1_000, "{rejected_inside_markup}");
}
