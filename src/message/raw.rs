//! `raw`: every field of a push by its original name, with its structure. One rule for both
//! formats:
//! - an XML element with child elements, or a JSON object, is an object of its children in
//!   document order;
//! - a name that occurs more than once among siblings (a repeated XML element, or a repeated
//!   JSON key) is one array of every value in document order, at the place of the first one;
//!   a JSON array is an array;
//! - XML text (CDATA joined, entities resolved, nothing trimmed) and JSON strings are strings;
//!   JSON numbers keep their exact digits, booleans and null stay as they are.
//!
//! Field names that are, as sent, members of JavaScript's `Object.prototype` (or `prototype`)
//! are refused at any depth (see [`PROTOTYPE_NAMES`]).

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::{Child, Node};

/// A field's value as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawValue {
    /// XML text or a JSON string.
    Text(String),
    /// A JSON number, by its exact text.
    Number(String),
    Bool(bool),
    Null,
    /// A repeated field, or a JSON array.
    List(Vec<RawValue>),
    /// An XML element with child elements, or a JSON object (names grouped, in order).
    Object(Vec<(String, RawValue)>),
}

impl RawValue {
    /// The value as text: strings as they are, numbers by their exact digits, booleans as
    /// `true`/`false`; `None` for null, arrays and objects.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            RawValue::Text(s) | RawValue::Number(s) => Some(Cow::Borrowed(s)),
            RawValue::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            RawValue::Null | RawValue::List(_) | RawValue::Object(_) => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&[(String, RawValue)]> {
        match self {
            RawValue::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The value as a list of items: an array's items, or the value itself as one item.
    pub fn items(&self) -> &[RawValue] {
        match self {
            RawValue::List(items) => items,
            one => core::slice::from_ref(one),
        }
    }
}

/// The value named `name` among `members`.
pub fn member<'v>(members: &'v [(String, RawValue)], name: &str) -> Option<&'v RawValue> {
    members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// The text of `name` among `members`; for a repeated field, its last copy.
pub fn member_text<'v>(members: &'v [(String, RawValue)], name: &str) -> Option<Cow<'v, str>> {
    match member(members, name)? {
        RawValue::List(items) => items.last().and_then(RawValue::as_text),
        value => value.as_text(),
    }
}

/// The names no object built from a push may have as an own key: the members of JavaScript's
/// `Object.prototype` (an own property of such a name shadows the method every object inherits,
/// so that `message.hasOwnProperty(...)` or `String(message)` throws, or reaches the prototype:
/// `__proto__`) and `prototype`. The one list of both rules: a field whose name, as sent, is one
/// of them is refused ([`check_name`]); a lowerCamelCase copy whose name is one of them is not
/// written, the field staying in `raw` under its own name (`ToString`, `ValueOf`, `Constructor`:
/// see `out`).
pub const PROTOTYPE_NAMES: [&str; 13] = [
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// Whether `name` is one of [`PROTOTYPE_NAMES`].
pub fn is_prototype_name(name: &str) -> bool {
    // Every one starts with a lowercase letter or `_`; the platform's names mostly with a
    // capital.
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && PROTOTYPE_NAMES.contains(&name)
}

fn parse_kind(format: Format) -> ErrorKind {
    match format {
        Format::Xml => ErrorKind::ParseXml,
        Format::Json => ErrorKind::ParseJson,
    }
}

/// Refuses a name that is, as sent, one of [`PROTOTYPE_NAMES`].
pub fn check_name(name: &str, format: Format) -> Result<()> {
    if !is_prototype_name(name) {
        return Ok(());
    }
    Err(Error::with_message(
        parse_kind(format),
        alloc::format!(
            "the push has a field named \"{name}\": the names of Object.prototype's members \
             (constructor, toString, valueOf, hasOwnProperty, __proto__, ...) and prototype are \
             refused, since a field of such a name would shadow a JavaScript object's method or \
             change its prototype"
        ),
    ))
}

/// Up to this many siblings, a name is looked up by a linear search (no map to build).
const LINEAR_GROUP: usize = 16;

/// Groups sibling fields by name (a repeated name becomes one list at its first place) after
/// checking each name. Linear in the number of fields (up to a log factor).
pub fn group(pairs: Vec<(String, RawValue)>, format: Format) -> Result<Vec<(String, RawValue)>> {
    let linear = pairs.len() <= LINEAR_GROUP;
    // A few distinct names (the usual push) stay as they are: no second list to build.
    if linear
        && pairs
            .iter()
            .enumerate()
            .all(|(i, (name, _))| pairs[..i].iter().all(|(n, _)| n != name))
    {
        for (name, _) in &pairs {
            check_name(name, format)?;
        }
        return Ok(pairs);
    }
    let mut out: Vec<(String, RawValue)> = Vec::with_capacity(pairs.len());
    // Whether each entry of `out` is already a list of repeats.
    let mut repeated: Vec<bool> = Vec::with_capacity(pairs.len());
    // Index in `out` of each name (beyond LINEAR_GROUP siblings).
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (name, value) in pairs {
        check_name(&name, format)?;
        let found = if linear {
            out.iter().position(|(n, _)| *n == name)
        } else {
            seen.get(&name).copied()
        };
        match found {
            None => {
                if !linear {
                    seen.insert(name.clone(), out.len());
                }
                out.push((name, value));
                repeated.push(false);
            }
            Some(at) => {
                let slot = &mut out[at].1;
                if repeated[at] {
                    if let RawValue::List(items) = slot {
                        items.push(value);
                    }
                } else {
                    let first = core::mem::replace(slot, RawValue::Null);
                    *slot = RawValue::List(alloc::vec![first, value]);
                    repeated[at] = true;
                }
            }
        }
    }
    Ok(out)
}

/// The fields of an XML document (the root's children), with their structure.
pub fn from_xml(children: Vec<Child<'_>>) -> Result<Vec<(String, RawValue)>> {
    let pairs = children
        .into_iter()
        .map(|child| Ok((child.name, from_node(child.node)?)))
        .collect::<Result<Vec<_>>>()?;
    group(pairs, Format::Xml)
}

fn from_node(node: Node<'_>) -> Result<RawValue> {
    Ok(match node {
        Node::Text(text) => RawValue::Text(text.into_owned()),
        Node::Element(children) => RawValue::Object(from_xml(children)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.into())
    }

    #[test]
    fn repeated_names_become_one_list_in_order_at_the_first_place() {
        let pairs = alloc::vec![
            ("A".into(), text("1")),
            ("B".into(), text("b")),
            ("A".into(), text("2")),
            ("A".into(), RawValue::List(alloc::vec![text("3")])),
        ];
        let got = group(pairs, Format::Json).unwrap();
        assert_eq!(
            got,
            alloc::vec![
                (
                    "A".into(),
                    RawValue::List(alloc::vec![
                        text("1"),
                        text("2"),
                        RawValue::List(alloc::vec![text("3")])
                    ])
                ),
                ("B".into(), text("b")),
            ]
        );
    }

    #[test]
    fn grouping_is_the_same_above_the_linear_limit() {
        let names = |n: usize| -> Vec<(String, RawValue)> {
            (0..n)
                .map(|i| (alloc::format!("N{}", i % 7), text(&alloc::format!("{i}"))))
                .collect()
        };
        for n in [LINEAR_GROUP, LINEAR_GROUP + 1, 3 * LINEAR_GROUP] {
            let got = group(names(n), Format::Xml).unwrap();
            assert_eq!(got.len(), 7, "{n}");
            for (k, (name, value)) in got.iter().enumerate() {
                assert_eq!(name, &alloc::format!("N{k}"));
                let want: Vec<RawValue> = (k..n)
                    .step_by(7)
                    .map(|i| text(&alloc::format!("{i}")))
                    .collect();
                assert_eq!(value.items(), &want[..], "{n} {name}");
            }
        }
    }

    #[test]
    fn the_refusal_is_exactly_the_list_for_generated_names() {
        // Names of the pieces below, up to three of them: exactly those equal to a name of the
        // list are refused (not those whose camelCase form is: they are left out of the copies).
        let pieces = [
            "_",
            "__",
            "-",
            "constructor",
            "Constructor",
            "proto",
            "prototype",
            "toString",
            "ToString",
            "valueOf",
            "defineGetter",
            "x",
            "",
        ];
        let mut names = alloc::vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| pieces.iter().map(move |p| alloc::format!("{n}{p}")))
                .collect();
            names.extend(longer);
        }
        for name in names.iter().map(String::as_str).chain(PROTOTYPE_NAMES) {
            let refused = PROTOTYPE_NAMES.contains(&name);
            assert_eq!(check_name(name, Format::Xml).is_err(), refused, "{name}");
            assert_eq!(is_prototype_name(name), refused, "{name}");
        }
    }

    #[test]
    fn prototype_names_are_refused() {
        for name in PROTOTYPE_NAMES {
            let err = check_name(name, Format::Xml).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ParseXml, "{name}");
            assert!(err.message().contains(name), "{err}");
            assert_eq!(
                check_name(name, Format::Json).unwrap_err().kind(),
                ErrorKind::ParseJson
            );
        }
        for name in [
            "__Proto__",
            "proto",
            "Constructor",
            "Prototype",
            "_constructor_",
            "ToString",
            "HasOwnProperty",
            "ValueOf",
            "tostring",
            "PrototypeId",
            "toStrings",
        ] {
            assert!(check_name(name, Format::Json).is_ok(), "{name}");
        }
    }
}
