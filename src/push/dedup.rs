//! The dedup key of a push (docs/protocol.md#dedup): `msg:<ToUserName>:<MsgId>` for messages
//! (`MsgID` when a message spells it so: `Message::msg_id`); for events (no MsgId)
//! `event:<ToUserName>:<FromUserName>:<CreateTime>:<Event>`, and for a push of another type
//! without an id the same with its `MsgType` in place of `Event` (whether it has an `Event` or not).
//!
//! Stores hold the key (and keep it across deploys), so its size is bounded whatever the push
//! holds: a part longer than [`MAX_KEY_PART_BYTES`] is replaced by `#` and the lowercase hex
//! SHA-1 of its bytes (41 bytes). So is a part that starts with `#` or holds `:`, so that no
//! two different pushes share a key through a part that looks hashed or that moves a
//! separator. The platform's parts (a `gh_` id, an openid, the digits of a 64-bit id, an
//! event name) are far shorter and hold neither: the keys of its pushes are as they always
//! were.

use alloc::string::String;

use crate::crypto::{hex_str, sorted_sha1_hex};
use crate::message::{push_u64, Message};

/// The longest part of a key kept as it is (an openid is 28 bytes, a `gh_` id 15, a MsgId at
/// most 20 digits).
pub const MAX_KEY_PART_BYTES: usize = 64;

/// The longest key: `event:` and three parts of at most [`MAX_KEY_PART_BYTES`] (a hashed part
/// is 41), the 20 digits of a `u64` `CreateTime`, and three `:`.
pub const MAX_DEDUP_KEY_BYTES: usize = "event:".len() + 3 * MAX_KEY_PART_BYTES + 20 + 3;

/// Appends a part: as it is, or hashed (see the module documentation).
fn push_part(key: &mut String, part: &str) {
    if part.len() <= MAX_KEY_PART_BYTES && !part.starts_with('#') && !part.contains(':') {
        key.push_str(part);
    } else {
        key.push('#');
        key.push_str(hex_str(&sorted_sha1_hex(&mut [part])));
    }
}

/// The dedup key of a parsed push (see the module documentation).
pub fn dedup_key(message: &Message) -> String {
    let mut key = String::with_capacity(80);
    match &message.msg_id {
        Some(id) => {
            key.push_str("msg:");
            push_part(&mut key, &message.to_user_name);
            key.push(':');
            push_part(&mut key, id);
        }
        None => {
            key.push_str("event:");
            push_part(&mut key, &message.to_user_name);
            key.push(':');
            push_part(&mut key, &message.from_user_name);
            key.push(':');
            push_u64(&mut key, message.create_time);
            key.push(':');
            let last = match &message.event {
                Some(event) if message.msg_type == "event" => event,
                _ => &message.msg_type,
            };
            push_part(&mut key, last);
        }
    }
    key
}
