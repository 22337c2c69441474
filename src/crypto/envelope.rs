//! Envelopes: the `Encrypt` value inside an inbound body (XML or JSON), and the encrypted reply
//! envelope (`Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`) in either format.

use alloc::borrow::Cow;
use alloc::string::String;
use serde::Deserialize;

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

#[derive(Deserialize)]
struct JsonEnvelope<'a> {
    #[serde(rename = "Encrypt", alias = "encrypt", borrow, default)]
    encrypt: Option<Cow<'a, str>>,
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
    let envelope: JsonEnvelope<'_> = serde_json::from_str(body).map_err(|e| {
        Error::with_message(
            ErrorKind::ParseJson,
            alloc::format!("the JSON body cannot be parsed ({e})"),
        )
    })?;
    envelope.encrypt.ok_or(Error::new(
        ErrorKind::ParseJson,
        "the JSON body has no Encrypt field: is the push really encrypted (encrypt_type=aes)?",
    ))
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
