//! Request builders: validated input (lowerCamelCase fields, JSON) -> `Request` whose body is
//! the platform's JSON, field for field and in the documents' order.

use alloc::string::String;
use serde::Serialize;

use super::paths::Endpoint;
use super::request::Request;
use super::validate::{
    check_account_name, check_nickname, invalid, missing, parse_input, required, required_id,
    required_url, Input,
};
use crate::error::{Error, ErrorKind, Result};

/// The builder names accepted by [`build`], as exported to JavaScript under `requests`.
pub const BUILDERS: &[&str] = &[
    "sendText",
    "sendImage",
    "sendLink",
    "sendMiniProgramPage",
    "typing",
    "getKfList",
    "getOnlineKfList",
    "addKfAccount",
    "deleteKfAccount",
    "setKfAdmin",
    "cancelKfAdmin",
    "registerBusiness",
    "updateBusiness",
    "getBusiness",
    "listBusiness",
    "token",
    "stableToken",
    "mediaUpload",
    "mediaGet",
];

/// Builds the request named `name` from its JSON input.
pub fn build(name: &str, input: &str) -> Result<Request> {
    match name {
        "sendText" => send_text(&parse_input(input, &["touser", "content", "businessId"])?),
        "sendImage" => send_image(&parse_input(input, &["touser", "mediaId", "businessId"])?),
        "sendLink" => send_link(&parse_input(
            input,
            &[
                "touser",
                "title",
                "description",
                "url",
                "thumbUrl",
                "businessId",
            ],
        )?),
        "sendMiniProgramPage" => send_mini_program_page(&parse_input(
            input,
            &[
                "touser",
                "title",
                "pagePath",
                "pagepath",
                "thumbMediaId",
                "businessId",
            ],
        )?),
        "typing" => typing(&parse_input(input, &["touser", "command", "businessId"])?),
        "getKfList" => kf_list(Endpoint::GetKfList, &parse_input(input, &["businessId"])?),
        "getOnlineKfList" => kf_list(
            Endpoint::GetOnlineKfList,
            &parse_input(input, &["businessId"])?,
        ),
        "addKfAccount" => add_kf_account(&parse_input(input, &["kfWx", "businessId"])?),
        "deleteKfAccount" => kf_account(Endpoint::DeleteKfAccount, input),
        "setKfAdmin" => kf_account(Endpoint::SetKfAdmin, input),
        "cancelKfAdmin" => kf_account(Endpoint::CancelKfAdmin, input),
        "registerBusiness" => register_business(&parse_input(
            input,
            &["accountName", "nickname", "iconMediaId", "transferToCommkf"],
        )?),
        "updateBusiness" => update_business(&parse_input(
            input,
            &["businessId", "nickname", "iconMediaId"],
        )?),
        "getBusiness" => get_business(&parse_input(input, &["businessId", "accountName"])?),
        "listBusiness" => list_business(&parse_input(input, &["offset", "count"])?),
        "token" => token(&parse_input(input, TOKEN_FIELDS)?),
        "stableToken" => stable_token(&parse_input(input, TOKEN_FIELDS)?),
        "mediaUpload" => media_upload(&parse_input(input, &["type"])?),
        "mediaGet" => media_get(&parse_input(input, &["mediaId"])?),
        _ => Err(Error::new(
            ErrorKind::InvalidInput,
            "unknown request builder name",
        )),
    }
}

fn to_body<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|_| Error::new(ErrorKind::InvalidInput, "the body cannot be serialised"))
}

fn id_string(id: u64) -> String {
    use core::fmt::Write;
    let mut s = String::new();
    let _ = write!(s, "{id}");
    s
}

const TOKEN_FIELDS: &[&str] = &["appId", "appid", "appSecret", "secret", "forceRefresh"];

fn business_id(i: &Input) -> Result<Option<u64>> {
    i.id(&["businessId"])
}

// ---- custom/send ---------------------------------------------------------------------------

/// The common send body: `touser`, `businessid` (sub-merchant only), `msgtype`, then the
/// message object under its own type name.
#[derive(Serialize)]
struct SendBody<'a, M: Serialize> {
    touser: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    businessid: Option<u64>,
    msgtype: &'static str,
    #[serde(flatten)]
    message: M,
}

fn send<M: Serialize>(
    touser: &Option<String>,
    business_id: Option<u64>,
    msgtype: &'static str,
    message: M,
) -> Result<Request> {
    let touser = required_id(touser, "touser")?;
    let endpoint = match business_id {
        Some(_) => Endpoint::BusinessSend,
        None => Endpoint::CustomSend,
    };
    let body = to_body(&SendBody {
        touser,
        businessid: business_id,
        msgtype,
        message,
    })?;
    Ok(Request::new(endpoint).with_body(body))
}

#[derive(Serialize)]
struct Text<'a> {
    text: TextContent<'a>,
}
#[derive(Serialize)]
struct TextContent<'a> {
    content: &'a str,
}

fn send_text(i: &Input) -> Result<Request> {
    let content = i.str(&["content"])?;
    let content = required(&content, "content")?;
    send(
        &i.str(&["touser"])?,
        business_id(i)?,
        "text",
        Text {
            text: TextContent { content },
        },
    )
}

#[derive(Serialize)]
struct Image<'a> {
    image: MediaRef<'a>,
}
#[derive(Serialize)]
struct MediaRef<'a> {
    media_id: &'a str,
}

fn send_image(i: &Input) -> Result<Request> {
    let media_id = i.str(&["mediaId"])?;
    let media_id = required_id(&media_id, "mediaId")?;
    send(
        &i.str(&["touser"])?,
        business_id(i)?,
        "image",
        Image {
            image: MediaRef { media_id },
        },
    )
}

#[derive(Serialize)]
struct Link<'a> {
    link: LinkBody<'a>,
}
#[derive(Serialize)]
struct LinkBody<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    thumb_url: &'a str,
}

fn send_link(i: &Input) -> Result<Request> {
    let (title, description) = (i.str(&["title"])?, i.str(&["description"])?);
    let (url, thumb_url) = (i.str(&["url"])?, i.str(&["thumbUrl"])?);
    let link = LinkBody {
        title: required(&title, "title")?,
        description: required(&description, "description")?,
        url: required_url(&url, "url")?,
        thumb_url: required_url(&thumb_url, "thumbUrl")?,
    };
    send(&i.str(&["touser"])?, business_id(i)?, "link", Link { link })
}

#[derive(Serialize)]
struct Page<'a> {
    miniprogrampage: PageBody<'a>,
}
#[derive(Serialize)]
struct PageBody<'a> {
    title: &'a str,
    pagepath: &'a str,
    thumb_media_id: &'a str,
}

fn send_mini_program_page(i: &Input) -> Result<Request> {
    let (title, page_path) = (i.str(&["title"])?, i.str(&["pagePath", "pagepath"])?);
    let thumb_media_id = i.str(&["thumbMediaId"])?;
    let page = PageBody {
        title: required(&title, "title")?,
        pagepath: required(&page_path, "pagePath")?,
        thumb_media_id: required_id(&thumb_media_id, "thumbMediaId")?,
    };
    send(
        &i.str(&["touser"])?,
        business_id(i)?,
        "miniprogrampage",
        Page {
            miniprogrampage: page,
        },
    )
}

// ---- typing --------------------------------------------------------------------------------

#[derive(Serialize)]
struct TypingBody<'a> {
    touser: &'a str,
    command: &'a str,
}

/// The business typing body, in the order of the document's example.
#[derive(Serialize)]
struct BusinessTypingBody<'a> {
    businessid: u64,
    touser: &'a str,
    command: &'a str,
}

fn typing(i: &Input) -> Result<Request> {
    let touser = i.str(&["touser"])?;
    let touser = required_id(&touser, "touser")?;
    let command = i.str(&["command"])?;
    let command = match command.as_deref() {
        None => "Typing",
        Some(c @ ("Typing" | "CancelTyping")) => c,
        Some(_) => return Err(invalid("command", "must be 'Typing' or 'CancelTyping'")),
    };
    match business_id(i)? {
        Some(id) => Ok(Request::new(Endpoint::BusinessTyping).with_body(to_body(
            &BusinessTypingBody {
                businessid: id,
                touser,
                command,
            },
        )?)),
        None => {
            Ok(Request::new(Endpoint::Typing).with_body(to_body(&TypingBody { touser, command })?))
        }
    }
}

// ---- kf accounts ---------------------------------------------------------------------------

fn with_business(request: Request, business_id: Option<u64>) -> Request {
    match business_id {
        Some(id) => request.with_query("business_id", id_string(id)),
        None => request,
    }
}

fn kf_list(endpoint: Endpoint, i: &Input) -> Result<Request> {
    Ok(with_business(Request::new(endpoint), business_id(i)?))
}

#[derive(Serialize)]
struct AddKfBody<'a> {
    kf_wx: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    business_id: Option<u64>,
}

fn add_kf_account(i: &Input) -> Result<Request> {
    let kf_wx = i.str(&["kfWx"])?;
    let kf_wx = required_id(&kf_wx, "kfWx")?;
    let body = to_body(&AddKfBody {
        kf_wx,
        business_id: business_id(i)?,
    })?;
    Ok(Request::new(Endpoint::AddKfAccount).with_body(body))
}

fn kf_account(endpoint: Endpoint, input: &str) -> Result<Request> {
    let i = parse_input(input, &["kfOpenid", "businessId"])?;
    let kf_openid = i.str(&["kfOpenid"])?;
    let kf_openid = required_id(&kf_openid, "kfOpenid")?;
    let request = Request::new(endpoint).with_query("kf_openid", kf_openid.into());
    Ok(with_business(request, business_id(&i)?))
}

// ---- business (sub-merchants) --------------------------------------------------------------

#[derive(Serialize)]
struct RegisterBody<'a> {
    account_name: &'a str,
    nickname: &'a str,
    icon_media_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    transfer_to_commkf: Option<bool>,
}

fn register_business(i: &Input) -> Result<Request> {
    let account_name = i.str(&["accountName"])?;
    let account_name = required(&account_name, "accountName")?;
    check_account_name(account_name, "accountName")?;
    let nickname = i.str(&["nickname"])?;
    let nickname = required(&nickname, "nickname")?;
    check_nickname(nickname, "nickname")?;
    let icon_media_id = i.str(&["iconMediaId"])?;
    let icon_media_id = required_id(&icon_media_id, "iconMediaId")?;
    let body = to_body(&RegisterBody {
        account_name,
        nickname,
        icon_media_id,
        transfer_to_commkf: i.bool(&["transferToCommkf"])?,
    })?;
    Ok(Request::new(Endpoint::RegisterBusiness).with_body(body))
}

#[derive(Serialize)]
struct UpdateBody<'a> {
    business_id: u64,
    nickname: &'a str,
    icon_media_id: &'a str,
}

fn update_business(i: &Input) -> Result<Request> {
    let business_id = business_id(i)?.ok_or_else(|| missing("businessId"))?;
    let (nickname, icon) = (i.str(&["nickname"])?, i.str(&["iconMediaId"])?);
    let nickname = nickname.as_deref().unwrap_or("");
    let icon_media_id = icon.as_deref().unwrap_or("");
    if nickname.is_empty() && icon_media_id.is_empty() {
        return Err(missing("nickname"));
    }
    if !nickname.is_empty() {
        check_nickname(nickname, "nickname")?;
    }
    if !icon_media_id.is_empty() {
        required_id(&icon, "iconMediaId")?;
    }
    let body = to_body(&UpdateBody {
        business_id,
        nickname,
        icon_media_id,
    })?;
    Ok(Request::new(Endpoint::UpdateBusiness).with_body(body))
}

#[derive(Serialize)]
struct GetById {
    business_id: u64,
}
#[derive(Serialize)]
struct GetByName<'a> {
    account_name: &'a str,
}

fn get_business(i: &Input) -> Result<Request> {
    let account_name = i.str(&["accountName"])?;
    let body = match (business_id(i)?, account_name.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "accountName",
                "must not be given together with businessId: pass one of them",
            ))
        }
        (Some(id), None) => to_body(&GetById { business_id: id })?,
        (None, Some(name)) if !name.is_empty() => {
            check_account_name(name, "accountName")?;
            to_body(&GetByName { account_name: name })?
        }
        _ => return Err(missing("businessId")),
    };
    Ok(Request::new(Endpoint::GetBusiness).with_body(body))
}

#[derive(Serialize)]
struct ListBody {
    offset: u64,
    count: u64,
}

fn list_business(i: &Input) -> Result<Request> {
    let offset = i.id(&["offset"])?.ok_or_else(|| missing("offset"))?;
    let count = i.id(&["count"])?.ok_or_else(|| missing("count"))?;
    if !(1..=200).contains(&count) {
        return Err(invalid("count", "must be between 1 and 200"));
    }
    let body = to_body(&ListBody { offset, count })?;
    Ok(Request::new(Endpoint::ListBusiness).with_body(body))
}

// ---- access token and media ----------------------------------------------------------------

fn credentials(i: &Input) -> Result<(String, String)> {
    let app_id = i.str(&["appId", "appid"])?;
    let secret = i.str(&["appSecret", "secret"])?;
    Ok((
        required_id(&app_id, "appId")?.into(),
        required_id(&secret, "appSecret")?.into(),
    ))
}

fn token(i: &Input) -> Result<Request> {
    let (app_id, secret) = credentials(i)?;
    Ok(Request::new(Endpoint::Token)
        .with_query("grant_type", "client_credential".into())
        .with_query("appid", app_id)
        .with_query("secret", secret))
}

#[derive(Serialize)]
struct StableTokenBody<'a> {
    grant_type: &'static str,
    appid: &'a str,
    secret: &'a str,
    force_refresh: bool,
}

fn stable_token(i: &Input) -> Result<Request> {
    let (appid, secret) = credentials(i)?;
    let body = to_body(&StableTokenBody {
        grant_type: "client_credential",
        appid: &appid,
        secret: &secret,
        force_refresh: i.bool(&["forceRefresh"])?.unwrap_or(false),
    })?;
    Ok(Request::new(Endpoint::StableToken).with_body(body))
}

fn media_upload(i: &Input) -> Result<Request> {
    let media_type = i.str(&["type"])?;
    let media_type = match media_type.as_deref() {
        None | Some("image") => "image",
        Some(_) => {
            return Err(invalid(
                "type",
                "must be 'image': customer service messages send images only",
            ))
        }
    };
    Ok(Request::new(Endpoint::MediaUpload).with_query("type", media_type.into()))
}

fn media_get(i: &Input) -> Result<Request> {
    let media_id = i.str(&["mediaId"])?;
    let media_id = required_id(&media_id, "mediaId")?;
    Ok(Request::new(Endpoint::MediaGet).with_query("media_id", media_id.into()))
}
