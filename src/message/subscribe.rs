//! The subscribe-message events of mini programs (and official accounts):
//! `subscribe_msg_popup_event`, `subscribe_msg_change_event` and `subscribe_msg_sent_event`.
//!
//! The platform documents two shapes for the same list:
//! - XML: a wrapper element named after the event (`SubscribeMsgPopupEvent`,
//!   `SubscribeMsgChangeEvent`, `SubscribeMsgSentEvent`) holding one `List` element per
//!   template, repeated;
//! - JSON: a top-level `List` that is an array, or a single object when there is one entry.
//!
//! Both become the same typed `list`: always an array of entries, in document order. The
//! entries' fields are text as sent (`PopupScene` arrives as `2` in XML and `"0"` in JSON;
//! `ErrorCode` likewise), so each typed field is a string whatever the format.

use alloc::string::String;
use alloc::vec::Vec;

use super::raw::{member, member_text, RawValue};

/// One entry of a subscribe-message event's list. The fields an event does not carry stay
/// empty (and are not written to JavaScript).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscribeEntry {
    /// `TemplateId`.
    pub template_id: String,
    /// `SubscribeStatusString`: `accept` or `reject` (popup and change events).
    pub subscribe_status_string: String,
    /// `PopupScene` (popup events): where the popup was shown.
    pub popup_scene: String,
    /// `MsgID` (sent events): the 64-bit id of the message sent, as its exact digits.
    pub msg_id: String,
    /// `ErrorCode` (sent events): `0` when delivered.
    pub error_code: String,
    /// `ErrorStatus` (sent events): `success`, or `failed:...` with the reason.
    pub error_status: String,
}

fn text(members: &[(String, RawValue)], name: &str) -> String {
    member_text(members, name)
        .map(|t| t.into_owned())
        .unwrap_or_default()
}

/// The entries of the list: `wrapper.List` (XML) or else the top-level `List` (JSON); an
/// entry that is not an object is skipped (it stays in `raw`).
pub fn entries(raw: &[(String, RawValue)], wrapper: &str) -> Vec<SubscribeEntry> {
    let list = member(raw, wrapper)
        .and_then(RawValue::as_object)
        .and_then(|w| member(w, "List"))
        .or_else(|| member(raw, "List"));
    let Some(list) = list else {
        return Vec::new();
    };
    list.items()
        .iter()
        .filter_map(RawValue::as_object)
        .map(|entry| SubscribeEntry {
            template_id: text(entry, "TemplateId"),
            subscribe_status_string: text(entry, "SubscribeStatusString"),
            popup_scene: text(entry, "PopupScene"),
            msg_id: member_text(entry, "MsgID")
                .or_else(|| member_text(entry, "MsgId"))
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            error_code: text(entry, "ErrorCode"),
            error_status: text(entry, "ErrorStatus"),
        })
        .collect()
}
