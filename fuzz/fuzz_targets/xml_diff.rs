//! Differential: the XML reader against the independent model of tests/xml_model (a
//! generator that records the tree it writes, or that the document must be refused); and the
//! reader of unchecked bytes (`read_document_bytes`, UTF-8 checked as it reads) against
//! checking first and reading the `&str`, on the fuzzer's bytes as they are.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/xml_model/mod.rs"]
mod xml_model;

const NOT_UTF8: wechat_kf::Error =
    wechat_kf::Error::new(wechat_kf::ErrorKind::IllegalBuffer, "not UTF-8");

fuzz_target!(|data: &[u8]| {
    let checked_first = match core::str::from_utf8(data) {
        Ok(text) => wechat_kf::xml::read_document(text),
        Err(_) => Err(NOT_UTF8),
    };
    assert_eq!(wechat_kf::xml::read_document_bytes(data, NOT_UTF8), checked_first, "{data:?}");
    let doc = xml_model::generate(data);
    match (&doc.expect, wechat_kf::xml::read_document(&doc.text)) {
        (Some(want), Ok(children)) => {
            assert_eq!(&xml_model::from_reader(&children), want, "{:?}", doc.text)
        }
        (None, Err(e)) => assert_eq!(e.code(), -40002, "{:?}", doc.text),
        (Some(_), Err(e)) => panic!("refused a well-formed document ({e}): {:?}", doc.text),
        (None, Ok(_)) => panic!("accepted a defective document: {:?}", doc.text),
    }
});
