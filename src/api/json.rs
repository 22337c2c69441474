//! A tiny JSON writer for the bodies this crate builds: objects of strings, integers, booleans
//! and nested JSON. Hand-written rather than serde-derived: one small non-generic function per
//! value type instead of a serializer instantiated per body (a large share of the wasm).
//! Escaping matches serde_json's: `"`, `\` and control characters; everything else verbatim.

use alloc::string::String;

/// Appends `s` as a JSON string literal.
pub fn push_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends an unsigned integer.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Appends a signed integer.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// An object being written: `Obj::new().str("a", "x").u64("n", 1).finish()`.
pub struct Obj {
    out: String,
    empty: bool,
}

impl Default for Obj {
    fn default() -> Self {
        Obj::new()
    }
}

impl Obj {
    pub fn new() -> Obj {
        let mut out = String::with_capacity(64);
        out.push('{');
        Obj { out, empty: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_string(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    pub fn str(mut self, key: &str, value: &str) -> Obj {
        push_string(self.key(key), value);
        self
    }

    pub fn u64(mut self, key: &str, value: u64) -> Obj {
        push_u64(self.key(key), value);
        self
    }

    pub fn i64(mut self, key: &str, value: i64) -> Obj {
        push_i64(self.key(key), value);
        self
    }

    pub fn bool(mut self, key: &str, value: bool) -> Obj {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is already JSON text (a nested object or array).
    pub fn raw(mut self, key: &str, json: &str) -> Obj {
        self.key(key).push_str(json);
        self
    }

    pub fn opt_str(self, key: &str, value: Option<&str>) -> Obj {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// A string member, left out when empty.
    pub fn non_empty(self, key: &str, value: &str) -> Obj {
        if value.is_empty() {
            self
        } else {
            self.str(key, value)
        }
    }

    pub fn opt_u64(self, key: &str, value: Option<u64>) -> Obj {
        match value {
            Some(v) => self.u64(key, v),
            None => self,
        }
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// A JSON array from already-JSON items.
pub fn array<I: IntoIterator<Item = String>>(items: I) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item);
    }
    out.push(']');
    out
}

/// A JSON string literal as a String.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_string(&mut out, s);
    out
}
