//! The XML reader against an independent model (tests/xml_model): documents generated from
//! pseudo-random bytes, each read back to exactly the tree the generator wrote, or refused
//! when the generator injected a defect. The fuzz target fuzz/fuzz_targets/xml_diff.rs runs
//! the same comparison on fuzzer-chosen bytes.

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
