//! Request builders: validated input (lowerCamelCase fields, JSON) -> `Request` whose body is
//! the platform's JSON, field for field and in the documents' order.

use alloc::string::String;

use super::json::Obj;
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
    let fields: &[&str] = match name {
        "sendText" => &["touser", "content", "businessId"],
        "sendImage" => &["touser", "mediaId", "businessId"],
        "sendLink" => &[
            "touser",
            "title",
            "description",
            "url",
            "thumbUrl",
            "businessId",
        ],
        "sendMiniProgramPage" => &["touser", "title", "pagePath", "thumbMediaId", "businessId"],
        "typing" => &["touser", "command", "businessId"],
        "getKfList" | "getOnlineKfList" => &["businessId"],
        "addKfAccount" => &["kfWx", "businessId"],
        "deleteKfAccount" | "setKfAdmin" | "cancelKfAdmin" => &["kfOpenid", "businessId"],
        "registerBusiness" => &["accountName", "nickname", "iconMediaId", "transferToCommkf"],
        "updateBusiness" => &["businessId", "nickname", "iconMediaId"],
        "getBusiness" => &["businessId", "accountName"],
        "listBusiness" => &["offset", "count"],
        "token" => &["appId", "appSecret"],
        "stableToken" => &["appId", "appSecret", "forceRefresh"],
        "mediaUpload" => &["type"],
        "mediaGet" => &["mediaId"],
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "unknown request builder name",
            ))
        }
    };
    let i = parse_input(input, fields)?;
    match name {
        "sendText" => send_text(&i),
        "sendImage" => send_image(&i),
        "sendLink" => send_link(&i),
        "sendMiniProgramPage" => send_mini_program_page(&i),
        "typing" => typing(&i),
        "getKfList" => kf_list(Endpoint::GetKfList, &i),
        "getOnlineKfList" => kf_list(Endpoint::GetOnlineKfList, &i),
        "addKfAccount" => add_kf_account(&i),
        "deleteKfAccount" => kf_account(Endpoint::DeleteKfAccount, &i),
        "setKfAdmin" => kf_account(Endpoint::SetKfAdmin, &i),
        "cancelKfAdmin" => kf_account(Endpoint::CancelKfAdmin, &i),
        "registerBusiness" => register_business(&i),
        "updateBusiness" => update_business(&i),
        "getBusiness" => get_business(&i),
        "listBusiness" => list_business(&i),
        "token" => token(&i),
        "stableToken" => stable_token(&i),
        "mediaUpload" => media_upload(&i),
        _ => media_get(&i),
    }
}

fn id_string(id: u64) -> String {
    let mut s = String::new();
    super::json::push_u64(&mut s, id);
    s
}

fn business_id(i: &Input) -> Result<Option<u64>> {
    i.id(&["businessId"])
}

// ---- custom/send ---------------------------------------------------------------------------

/// The common send body: `touser`, `businessid` (sub-merchant only), `msgtype`, then the
/// message object under its own type name.
fn send(i: &Input, msgtype: &'static str, message: String) -> Result<Request> {
    let touser = i.str(&["touser"])?;
    let touser = required_id(&touser, "touser")?;
    let business = business_id(i)?;
    let endpoint = match business {
        Some(_) => Endpoint::BusinessSend,
        None => Endpoint::CustomSend,
    };
    let body = Obj::new()
        .str("touser", touser)
        .opt_u64("businessid", business)
        .str("msgtype", msgtype)
        .raw(msgtype, &message)
        .finish();
    Ok(Request::new(endpoint).with_body(body))
}

fn send_text(i: &Input) -> Result<Request> {
    let content = i.str(&["content"])?;
    let content = required(&content, "content")?;
    send(i, "text", Obj::new().str("content", content).finish())
}

fn send_image(i: &Input) -> Result<Request> {
    let media_id = i.str(&["mediaId"])?;
    let media_id = required_id(&media_id, "mediaId")?;
    send(i, "image", Obj::new().str("media_id", media_id).finish())
}

fn send_link(i: &Input) -> Result<Request> {
    let (title, description) = (i.str(&["title"])?, i.str(&["description"])?);
    let (url, thumb_url) = (i.str(&["url"])?, i.str(&["thumbUrl"])?);
    let link = Obj::new()
        .str("title", required(&title, "title")?)
        .str("description", required(&description, "description")?)
        .str("url", required_url(&url, "url")?)
        .str("thumb_url", required_url(&thumb_url, "thumbUrl")?)
        .finish();
    send(i, "link", link)
}

fn send_mini_program_page(i: &Input) -> Result<Request> {
    let (title, page_path) = (i.str(&["title"])?, i.str(&["pagePath"])?);
    let thumb_media_id = i.str(&["thumbMediaId"])?;
    let page = Obj::new()
        .str("title", required(&title, "title")?)
        .str("pagepath", required(&page_path, "pagePath")?)
        .str(
            "thumb_media_id",
            required_id(&thumb_media_id, "thumbMediaId")?,
        )
        .finish();
    send(i, "miniprogrampage", page)
}

// ---- typing --------------------------------------------------------------------------------

fn typing(i: &Input) -> Result<Request> {
    let touser = i.str(&["touser"])?;
    let touser = required_id(&touser, "touser")?;
    let command = i.str(&["command"])?;
    let command = match command.as_deref() {
        None => "Typing",
        Some(c @ ("Typing" | "CancelTyping")) => c,
        Some(_) => return Err(invalid("command", "must be 'Typing' or 'CancelTyping'")),
    };
    Ok(match business_id(i)? {
        // the business body in the order of the document's example
        Some(id) => Request::new(Endpoint::BusinessTyping).with_body(
            Obj::new()
                .u64("businessid", id)
                .str("touser", touser)
                .str("command", command)
                .finish(),
        ),
        None => Request::new(Endpoint::Typing).with_body(
            Obj::new()
                .str("touser", touser)
                .str("command", command)
                .finish(),
        ),
    })
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

fn add_kf_account(i: &Input) -> Result<Request> {
    let kf_wx = i.str(&["kfWx"])?;
    let body = Obj::new()
        .str("kf_wx", required_id(&kf_wx, "kfWx")?)
        .opt_u64("business_id", business_id(i)?)
        .finish();
    Ok(Request::new(Endpoint::AddKfAccount).with_body(body))
}

fn kf_account(endpoint: Endpoint, i: &Input) -> Result<Request> {
    let kf_openid = i.str(&["kfOpenid"])?;
    let kf_openid = required_id(&kf_openid, "kfOpenid")?;
    let request = Request::new(endpoint).with_query("kf_openid", kf_openid.into());
    Ok(with_business(request, business_id(i)?))
}

// ---- business (sub-merchants) --------------------------------------------------------------

fn register_business(i: &Input) -> Result<Request> {
    let account_name = i.str(&["accountName"])?;
    let account_name = required(&account_name, "accountName")?;
    check_account_name(account_name, "accountName")?;
    let nickname = i.str(&["nickname"])?;
    let nickname = required(&nickname, "nickname")?;
    check_nickname(nickname, "nickname")?;
    let icon_media_id = i.str(&["iconMediaId"])?;
    let mut body = Obj::new()
        .str("account_name", account_name)
        .str("nickname", nickname)
        .str("icon_media_id", required_id(&icon_media_id, "iconMediaId")?);
    if let Some(transfer) = i.bool(&["transferToCommkf"])? {
        body = body.bool("transfer_to_commkf", transfer);
    }
    Ok(Request::new(Endpoint::RegisterBusiness).with_body(body.finish()))
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
    let body = Obj::new()
        .u64("business_id", business_id)
        .str("nickname", nickname)
        .str("icon_media_id", icon_media_id)
        .finish();
    Ok(Request::new(Endpoint::UpdateBusiness).with_body(body))
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
        (Some(id), None) => Obj::new().u64("business_id", id).finish(),
        (None, Some(name)) if !name.is_empty() => {
            check_account_name(name, "accountName")?;
            Obj::new().str("account_name", name).finish()
        }
        _ => return Err(missing("businessId")),
    };
    Ok(Request::new(Endpoint::GetBusiness).with_body(body))
}

fn list_business(i: &Input) -> Result<Request> {
    let offset = i.id(&["offset"])?.ok_or_else(|| missing("offset"))?;
    let count = i.id(&["count"])?.ok_or_else(|| missing("count"))?;
    if !(1..=200).contains(&count) {
        return Err(invalid("count", "must be between 1 and 200"));
    }
    let body = Obj::new()
        .u64("offset", offset)
        .u64("count", count)
        .finish();
    Ok(Request::new(Endpoint::ListBusiness).with_body(body))
}

// ---- access token and media ----------------------------------------------------------------

fn credentials(i: &Input) -> Result<(String, String)> {
    let app_id = i.str(&["appId"])?;
    let secret = i.str(&["appSecret"])?;
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

fn stable_token(i: &Input) -> Result<Request> {
    let (appid, secret) = credentials(i)?;
    let body = Obj::new()
        .str("grant_type", "client_credential")
        .str("appid", &appid)
        .str("secret", &secret)
        .bool("force_refresh", i.bool(&["forceRefresh"])?.unwrap_or(false))
        .finish();
    Ok(Request::new(Endpoint::StableToken).with_body(body))
}

fn media_upload(i: &Input) -> Result<Request> {
    let media_type = i.str(&["type"])?;
    match media_type.as_deref() {
        None | Some("image") => {}
        Some(_) => {
            return Err(invalid(
                "type",
                "must be 'image': customer service messages send images only",
            ))
        }
    }
    Ok(Request::new(Endpoint::MediaUpload).with_query("type", "image".into()))
}

fn media_get(i: &Input) -> Result<Request> {
    let media_id = i.str(&["mediaId"])?;
    let media_id = required_id(&media_id, "mediaId")?;
    Ok(Request::new(Endpoint::MediaGet).with_query("media_id", media_id.into()))
}
