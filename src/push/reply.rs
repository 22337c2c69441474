//! Passive replies: `transfer_customer_service` in the push's format, To/From swapped,
//! encrypted into the signed envelope when the push was encrypted. The builders escape
//! everything (CDATA split around `]]>`, JSON strings escaped), whatever the content.

use alloc::string::String;

use crate::crypto::{Format, ReplyParams, WxBizMsgCrypt};
use crate::error::{Error, ErrorKind, Result};
use crate::message::push_json_string;
use crate::xml::{push_element, push_text_element};

/// Where a reply goes and how it is wrapped, taken from the push it answers.
#[derive(Debug, Clone, Copy)]
pub struct ReplyTarget<'a> {
    /// The user's openid (the push's FromUserName).
    pub to_user_name: &'a str,
    /// The account (the push's ToUserName).
    pub from_user_name: &'a str,
    pub format: Format,
    pub encrypted: bool,
    /// Events are never transferred to the customer-service tools.
    pub is_event: bool,
}

/// The plaintext `transfer_customer_service` message.
pub fn transfer_plaintext(target: &ReplyTarget<'_>, create_time: &str) -> Result<String> {
    let digits = !create_time.is_empty() && create_time.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return Err(Error::new(
            ErrorKind::GenReturnXml,
            "the reply's CreateTime must be a whole number of seconds",
        ));
    }
    let mut out = String::with_capacity(192 + target.to_user_name.len());
    match target.format {
        Format::Xml => {
            out.push_str("<xml>");
            push_element(&mut out, "ToUserName", target.to_user_name);
            push_element(&mut out, "FromUserName", target.from_user_name);
            push_text_element(&mut out, "CreateTime", create_time);
            push_element(&mut out, "MsgType", "transfer_customer_service");
            out.push_str("</xml>");
        }
        Format::Json => {
            out.push_str("{\"ToUserName\":");
            push_json_string(&mut out, target.to_user_name);
            out.push_str(",\"FromUserName\":");
            push_json_string(&mut out, target.from_user_name);
            out.push_str(",\"CreateTime\":");
            out.push_str(create_time.trim_start_matches('0'));
            if create_time.bytes().all(|b| b == b'0') {
                out.push('0');
            }
            out.push_str(",\"MsgType\":\"transfer_customer_service\"}");
        }
    }
    Ok(out)
}

/// The reply body for `transfer_customer_service`: plaintext, or the encrypted envelope with
/// the given timestamp (also the CreateTime), nonce and random bytes.
pub fn transfer_reply(
    crypt: &WxBizMsgCrypt,
    target: &ReplyTarget<'_>,
    timestamp: &str,
    nonce: &str,
    random: &[u8; 16],
) -> Result<String> {
    if target.is_event {
        return Err(Error::new(
            ErrorKind::GenReturnXml,
            "only user messages can be transferred to customer service, not events",
        ));
    }
    let plaintext = transfer_plaintext(target, timestamp)?;
    if !target.encrypted {
        return Ok(plaintext);
    }
    crypt.encrypt_message(
        &plaintext,
        &ReplyParams {
            timestamp,
            nonce,
            random,
            format: target.format,
        },
    )
}
