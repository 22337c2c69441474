//! Shared helpers for the native tests: the known-answer vectors and a seeded generator.
#![allow(dead_code)]

use serde_json::Value;

pub fn vectors() -> Vec<Value> {
    let text = include_str!("../../vectors/wxbizmsgcrypt.json");
    let doc: Value = serde_json::from_str(text).expect("vectors parse");
    doc["vectors"].as_array().expect("vectors array").clone()
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{} lacks {key}", v["id"]))
}

pub fn random_of(v: &Value) -> Option<[u8; 16]> {
    if let Some(ascii) = v["random"].as_str() {
        return Some(ascii.as_bytes().try_into().expect("16 ascii bytes"));
    }
    let hex = v["randomHex"].as_str()?;
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    Some(out)
}

/// xorshift64*: deterministic test data, not a CSPRNG.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.next().to_le_bytes());
        out[8..].copy_from_slice(&self.next().to_le_bytes());
        out
    }
}
