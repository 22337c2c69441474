//! The naming rule (docs/protocol.md#naming-rule): every platform field also appears under its lowerCamelCase
//! name (`FromUserName` -> `fromUserName`, `MsgId` -> `msgId`, `Location_X` -> `locationX`,
//! `debug_str` -> `debugStr`, `URL` -> `url`, `SendPicsInfo` -> `sendPicsInfo`).
//!
//! The rule, exactly: the name is split into words at `_` and `-` (which are dropped). In the
//! first word the leading run of ASCII capitals is lowered, except that the last capital of a
//! run of two or more stays when a lowercase letter follows it (`URLList` -> `urlList`,
//! `MsgID` -> `msgID`). Each later word gets its first character in ASCII upper case. Other
//! characters are kept as they are.

use alloc::string::String;

/// The lowerCamelCase form of a field name; empty when the name has no word at all.
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    camel_case_into(name, &mut out);
    out
}

/// [`camel_case`] into `out` (cleared first), reusing its allocation.
pub fn camel_case_into(name: &str, out: &mut String) {
    out.clear();
    for word in name.split(['_', '-']).filter(|w| !w.is_empty()) {
        if out.is_empty() {
            push_first_word(out, word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
}

fn push_first_word(out: &mut String, word: &str) {
    let bytes = word.as_bytes();
    let run = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let followed_by_lower = bytes.get(run).is_some_and(|b| b.is_ascii_lowercase());
    let lower = if run >= 2 && followed_by_lower {
        run - 1
    } else {
        run
    };
    // The first `lower` bytes are ASCII, so `lower` is a char boundary.
    out.push_str(&word[..lower].to_ascii_lowercase());
    out.push_str(&word[lower..]);
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn the_documented_examples() {
        for (name, want) in [
            ("FromUserName", "fromUserName"),
            ("MsgId", "msgId"),
            ("BusinessId", "businessId"),
            ("Location_X", "locationX"),
            ("Scale", "scale"),
            ("debug_str", "debugStr"),
            ("URL", "url"),
            ("URLList", "urlList"),
            ("MsgID", "msgID"),
            ("ID", "id"),
            ("item", "item"),
            ("SendPicsInfo", "sendPicsInfo"),
            ("PicMd5Sum", "picMd5Sum"),
            ("template-id", "templateId"),
            ("__proto__", "proto"),
            ("Constructor", "constructor"),
            ("_", ""),
            ("", ""),
            ("名字", "名字"),
            ("X", "x"),
        ] {
            assert_eq!(camel_case(name), want, "{name}");
        }
    }
}
