//! Envelopes: the `Encrypt` value inside an inbound body (XML or JSON), and the encrypted reply
//! envelope (`Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`) in either format.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::error::{Error, ErrorKind, Result};
use crate::xml;

/// The two body formats the platform can be configured to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Guesses the format from the first non-whitespace character: `<` XML, `{` JSON.
    pub fn detect(body: &str) -> Result<Format> {
        match body.trim_start().as_bytes().first() {
            Some(b'<') => Ok(Format::Xml),
            Some(b'{') => Ok(Format::Json),
            Some(_) => Err(Error::new(
                ErrorKind::ParseXml,
                "the body is neither XML (starting with '<') nor JSON (starting with '{')",
            )),
            None => Err(Error::new(
                ErrorKind::ParseXml,
                "the body is empty: expected an XML or JSON envelope with Encrypt",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

/// Reads the `Encrypt` value from an XML or JSON body, with its format.
pub fn read_encrypt(body: &str) -> Result<(Cow<'_, str>, Format)> {
    let format = Format::detect(body)?;
    let encrypt = match format {
        Format::Xml => read_encrypt_xml(body)?,
        Format::Json => read_encrypt_json(body)?,
    };
    Ok((encrypt, format))
}

fn read_encrypt_xml(body: &str) -> Result<Cow<'_, str>> {
    let mut found = None;
    for field in xml::read_fields(body)? {
        if field.name == "Encrypt" {
            if found.is_some() {
                return Err(Error::new(
                    ErrorKind::ParseXml,
                    "the XML body has more than one Encrypt element",
                ));
            }
            found = Some(field.value);
        }
    }
    found.ok_or(Error::new(
        ErrorKind::ParseXml,
        "the XML body has no Encrypt element: is the push really encrypted (encrypt_type=aes)?",
    ))
}

fn read_encrypt_json(body: &str) -> Result<Cow<'_, str>> {
    let envelope: JsonEnvelope = serde_json::from_str(body).map_err(|e| {
        Error::with_message(
            ErrorKind::ParseJson,
            alloc::format!("the JSON body cannot be parsed ({e})"),
        )
    })?;
    match envelope.encrypt {
        Some(serde_json::Value::String(text)) => Ok(Cow::Owned(text)),
        Some(_) => Err(Error::new(
            ErrorKind::ParseJson,
            "the JSON body's Encrypt field is not a string",
        )),
        None => Err(Error::new(
            ErrorKind::ParseJson,
            "the JSON body has no Encrypt field: is the push really encrypted \
             (encrypt_type=aes)?",
        )),
    }
}

/// The `Encrypt` (or WeCom's `encrypt`) member of a JSON object; a second one is an error.
///
/// Hand-written rather than derived: derived type errors link float formatting (about 14 KB
/// of wasm) for one error message, and a derive cannot refuse `Encrypt` next to `encrypt`.
struct JsonEnvelope {
    encrypt: Option<serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for JsonEnvelope {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        deserializer.deserialize_any(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> serde::de::Visitor<'de> for EnvelopeVisitor {
    type Value = JsonEnvelope;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON object with an Encrypt field")
    }

    // Every non-object value gets the same custom error: serde's default type errors would link
    // float formatting.
    fn visit_unit<E: serde::de::Error>(self) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> core::result::Result<JsonEnvelope, E> {
        Err(not_an_object())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        _: A,
    ) -> core::result::Result<JsonEnvelope, A::Error> {
        Err(not_an_object())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<JsonEnvelope, A::Error> {
        let mut encrypt = None;
        while let Some(EncryptKey(is_encrypt)) = map.next_key::<EncryptKey>()? {
            if is_encrypt {
                if encrypt.is_some() {
                    return Err(serde::de::Error::custom("more than one Encrypt field"));
                }
                encrypt = Some(map.next_value::<serde_json::Value>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(JsonEnvelope { encrypt })
    }
}

fn not_an_object<E: serde::de::Error>() -> E {
    E::custom("the body is not a JSON object")
}

/// A JSON object key, reduced to whether it names the Encrypt field. Read with
/// `deserialize_any` so no type-error path (and its float formatting) is linked.
struct EncryptKey(bool);

impl<'de> serde::Deserialize<'de> for EncryptKey {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        deserializer.deserialize_any(EncryptKeyVisitor)
    }
}

struct EncryptKeyVisitor;

impl serde::de::Visitor<'_> for EncryptKeyVisitor {
    type Value = EncryptKey;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> core::result::Result<EncryptKey, E> {
        Ok(EncryptKey(key == "Encrypt" || key == "encrypt"))
    }
}

/// The fields of an encrypted reply envelope.
#[derive(Debug, Clone, Copy)]
pub struct ReplyEnvelope<'a> {
    pub encrypt: &'a str,
    pub msg_signature: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

impl ReplyEnvelope<'_> {
    /// `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(self.encrypt.len() + 160);
        out.push_str("<xml>\n");
        xml::push_element(&mut out, "Encrypt", self.encrypt);
        out.push('\n');
        xml::push_element(&mut out, "MsgSignature", self.msg_signature);
        out.push('\n');
        xml::push_text_element(&mut out, "TimeStamp", self.timestamp);
        out.push('\n');
        xml::push_element(&mut out, "Nonce", self.nonce);
        out.push_str("\n</xml>");
        out
    }

    /// `{"Encrypt","MsgSignature","TimeStamp","Nonce"}`; TimeStamp is a number when it is one.
    pub fn to_json(&self) -> Result<String> {
        let timestamp = match self.timestamp.parse::<u64>() {
            Ok(n) if n.to_string() == self.timestamp => serde_json::Value::from(n),
            _ => serde_json::Value::from(self.timestamp),
        };
        let value = serde_json::json!({
            "Encrypt": self.encrypt,
            "MsgSignature": self.msg_signature,
            "TimeStamp": timestamp,
            "Nonce": self.nonce,
        });
        serde_json::to_string(&value)
            .map_err(|_| Error::new(ErrorKind::GenReturnXml, "the JSON reply cannot be written"))
    }

    pub fn to_format(&self, format: Format) -> Result<String> {
        match format {
            Format::Xml => Ok(self.to_xml()),
            Format::Json => self.to_json(),
        }
    }
}
