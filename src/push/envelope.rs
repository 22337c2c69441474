//! The envelope of an encrypted push: its `Encrypt` value, and whether plaintext fields sit
//! beside it (compatible mode). Those fields are never read: only the decryption is trusted.

use alloc::string::String;
use core::fmt;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub encrypt: String,
    /// Fields other than `ToUserName` and `Encrypt` are present (compatible mode).
    pub has_plain_fields: bool,
}

fn is_envelope_field(name: &str) -> bool {
    matches!(name, "ToUserName" | "Encrypt" | "encrypt")
}

pub fn read_envelope(body: &str, format: Format) -> Result<Envelope> {
    match format {
        Format::Xml => read_xml(body),
        Format::Json => read_json(body),
    }
}

fn read_xml(body: &str) -> Result<Envelope> {
    let mut encrypt = None;
    let mut has_plain_fields = false;
    for field in crate::xml::read_fields(body)? {
        if field.name == "Encrypt" {
            if encrypt.is_some() {
                return Err(Error::new(
                    ErrorKind::ParseXml,
                    "the XML body has more than one Encrypt element",
                ));
            }
            encrypt = Some(field.value.into_owned());
        } else if !is_envelope_field(&field.name) {
            has_plain_fields = true;
        }
    }
    match encrypt {
        Some(encrypt) => Ok(Envelope {
            encrypt,
            has_plain_fields,
        }),
        None => Err(Error::new(
            ErrorKind::ParseXml,
            "the XML body has no Encrypt element although the query says encrypt_type=aes",
        )),
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = (Option<String>, bool, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let mut encrypt: Option<String> = None;
        let mut duplicate = false;
        let mut has_plain_fields = false;
        while let Some(key) = map.next_key::<alloc::borrow::Cow<'de, str>>()? {
            if key == "Encrypt" || key == "encrypt" {
                let value: String = map.next_value()?;
                duplicate |= encrypt.is_some();
                encrypt = Some(value);
            } else {
                has_plain_fields |= !is_envelope_field(&key);
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((encrypt, duplicate, has_plain_fields))
    }
}

fn read_json(body: &str) -> Result<Envelope> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut de = serde_json::Deserializer::from_str(body);
    let parsed = de
        .deserialize_map(EnvelopeVisitor)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| {
            Error::with_message(
                ErrorKind::ParseJson,
                alloc::format!("the JSON body cannot be parsed ({e})"),
            )
        })?;
    match parsed {
        (_, true, _) => Err(Error::new(
            ErrorKind::ParseJson,
            "the JSON body has more than one Encrypt field",
        )),
        (Some(encrypt), false, has_plain_fields) => Ok(Envelope {
            encrypt,
            has_plain_fields,
        }),
        (None, _, _) => Err(Error::new(
            ErrorKind::ParseJson,
            "the JSON body has no Encrypt field although the query says encrypt_type=aes",
        )),
    }
}
