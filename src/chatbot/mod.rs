//! Dialogue open platform (chatbot.weixin.qq.com): the sendmsg payload (XML, encrypted with the
//! bot's TOKEN, EncodingAESKey and APPID into `{"encrypt": <ciphertext>}`), the rich `msg`
//! forms, and the decryption of the platform's callbacks (`{"encrypted": ...}`).
//! Source: docs/protocol.md#dialogue-platform.

mod crypt;
mod msg;
mod payload;

pub use crypt::ChatbotCrypt;
pub use msg::{build_msg, MSG_KINDS};
pub use payload::{parse_payload_xml, Channel, Event, Payload, CHANNELS, EVENTS};
