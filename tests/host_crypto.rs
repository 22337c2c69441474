//! The host-crypto capability: large inputs go to the host, small ones stay in the core, a
//! failing host falls back, and the results are identical either way (vectors included).

mod common;

use std::cell::Cell;
use std::rc::Rc;

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use common::{random_of, s, vectors, Rng};
use sha1::{Digest, Sha1};
use wechat_kf::crypto::HostCrypto;
use wechat_kf::WxBizMsgCrypt;

/// A stand-in host: computes with the same RustCrypto crates, counts calls, can refuse; its
/// thresholds are 1024 bytes for both by default.
struct CountingHost {
    aes_calls: Cell<usize>,
    sha_calls: Cell<usize>,
    refuse: bool,
    min_len: usize,
    min_sha1_len: usize,
}

impl Default for CountingHost {
    fn default() -> Self {
        Self::with_thresholds(1024, 1024)
    }
}

impl CountingHost {
    fn with_thresholds(min_len: usize, min_sha1_len: usize) -> Self {
        CountingHost {
            aes_calls: Cell::new(0),
            sha_calls: Cell::new(0),
            refuse: false,
            min_len,
            min_sha1_len,
        }
    }
}

impl HostCrypto for CountingHost {
    fn aes256_cbc_decrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.aes_calls.set(self.aes_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into()).decrypt_blocks(blocks);
        true
    }
    fn aes256_cbc_encrypt(&self, key: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) -> bool {
        self.aes_calls.set(self.aes_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let (blocks, _) = aes::Block::slice_as_chunks_mut(data);
        cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into()).encrypt_blocks(blocks);
        true
    }
    fn sha1(&self, parts: &[&[u8]], out: &mut [u8; 20]) -> bool {
        self.sha_calls.set(self.sha_calls.get() + 1);
        if self.refuse {
            return false;
        }
        let mut h = Sha1::new();
        for p in parts {
            h.update(p);
        }
        out.copy_from_slice(&h.finalize());
        true
    }
    fn min_len(&self) -> usize {
        self.min_len
    }
    fn min_sha1_len(&self) -> usize {
        self.min_sha1_len
    }
}

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

#[test]
fn large_inputs_use_the_host_small_ones_do_not() {
    let host = Rc::new(CountingHost::default());
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    let small = crypt.encrypt("hi", &[1; 16]).unwrap();
    crypt.decrypt(&small).unwrap();
    crypt.msg_signature("1", "2", &small);
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (0, 0));
    let big_text = "客".repeat(2000);
    let big = crypt.encrypt(&big_text, &[1; 16]).unwrap();
    assert_eq!(crypt.decrypt(&big).unwrap().plaintext, big_text);
    let sig = crypt.msg_signature("1", "2", &big);
    crypt.verify_signature(&sig, "1", "2", Some(&big)).unwrap();
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (2, 2));
}

#[test]
fn host_and_core_agree_and_refusal_falls_back() {
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let hosted = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(Rc::new(CountingHost::default()));
    let refusing = Rc::new(CountingHost {
        refuse: true,
        ..Default::default()
    });
    let fallback = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(refusing.clone());
    let mut rng = Rng(7);
    for len in [0usize, 1000, 1024, 1100, 5000, 70_000] {
        let text: String = (0..len)
            .map(|_| char::from(b'a' + (rng.below(26) as u8)))
            .collect();
        let random = rng.bytes16();
        let a = plain.encrypt(&text, &random).unwrap();
        assert_eq!(hosted.encrypt(&text, &random).unwrap(), a, "len {len}");
        assert_eq!(fallback.encrypt(&text, &random).unwrap(), a, "len {len}");
        assert_eq!(hosted.decrypt(&a).unwrap().plaintext, text);
        assert_eq!(fallback.decrypt(&a).unwrap().plaintext, text);
        assert_eq!(
            hosted.msg_signature("1", "2", &a),
            plain.msg_signature("1", "2", &a)
        );
        assert_eq!(
            fallback.msg_signature("1", "2", &a),
            plain.msg_signature("1", "2", &a)
        );
    }
    assert!(
        refusing.aes_calls.get() > 0,
        "the refusing host was asked, then bypassed"
    );
}

#[test]
fn vectors_through_a_host_with_no_minimum() {
    for v in vectors().iter().filter(|v| v["kind"] == "crypt") {
        let token = v["token"].as_str().unwrap_or("token");
        let crypt = WxBizMsgCrypt::new(token, s(v, "encodingAESKey"), s(v, "appId"))
            .unwrap()
            .with_host(Rc::new(CountingHost::with_thresholds(0, 0)));
        assert_eq!(
            crypt.decrypt(s(v, "encrypt")).unwrap().plaintext,
            s(v, "plaintext")
        );
        assert_eq!(
            crypt
                .encrypt(s(v, "plaintext"), &random_of(v).unwrap())
                .unwrap(),
            s(v, "encrypt")
        );
        if let Some(sig) = v["msgSignature"].as_str() {
            assert_eq!(
                crypt.msg_signature(s(v, "timestamp"), s(v, "nonce"), s(v, "encrypt")),
                sig
            );
        }
    }
}

#[test]
fn sha1_has_its_own_threshold() {
    let host = Rc::new(CountingHost::with_thresholds(512, 4096));
    let plain = WxBizMsgCrypt::new("t", KEY, "wxapp").unwrap();
    let crypt = WxBizMsgCrypt::new("t", KEY, "wxapp")
        .unwrap()
        .with_host(host.clone());
    // 1000 bytes: AES on the host, SHA-1 (about 1.4 KB of input) in the core.
    let mid = crypt.encrypt(&"a".repeat(1000), &[1; 16]).unwrap();
    assert_eq!(
        crypt.msg_signature("1", "2", &mid),
        plain.msg_signature("1", "2", &mid)
    );
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (1, 0));
    // 4000 bytes: about 5.4 KB of signed input, so SHA-1 on the host too.
    let big = crypt.encrypt(&"a".repeat(4000), &[1; 16]).unwrap();
    assert_eq!(
        crypt.msg_signature("1", "2", &big),
        plain.msg_signature("1", "2", &big)
    );
    assert_eq!((host.aes_calls.get(), host.sha_calls.get()), (2, 1));
}
