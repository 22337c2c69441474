//! Input checks shared by the request builders and the dialogue platform builders. Every
//! failure names its field: `MissingField` (-42001) or `InvalidField` (-42002).

use alloc::borrow::Cow;
use alloc::string::String;
use serde_json::Value;

use crate::error::{Details, Error, ErrorKind, Result};

/// An error about one input field: "`field` `what`".
pub fn field_error(kind: ErrorKind, field: &'static str, what: &str) -> Error {
    let mut message = String::with_capacity(field.len() + what.len() + 1);
    message.push_str(field);
    message.push(' ');
    message.push_str(what);
    Error::with_message(kind, message).with_details(Details {
        field: Some(Cow::Borrowed(field)),
        ..Details::default()
    })
}

pub fn missing(field: &'static str) -> Error {
    field_error(
        ErrorKind::MissingField,
        field,
        "is required and must not be empty",
    )
}

pub fn invalid(field: &'static str, what: &str) -> Error {
    field_error(ErrorKind::InvalidField, field, what)
}

/// A required non-empty string.
pub fn required<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str> {
    match value.as_deref() {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(missing(field)),
    }
}

/// A required non-empty string without control characters (ids, openids, media ids).
pub fn required_id<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str> {
    let v = required(value, field)?;
    if v.chars().any(|c| c.is_control() || c == ' ') {
        return Err(invalid(
            field,
            "must not contain spaces or control characters",
        ));
    }
    Ok(v)
}

/// A required well-formed http(s) URL.
pub fn required_url<'a>(value: &'a Option<String>, field: &'static str) -> Result<&'a str> {
    let v = required(value, field)?;
    check_url(v, field)?;
    Ok(v)
}

/// `http://` or `https://`, a non-empty host, and no whitespace, control characters, quotes
/// or angle brackets anywhere.
pub fn check_url(v: &str, field: &'static str) -> Result<()> {
    const WHAT: &str = "must be a well-formed http:// or https:// URL";
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| invalid(field, WHAT))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = match host.rfind(':') {
        Some(i) if !host[i + 1..].contains(']') => {
            if !host[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(field, WHAT));
            }
            &host[..i]
        }
        _ => host,
    };
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\');
    if host.is_empty() || host.starts_with('.') || v.chars().any(bad) {
        return Err(invalid(field, WHAT));
    }
    Ok(())
}

/// Counts a nickname's length the platform's way: a CJK character counts 2, an ASCII letter or
/// digit 1; anything else is refused (None).
pub fn nickname_len(s: &str) -> Option<usize> {
    let mut n = 0usize;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            n += 1;
        } else if is_cjk(c) {
            n += 2;
        } else {
            return None;
        }
    }
    Some(n)
}

/// CJK unified ideographs (basic, extensions A-F) and compatibility ideographs.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}')
}

/// A nickname of 4-30 (CJK counted as 2) made of CJK characters, ASCII letters and digits.
pub fn check_nickname(s: &str, field: &'static str) -> Result<()> {
    match nickname_len(s) {
        Some(n) if (4..=30).contains(&n) => Ok(()),
        Some(_) => Err(invalid(
            field,
            "must be 4-30 characters long, a Chinese character counting as 2",
        )),
        None => Err(invalid(
            field,
            "may contain only Chinese characters, English letters and digits",
        )),
    }
}

/// An account_name: 6-30 ASCII letters, digits or underscores.
pub fn check_account_name(s: &str, field: &'static str) -> Result<()> {
    if !(6..=30).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(invalid(
            field,
            "must be 6-30 characters of English letters, digits or underscores",
        ));
    }
    Ok(())
}

/// A parsed input object. Read with the typed getters; unknown fields were refused at parse.
///
/// Hand-written on `serde_json::Value` rather than derived: derived type errors link float
/// formatting into the wasm (about 14 KB) for one error message.
#[derive(Debug)]
pub struct Input(serde_json::Map<String, Value>);

/// Parses builder input (`null` or an empty string count as `{}`), refusing fields not in
/// `allowed` (a typo would otherwise be silently dropped).
pub fn parse_input(json: &str, allowed: &[&'static str]) -> Result<Input> {
    let trimmed = json.trim();
    if trimmed.is_empty() || trimmed == "null" {
        return Ok(Input(serde_json::Map::new()));
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(map)) => Input::checked(map, allowed),
        Ok(_) => Err(Error::new(
            ErrorKind::InvalidInput,
            "invalid input: expected an object",
        )),
        Err(_) => Err(Error::new(
            ErrorKind::InvalidInput,
            "invalid input: not valid JSON",
        )),
    }
}

impl Input {
    pub fn checked(map: serde_json::Map<String, Value>, allowed: &[&'static str]) -> Result<Input> {
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            let mut message = String::from("unknown field ");
            message.push_str(key);
            if let Some(right) = near_miss(key, allowed) {
                message.push_str(": did you mean ");
                message.push_str(right);
                message.push_str("? Fields are spelled exactly as documented");
            }
            message.push_str(": expected one of ");
            for (i, name) in allowed.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push_str(name);
            }
            return Err(
                Error::with_message(ErrorKind::InvalidField, message).with_details(Details {
                    field: Some(Cow::Owned(key.clone())),
                    ..Details::default()
                }),
            );
        }
        Ok(Input(map))
    }

    /// The value under the first of `names` present (`null` counts as absent).
    fn get(&self, names: &[&'static str]) -> Option<&Value> {
        names
            .iter()
            .find_map(|n| self.0.get(*n))
            .filter(|v| !v.is_null())
    }

    /// The raw value of a field (`null` counts as absent).
    pub fn raw(&self, name: &'static str) -> Option<&Value> {
        self.get(&[name])
    }

    /// An optional string (field named by `names[0]` in errors).
    pub fn str(&self, names: &[&'static str]) -> Result<Option<String>> {
        match self.get(names) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(names[0], "must be a string")),
        }
    }

    pub fn bool(&self, names: &[&'static str]) -> Result<Option<bool>> {
        match self.get(names) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(invalid(names[0], "must be true or false")),
        }
    }

    /// A non-negative integer (up to 2^53 - 1) given as a number or a string of digits.
    pub fn id(&self, names: &[&'static str]) -> Result<Option<u64>> {
        const WHAT: &str = "must be a non-negative integer (or a string of digits)";
        let n = match self.get(names) {
            None => return Ok(None),
            Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
                (Some(v), _) => v,
                (None, Some(f)) if f >= 0.0 && f <= MAX_SAFE as f64 && f.fract() == 0.0 => f as u64,
                _ => return Err(invalid(names[0], WHAT)),
            },
            Some(Value::String(s))
                if !s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_digit()) =>
            {
                s.parse::<u64>().map_err(|_| invalid(names[0], WHAT))?
            }
            Some(_) => return Err(invalid(names[0], WHAT)),
        };
        if n > MAX_SAFE {
            return Err(invalid(names[0], WHAT));
        }
        Ok(Some(n))
    }

    /// An optional array of values.
    pub fn array(&self, names: &[&'static str]) -> Result<Option<&[Value]>> {
        match self.get(names) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a.as_slice())),
            Some(_) => Err(invalid(names[0], "must be an array")),
        }
    }
}

/// The documented name `key` is a near miss of: the same letters once case, `_` and `-` are
/// ignored (`pagepath`, `page_path` and `PagePath` for `pagePath`; `media_id` for `mediaId`).
pub fn near_miss(key: &str, allowed: &[&'static str]) -> Option<&'static str> {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = letters(key);
    allowed.iter().copied().find(|name| letters(name) == wanted)
}

/// An array element as an input object.
pub fn element(value: &Value, field: &'static str, allowed: &[&'static str]) -> Result<Input> {
    match value {
        Value::Object(map) => Input::checked(map.clone(), allowed),
        _ => Err(invalid(field, "must hold objects")),
    }
}

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: u64 = (1 << 53) - 1;
