//! Differential: the XML reader against the independent model of tests/xml_model (a
//! generator that records the tree it writes, or that the document must be refused).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/xml_model/mod.rs"]
mod xml_model;

fuzz_target!(|data: &[u8]| {
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
