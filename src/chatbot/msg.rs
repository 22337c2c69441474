//! The rich `msg` forms of the dialogue platform: plain text, text with recommended questions
//! (`weixin://bizmsgmenu` links), hyperlinks, news (h5 / mp), image, mini program page and
//! combined answers (multimsg). Each builder returns the `msg` string to put in the payload.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::api::json::{self, Obj};

use crate::api::validate::{check_url, element, invalid, missing, parse_input, Input};
use crate::error::{Error, ErrorKind, Result};

/// The builder names accepted by [`build_msg`].
pub const MSG_KINDS: &[&str] = &[
    "text",
    "textWithMenu",
    "hyperlink",
    "news",
    "image",
    "miniProgramPage",
    "multimsg",
];

/// The documented input names (lowerCamelCase, exactly: a near miss such as `media_id` or
/// `pagepath` is refused, naming the right field).
const IMAGE_FIELDS: &[&str] = &["mediaId", "url"];
const PAGE_FIELDS: &[&str] = &["title", "appId", "pagePath", "thumbMediaId", "thumbUrl"];
const ARTICLE_FIELDS: &[&str] = &["title", "description", "url", "picUrl", "type"];

/// The platform's names, as the builders write them: read back by `multimsg` only.
const WIRE_IMAGE_FIELDS: &[&str] = &["media_id", "url"];
const WIRE_PAGE_FIELDS: &[&str] = &["title", "appid", "pagepath", "thumb_media_id", "thumb_url"];
const WIRE_ARTICLE_FIELDS: &[&str] = &["title", "description", "url", "picurl", "type"];

/// Builds the `msg` of kind `kind` from its JSON input.
pub fn build_msg(kind: &str, input: &str) -> Result<String> {
    match kind {
        "text" => text(&parse_input(input, &["content"])?),
        "textWithMenu" => text_with_menu(&parse_input(input, &["text", "questions"])?),
        "hyperlink" => hyperlink(&parse_input(input, &["before", "text", "url", "after"])?),
        "news" => Ok(Rich::news(&parse_input(input, &["articles"])?, ARTICLE_FIELDS)?.to_json()),
        "image" => Ok(Rich::image(&parse_input(input, IMAGE_FIELDS)?)?.to_json()),
        "miniProgramPage" => Ok(Rich::page(&parse_input(input, PAGE_FIELDS)?)?.to_json()),
        "multimsg" => multimsg(&parse_input(input, &["parts"])?),
        _ => Err(Error::new(ErrorKind::InvalidInput, "unknown msg kind")),
    }
}

fn need(v: Option<String>, field: &'static str) -> Result<String> {
    match v {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(missing(field)),
    }
}

/// Text that goes inside `<a ...>` markup: no quotes, angle brackets or `&`.
fn plain(v: &str, field: &'static str) -> Result<()> {
    if v.contains(['"', '<', '>', '&']) {
        return Err(invalid(field, "must not contain \", <, > or &"));
    }
    Ok(())
}

fn text(i: &Input) -> Result<String> {
    need(i.str(&["content"])?, "content")
}

/// `text` then one `<a href="weixin://bizmsgmenu?msgmenucontent=C&msgmenuid=ID">LABEL</a>` per
/// line (id and label default to the content).
fn text_with_menu(i: &Input) -> Result<String> {
    let mut out = need(i.str(&["text"])?, "text")?;
    let questions = i.array(&["questions"])?.unwrap_or_default();
    if questions.is_empty() {
        return Err(missing("questions"));
    }
    for q in questions {
        let q = element(q, "questions", &["content", "id", "label"])?;
        let content = need(q.str(&["content"])?, "questions[].content")?;
        let id = q.str(&["id"])?.filter(|s| !s.is_empty());
        let label = q.str(&["label"])?.filter(|s| !s.is_empty());
        let id = id.as_deref().unwrap_or(&content);
        let label = label.as_deref().unwrap_or(&content);
        plain(&content, "questions[].content")?;
        plain(id, "questions[].id")?;
        plain(label, "questions[].label")?;
        out.push_str("\n<a href=\"weixin://bizmsgmenu?msgmenucontent=");
        out.push_str(&content);
        out.push_str("&msgmenuid=");
        out.push_str(id);
        out.push_str("\">");
        out.push_str(label);
        out.push_str("</a>");
    }
    Ok(out)
}

/// `before<a href="URL">text</a>after`.
fn hyperlink(i: &Input) -> Result<String> {
    let text = need(i.str(&["text"])?, "text")?;
    let url = need(i.str(&["url"])?, "url")?;
    check_url(&url, "url")?;
    plain(&text, "text")?;
    let mut out = i.str(&["before"])?.unwrap_or_default();
    out.push_str("<a href=\"");
    out.push_str(&url);
    out.push_str("\">");
    out.push_str(&text);
    out.push_str("</a>");
    out.push_str(&i.str(&["after"])?.unwrap_or_default());
    Ok(out)
}

// ---- JSON forms, in the platform's field names ----------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
struct Article {
    title: String,
    description: String,
    url: String,
    picurl: String,
    kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct News {
    articles: Vec<Article>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ImageBody {
    media_id: String,
    url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PageBody {
    title: String,
    appid: String,
    pagepath: String,
    thumb_media_id: String,
    thumb_url: String,
}

/// One rich object: exactly one of its members is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Rich {
    news: Option<News>,
    image: Option<ImageBody>,
    miniprogrampage: Option<PageBody>,
}

fn optional_url(v: Option<String>, field: &'static str) -> Result<String> {
    match v {
        None => Ok(String::new()),
        Some(u) if u.is_empty() => Ok(u),
        Some(u) => {
            check_url(&u, field)?;
            Ok(u)
        }
    }
}

impl Rich {
    fn news(i: &Input, article_fields: &[&'static str]) -> Result<Rich> {
        let inputs = i.array(&["articles"])?.unwrap_or_default();
        if inputs.is_empty() {
            return Err(missing("articles"));
        }
        if inputs.len() > 8 {
            return Err(invalid("articles", "must hold at most 8 articles"));
        }
        let mut articles = Vec::with_capacity(inputs.len());
        for a in inputs {
            let a = element(a, "articles", article_fields)?;
            let url = need(a.str(&["url"])?, "articles[].url")?;
            check_url(&url, "articles[].url")?;
            let kind = match a.str(&["type"])?.as_deref() {
                None | Some("") | Some("h5") => "h5",
                Some("mp") => "mp",
                Some(_) => return Err(invalid("articles[].type", "must be 'h5' or 'mp'")),
            };
            articles.push(Article {
                title: need(a.str(&["title"])?, "articles[].title")?,
                description: a.str(&["description"])?.unwrap_or_default(),
                url,
                picurl: optional_url(a.str(&["picUrl", "picurl"])?, "articles[].picUrl")?,
                kind,
            });
        }
        Ok(Rich {
            news: Some(News { articles }),
            ..Rich::default()
        })
    }

    fn image(i: &Input) -> Result<Rich> {
        Ok(Rich {
            image: Some(ImageBody {
                media_id: need(i.str(&["mediaId", "media_id"])?, "mediaId")?,
                url: optional_url(i.str(&["url"])?, "url")?,
            }),
            ..Rich::default()
        })
    }

    fn page(i: &Input) -> Result<Rich> {
        Ok(Rich {
            miniprogrampage: Some(PageBody {
                title: need(i.str(&["title"])?, "title")?,
                appid: need(i.str(&["appId", "appid"])?, "appId")?,
                pagepath: need(i.str(&["pagePath", "pagepath"])?, "pagePath")?,
                thumb_media_id: i
                    .str(&["thumbMediaId", "thumb_media_id"])?
                    .unwrap_or_default(),
                thumb_url: optional_url(i.str(&["thumbUrl", "thumb_url"])?, "thumbUrl")?,
            }),
            ..Rich::default()
        })
    }

    fn to_json(&self) -> String {
        let (key, inner) = if let Some(news) = &self.news {
            let articles = json::array(news.articles.iter().map(|a| {
                Obj::new()
                    .str("title", &a.title)
                    .non_empty("description", &a.description)
                    .str("url", &a.url)
                    .non_empty("picurl", &a.picurl)
                    .str("type", a.kind)
                    .finish()
            }));
            ("news", Obj::new().raw("articles", &articles).finish())
        } else if let Some(image) = &self.image {
            let inner = Obj::new()
                .str("media_id", &image.media_id)
                .non_empty("url", &image.url)
                .finish();
            ("image", inner)
        } else if let Some(page) = &self.miniprogrampage {
            let inner = Obj::new()
                .str("title", &page.title)
                .str("appid", &page.appid)
                .str("pagepath", &page.pagepath)
                .non_empty("thumb_media_id", &page.thumb_media_id)
                .non_empty("thumb_url", &page.thumb_url)
                .finish();
            ("miniprogrampage", inner)
        } else {
            return String::from("{}");
        };
        Obj::new().raw(key, &inner).finish()
    }

    /// A msg from the JSON builders read back: `{"news"|"image"|"miniprogrampage": {...}}`.
    fn parse(part: &str) -> Option<Rich> {
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(part) else {
            return None;
        };
        if map.len() != 1 {
            return None;
        }
        let (key, inner) = map.into_iter().next()?;
        let Value::Object(inner) = inner else {
            return None;
        };
        let rich = match key.as_str() {
            "news" => Rich::news(
                &Input::checked(inner, &["articles"]).ok()?,
                WIRE_ARTICLE_FIELDS,
            ),
            "image" => Rich::image(&Input::checked(inner, WIRE_IMAGE_FIELDS).ok()?),
            "miniprogrampage" => Rich::page(&Input::checked(inner, WIRE_PAGE_FIELDS).ok()?),
            _ => return None,
        };
        rich.ok()
    }
}

/// `{"multimsg": [...]}`: each part is a msg from another builder; the JSON forms (news,
/// image, miniprogrampage) are embedded as objects, anything else as text.
fn multimsg(i: &Input) -> Result<String> {
    let parts = i.array(&["parts"])?.unwrap_or_default();
    if parts.is_empty() {
        return Err(missing("parts"));
    }
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let part = match part {
            Value::String(s) if !s.is_empty() => s,
            Value::String(_) => return Err(missing("parts[]")),
            _ => return Err(invalid("parts", "must hold msg strings")),
        };
        let rich = if part.trim_start().starts_with('{') {
            Rich::parse(part)
        } else {
            None
        };
        out.push(match rich {
            Some(r) => r.to_json(),
            None => json::string(part),
        });
    }
    Ok(Obj::new().raw("multimsg", &json::array(out)).finish())
}
