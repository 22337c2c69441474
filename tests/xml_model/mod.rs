//! An independent model of the platform's XML dialect, for differential testing of
//! `wechat_kf::xml::read_document`: a generator that writes a document from a stream of bytes
//! and records, as it writes, the tree a correct reader must return (or that it must refuse
//! the document, when the generator injected a defect). It shares no code with the reader and
//! does not use quick-xml. Used by tests/xml_differential.rs and fuzz/fuzz_targets/xml_diff.rs.

#![allow(dead_code)]

use wechat_kf::xml::{Child, Node};

/// What a correct reader returns: the root's children, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    Text(String),
    Element(Vec<(String, Tree)>),
}

/// A generated document and what reading it must give (`None`: it must be refused).
#[derive(Debug)]
pub struct Doc {
    pub text: String,
    pub expect: Option<Vec<(String, Tree)>>,
}

/// The reader's answer in the model's terms.
pub fn from_reader(children: &[Child<'_>]) -> Vec<(String, Tree)> {
    children
        .iter()
        .map(|c| {
            let tree = match &c.node {
                Node::Text(t) => Tree::Text(t.to_string()),
                Node::Element(kids) => Tree::Element(from_reader(kids)),
            };
            (c.name.clone(), tree)
        })
        .collect()
}

/// Draws choices from the input bytes (zeros once they run out, so generation always ends).
struct Src<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Src<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const NAMES: &[&str] = &[
    "A", "B", "List", "item", "Encrypt", "MsgId", "x:y", "中文", "x_1", "Actions",
];
const WHITESPACE: &[&str] = &["", " ", "\n", "\r\n", "\t ", "\n    "];
/// Characters of plain text; `<` and `&` are always written as references. With the edges of
/// the ranges XML 1.0 allows (DEL and C1 controls are allowed; U+FEFF too).
const CHARS: &[char] = &[
    'a',
    'Z',
    '0',
    ' ',
    '\n',
    '\r',
    '\t',
    ']',
    '>',
    '"',
    '\'',
    '<',
    '&',
    '中',
    '😀',
    '=',
    '/',
    '\u{7f}',
    '\u{85}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{feff}',
    '\u{fffd}',
    '\u{10000}',
    '\u{10ffff}',
];
/// Characters XML 1.0 forbids that UTF-8 can carry (surrogates it cannot), raw.
const FORBIDDEN: &[char] = &[
    '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{e}', '\u{1f}', '\u{fffe}', '\u{ffff}',
];
/// References to characters XML 1.0 forbids (`&#0;` is defect 8).
const FORBIDDEN_REFS: &[&str] = &[
    "&#1;", "&#x1;", "&#8;", "&#xB;", "&#12;", "&#x1f;", "&#31;", "&#xFFFE;", "&#65535;",
    "&#xffff;", "&#xD800;", "&#57343;",
];

fn write_char_data(src: &mut Src<'_>, out: &mut String, c: char) {
    match (c, src.below(4)) {
        ('<', _) => out.push_str("&lt;"),
        ('&', _) => out.push_str("&amp;"),
        // `>` may always be escaped; `]]>` must be, so `>` is escaped whenever `]]` precedes it.
        ('>', 0) => out.push_str("&gt;"),
        ('>', _) if out.ends_with("]]") => out.push_str("&gt;"),
        ('"', 0) => out.push_str("&quot;"),
        ('\'', 0) => out.push_str("&apos;"),
        (c, 1) if c != '\r' => out.push_str(&format!("&#{};", c as u32)),
        (c, 2) if c != '\r' => out.push_str(&format!("&#x{:x};", c as u32)),
        (c, _) => out.push(c),
    }
}

fn write_cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
    out.push_str("]]>");
}

/// Writes a text leaf's content as a mix of plain text, references, CDATA and comments.
fn write_text(src: &mut Src<'_>, out: &mut String) -> String {
    let mut value = String::new();
    for _ in 0..src.below(5) {
        let len = src.below(6);
        let piece: String = (0..len).map(|_| CHARS[src.below(CHARS.len())]).collect();
        match src.below(5) {
            0 => write_cdata(out, &piece),
            1 => {
                out.push_str("<!-- c -->");
                for c in piece.chars() {
                    write_char_data(src, out, c);
                }
            }
            _ => {
                for c in piece.chars() {
                    write_char_data(src, out, c);
                }
            }
        }
        value.push_str(&piece);
    }
    value
}

fn write_element(src: &mut Src<'_>, out: &mut String, depth: usize) -> (String, Tree) {
    let name = NAMES[src.below(NAMES.len())].to_string();
    let attributes = if src.chance(6) {
        " a=\"1\" b='x y'"
    } else {
        ""
    };
    let container = depth < 5 && src.chance(3);
    if !container && src.chance(5) {
        out.push_str(&format!("<{name}{attributes}/>"));
        return (name, Tree::Text(String::new()));
    }
    out.push_str(&format!("<{name}{attributes}>"));
    let tree = if container {
        let mut kids = Vec::new();
        for _ in 0..1 + src.below(4) {
            out.push_str(WHITESPACE[src.below(WHITESPACE.len())]);
            if src.chance(8) {
                out.push_str("<!-- between -->");
            }
            kids.push(write_element(src, out, depth + 1));
        }
        out.push_str(WHITESPACE[src.below(WHITESPACE.len())]);
        Tree::Element(kids)
    } else {
        Tree::Text(write_text(src, out))
    };
    out.push_str(&format!("</{name}>"));
    (name, tree)
}

/// Generates a document from `bytes`: well-formed with its expected tree, or (about one in
/// four) carrying one defect the reader must refuse.
pub fn generate(bytes: &[u8]) -> Doc {
    let mut src = Src { bytes, at: 0 };
    let mut out = String::new();
    if src.chance(8) {
        out.push('\u{feff}');
    }
    if src.chance(3) {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    if src.chance(6) {
        out.push_str("<!-- prolog -->\n");
    }
    let defect = if src.chance(4) { 1 + src.below(17) } else { 0 };
    if defect == 1 {
        out.push_str("<!DOCTYPE xml>");
    }
    out.push_str("<xml>");
    let mut children = Vec::new();
    for _ in 0..src.below(6) {
        out.push_str(WHITESPACE[src.below(WHITESPACE.len())]);
        children.push(write_element(&mut src, &mut out, 1));
    }
    match defect {
        2 => out.push_str("<Bad>&unknown;</Bad>"),
        3 => out.push_str("<Bad><C>1</C>stray</Bad>"),
        4 => out.push_str("<Bad>1</Wrong>"),
        5 => out.push_str("stray"),
        6 => out.push_str("<Bad>a & b</Bad>"),
        7 => out.push_str(&format!("{}x{}", "<d>".repeat(32), "</d>".repeat(32))),
        8 => out.push_str("<Bad>&#0;</Bad>"),
        11 => out.push_str("<Bad><C><![CDATA[x]]>y]]></C></Bad>"),
        // A character XML forbids: raw in text, CDATA, a comment or an attribute value; as a
        // reference in text or in an attribute value.
        12..=17 => {
            let raw = FORBIDDEN[src.below(FORBIDDEN.len())];
            let reference = FORBIDDEN_REFS[src.below(FORBIDDEN_REFS.len())];
            out.push_str(&match defect {
                12 => format!("<Bad>a{raw}b</Bad>"),
                13 => format!("<Bad><C><![CDATA[x{raw}]]></C></Bad>"),
                14 => format!("<!-- {raw} -->"),
                15 => format!("<Bad a=\"{raw}\">1</Bad>"),
                16 => format!("<Bad>x{reference}y</Bad>"),
                _ => format!("<Bad a='{reference}'/>"),
            });
        }
        _ => {}
    }
    out.push_str(WHITESPACE[src.below(WHITESPACE.len())]);
    out.push_str("</xml>");
    out.push_str(WHITESPACE[src.below(WHITESPACE.len())]);
    match defect {
        9 => out.push_str("<xml/>"),
        10 => {
            // Cut inside the root: before its closing `>`, on a char boundary.
            let mut cut = src.below(out.len().max(1)).min(out.len() - 1);
            let root_end = out.rfind("</xml>").unwrap() + "</xml>".len() - 1;
            cut = cut.min(root_end);
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
        }
        _ => {}
    }
    Doc {
        text: out,
        expect: (defect == 0).then_some(children),
    }
}
