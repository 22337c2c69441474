//! Every endpoint the package calls, in one table (method and path; the host is the client's).

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// The endpoints, one per row of [`ROUTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    StableToken,
    CustomSend,
    BusinessSend,
    Typing,
    BusinessTyping,
    GetKfList,
    GetOnlineKfList,
    AddKfAccount,
    DeleteKfAccount,
    SetKfAdmin,
    CancelKfAdmin,
    RegisterBusiness,
    UpdateBusiness,
    GetBusiness,
    ListBusiness,
    MediaUpload,
    MediaGet,
    /// Dialogue open platform (chatbot.weixin.qq.com); the bot's TOKEN follows the path.
    ChatbotSendMsg,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub endpoint: Endpoint,
    pub name: &'static str,
    pub method: Method,
    pub path: &'static str,
}

const fn route(
    endpoint: Endpoint,
    name: &'static str,
    method: Method,
    path: &'static str,
) -> Route {
    Route {
        endpoint,
        name,
        method,
        path,
    }
}

use Method::{Get, Post};

/// The path table (docs/protocol.md#endpoints, docs/protocol.md#dialogue-platform).
pub const ROUTES: &[Route] = &[
    route(Endpoint::Token, "token", Get, "/cgi-bin/token"),
    route(
        Endpoint::StableToken,
        "stableToken",
        Post,
        "/cgi-bin/stable_token",
    ),
    route(
        Endpoint::CustomSend,
        "customSend",
        Post,
        "/cgi-bin/message/custom/send",
    ),
    route(
        Endpoint::BusinessSend,
        "businessSend",
        Post,
        "/cgi-bin/message/custom/business/send",
    ),
    route(
        Endpoint::Typing,
        "typing",
        Post,
        "/cgi-bin/message/custom/typing",
    ),
    route(
        Endpoint::BusinessTyping,
        "businessTyping",
        Post,
        "/cgi-bin/message/custom/business/typing",
    ),
    route(
        Endpoint::GetKfList,
        "getKfList",
        Get,
        "/cgi-bin/customservice/getkflist",
    ),
    route(
        Endpoint::GetOnlineKfList,
        "getOnlineKfList",
        Get,
        "/cgi-bin/customservice/getonlinekflist",
    ),
    route(
        Endpoint::AddKfAccount,
        "addKfAccount",
        Post,
        "/customservice/kfaccount/add",
    ),
    route(
        Endpoint::DeleteKfAccount,
        "deleteKfAccount",
        Get,
        "/customservice/kfaccount/del",
    ),
    route(
        Endpoint::SetKfAdmin,
        "setKfAdmin",
        Get,
        "/customservice/kfaccount/setadmin",
    ),
    route(
        Endpoint::CancelKfAdmin,
        "cancelKfAdmin",
        Get,
        "/customservice/kfaccount/canceladmin",
    ),
    route(
        Endpoint::RegisterBusiness,
        "registerBusiness",
        Post,
        "/cgi-bin/business/register",
    ),
    route(
        Endpoint::UpdateBusiness,
        "updateBusiness",
        Post,
        "/cgi-bin/business/update",
    ),
    route(
        Endpoint::GetBusiness,
        "getBusiness",
        Post,
        "/cgi-bin/business/get",
    ),
    route(
        Endpoint::ListBusiness,
        "listBusiness",
        Post,
        "/cgi-bin/business/list",
    ),
    route(
        Endpoint::MediaUpload,
        "mediaUpload",
        Post,
        "/cgi-bin/media/upload",
    ),
    route(Endpoint::MediaGet, "mediaGet", Get, "/cgi-bin/media/get"),
    route(
        Endpoint::ChatbotSendMsg,
        "chatbotSendMsg",
        Post,
        "/openapi/sendmsg/",
    ),
];

impl Endpoint {
    /// This endpoint's row of [`ROUTES`].
    pub fn route(self) -> &'static Route {
        // Every endpoint has exactly one row (checked by a test); the fallback is unreachable.
        ROUTES
            .iter()
            .find(|r| r.endpoint == self)
            .unwrap_or(&ROUTES[0])
    }

    pub fn method(self) -> Method {
        self.route().method
    }

    pub fn path(self) -> &'static str {
        self.route().path
    }
}
