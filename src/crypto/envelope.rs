//! Envelopes: the `Encrypt` value inside an inbound body (XML or JSON), and the encrypted reply
//! envelope (`Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`) in either format.

use alloc::borrow::Cow;
use alloc::string::String;

use crate::error::{Error, ErrorKind, Result};
use crate::json::{push_json_string, Read, Reader, Reading, StringOrOther};
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

/// The outside of an encrypted push: its `Encrypt` value, and whether plaintext fields sit
/// beside it (compatible mode). Those fields are never trusted: only the decryption is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub encrypt: Cow<'a, str>,
    /// Fields other than `ToUserName` and `Encrypt` are present (compatible mode).
    pub has_plain_fields: bool,
}

fn is_envelope_field(name: &str) -> bool {
    matches!(name, "ToUserName" | "Encrypt" | "encrypt")
}

/// Reads the `Encrypt` value from an XML or JSON body, with its format.
pub fn read_encrypt(body: &str) -> Result<(Cow<'_, str>, Format)> {
    let format = Format::detect(body)?;
    Ok((read_envelope(body, format)?.encrypt, format))
}

/// Reads the envelope of a body whose format is known. Exactly one `Encrypt` is required.
pub fn read_envelope(body: &str, format: Format) -> Result<Envelope<'_>> {
    match format {
        Format::Xml => read_envelope_xml(body),
        Format::Json => read_envelope_json(body),
    }
}

fn read_envelope_xml(body: &str) -> Result<Envelope<'_>> {
    let mut encrypt = None;
    let mut has_plain_fields = false;
    for field in xml::read_document(body)? {
        if field.name == "Encrypt" {
            if encrypt.is_some() {
                return Err(Error::new(
                    ErrorKind::ParseXml,
                    "the XML body has more than one Encrypt element",
                ));
            }
            match field.node {
                xml::Node::Text(text) => encrypt = Some(text),
                xml::Node::Element(_) => {
                    return Err(Error::new(
                        ErrorKind::ParseXml,
                        "the XML body's Encrypt element holds elements instead of text",
                    ))
                }
            }
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
            "the XML body has no Encrypt element: is the push really encrypted \
             (encrypt_type=aes)?",
        )),
    }
}

fn read_envelope_json(body: &str) -> Result<Envelope<'_>> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut de = serde_json::Deserializer::from_str(body);
    let read = serde::Deserializer::deserialize_any(
        &mut de,
        Reader(Reading::Envelope("the body is not a JSON object", |name| {
            !is_envelope_field(name)
        })),
    )
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| {
        Error::with_message(
            ErrorKind::ParseJson,
            alloc::format!("the JSON body cannot be parsed ({e})"),
        )
    })?;
    // Read by hand rather than derived: derived type errors link float formatting (about 14 KB
    // of wasm) for one error message, and a derive cannot refuse `Encrypt` next to `encrypt`.
    let Read::Envelope {
        encrypt,
        has_plain_fields,
    } = read
    else {
        // Never reached: that reading gives an envelope or an error.
        return Err(Error::new(
            ErrorKind::ParseJson,
            "the body is not a JSON object",
        ));
    };
    match encrypt {
        Some(StringOrOther::String(text)) => Ok(Envelope {
            encrypt: Cow::Owned(text),
            has_plain_fields,
        }),
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

    /// `{"Encrypt","MsgSignature","Nonce","TimeStamp"}` (in that order); TimeStamp is a number
    /// when it is one in canonical form.
    pub fn to_json(&self) -> Result<String> {
        let mut out = String::with_capacity(self.encrypt.len() + 128);
        out.push_str("{\"Encrypt\":");
        push_json_string(&mut out, self.encrypt);
        out.push_str(",\"MsgSignature\":");
        push_json_string(&mut out, self.msg_signature);
        out.push_str(",\"Nonce\":");
        push_json_string(&mut out, self.nonce);
        out.push_str(",\"TimeStamp\":");
        match self.timestamp.parse::<u64>() {
            Ok(n) if n.to_string() == self.timestamp => out.push_str(self.timestamp),
            _ => push_json_string(&mut out, self.timestamp),
        }
        out.push('}');
        Ok(out)
    }

    pub fn to_format(&self, format: Format) -> Result<String> {
        match format {
            Format::Xml => Ok(self.to_xml()),
            Format::Json => self.to_json(),
        }
    }
}
