//! The catalog of platform errcodes: each maps to a stable kind, a hint in plain words and
//! whether the same call may succeed later (`retryable`).

use alloc::borrow::Cow;
use alloc::string::String;

use crate::error::{Details, Error, ErrorKind};

/// One catalogued errcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiErrorInfo {
    pub code: i32,
    pub kind: &'static str,
    pub hint: &'static str,
    pub retryable: bool,
}

const fn e(code: i32, kind: &'static str, retryable: bool, hint: &'static str) -> ApiErrorInfo {
    ApiErrorInfo {
        code,
        kind,
        hint,
        retryable,
    }
}

/// What an errcode outside the catalog maps to (its code stays the errcode).
pub const UNKNOWN: ApiErrorInfo = e(
    0,
    "UnknownApiError",
    false,
    "an errcode this package does not know: see the platform's errmsg",
);

/// Every catalogued errcode (docs/protocol.md#api-errors, docs/protocol.md#access-token,
/// docs/protocol.md#dialogue-platform).
pub const CATALOG: &[ApiErrorInfo] = &[
    e(-1, "SystemBusy", true, "the platform is busy: retry after a short wait"),
    // access token
    e(40001, "InvalidCredential", true, "the access_token is invalid or the AppSecret is wrong: refresh the token and retry once; if it persists, check appId/appSecret"),
    e(40014, "InvalidAccessToken", true, "the access_token is not valid: refresh the token and retry once"),
    e(42001, "AccessTokenExpired", true, "the access_token has expired: refresh the token and retry once"),
    e(40013, "InvalidAppId", false, "the appid is not valid: check the appId option"),
    e(40125, "InvalidAppSecret", false, "the AppSecret is not valid: check the appSecret option (reset it in the console if needed)"),
    e(40164, "IpNotWhitelisted", false, "this server's IP is not in the account's API IP whitelist: add it in the console"),
    // sending
    e(40002, "InvalidGrantType", false, "the credential type is not valid"),
    e(40003, "InvalidOpenId", false, "the openid is not valid: is it an openid of another mini program or account?"),
    e(45015, "SendWindowExpired", false, "the reply window is over: the user has not sent a message in the last 48 hours (or entered the session in the last minute)"),
    e(45047, "SendQuotaExceeded", false, "the number of messages allowed since the user's last action is used up: wait for the user to write again"),
    e(48001, "ApiUnauthorized", false, "this account is not authorised for this API: check the account's permissions (or third-party platform authorisation)"),
    // typing
    e(45072, "InvalidTypingCommand", false, "command must be 'Typing' or 'CancelTyping'"),
    e(45080, "TypingWithoutInteraction", false, "typing can only be shown within 30 seconds of a message exchange with the user"),
    e(45081, "AlreadyTyping", false, "the typing state is already shown: do not send Typing again"),
    // kf accounts
    e(65400, "KfApiUnavailable", false, "the API is not available: the new customer service feature is not enabled for this account"),
    e(65401, "InvalidKfAccount", false, "the customer service account is not valid"),
    e(65402, "KfAccountNotBound", false, "the customer service account is not bound to a WeChat user yet"),
    e(65403, "InvalidKfNickname", false, "the customer service nickname is not valid"),
    e(65404, "InvalidKfAccountName", false, "the customer service account name is not valid"),
    e(65405, "KfAccountLimitReached", false, "the number of customer service accounts has reached its limit (100)"),
    e(65406, "KfAccountExists", false, "this customer service account already exists"),
    e(65407, "KfAlreadyMember", false, "the invited WeChat user is already customer service of this mini program"),
    e(65408, "KfInvitationExists", false, "this mini program has already invited that WeChat user"),
    e(65409, "InvalidKfWechatId", false, "the WeChat id (kf_wx) is not valid"),
    e(65410, "KfInviteeBindLimit", false, "the invited WeChat user is bound to too many accounts"),
    e(65411, "KfInvitationPending", false, "the account already has an invitation waiting for confirmation: do not invite again"),
    e(65412, "KfAccountAlreadyBound", false, "the account is already bound to a WeChat user and cannot be invited"),
    e(65413, "NoUserSession", false, "there is no session for this user"),
    e(65414, "UserServedByOtherKf", false, "the user is being served by another customer service account"),
    // media and sub-merchants
    e(40004, "InvalidMediaType", false, "the media type is wrong: icon_media_id must be an image uploaded with /cgi-bin/media/upload?type=image"),
    e(40005, "UnsupportedFileType", false, "the media file type is not supported"),
    e(40007, "InvalidMediaId", false, "the media_id is not valid (temporary media expire after 3 days): upload again"),
    e(40009, "InvalidImageSize", false, "the image file size is not valid"),
    e(45070, "BusinessAccountNameTaken", false, "a business with this account_name already exists (one account_name, one business_id)"),
    e(45071, "BusinessNotFound", false, "no business has this business_id / account_name"),
    e(45077, "BusinessLimitReached", false, "the number of sub-merchant businesses has reached its limit (500 unless raised)"),
    e(45078, "InvalidBusinessNickname", false, "the nickname breaks the rules: 4-30 characters (Chinese counts 2) of Chinese, letters and digits"),
    e(45079, "BusinessNicknameForbidden", false, "the nickname contains forbidden words"),
    e(45091, "InvalidBusinessAccountName", false, "account_name breaks the rules: 6-30 letters, digits or underscores"),
    // dialogue open platform (chatbot)
    e(1001, "ChatbotTokenInvalid", false, "the bot's TOKEN is not valid: check the token in the sendmsg URL"),
    e(1002, "ChatbotNotApproved", false, "the bot has not passed review"),
    e(1003, "ChatbotSignatureNoUserId", false, "the signature lacks the userid field"),
    e(1004, "ChatbotSignatureEmpty", false, "the encrypt field is empty: send {\"encrypt\": <ciphertext>}"),
    e(1005, "ChatbotSignatureInvalid", false, "the encrypted payload is expired or not valid: check the EncodingAESKey and APPID, and send the bare ciphertext, not the XML envelope"),
    e(1006, "ChatbotSignatureCheckFailed", false, "the signature check failed (userid missing)"),
    e(1007, "ChatbotMissingFields", false, "appid, category, label and desc must not be empty"),
    e(1008, "ChatbotMissingMessageFields", false, "appid, openid and msg must not be empty (appid is required for channels 0, 5 and 6)"),
];

/// The catalog entry of an errcode, or [`UNKNOWN`].
pub fn lookup(code: i32) -> &'static ApiErrorInfo {
    CATALOG.iter().find(|i| i.code == code).unwrap_or(&UNKNOWN)
}

/// The error for a platform errcode with its errmsg: message "errmsg (errcode N): hint".
pub fn api_error(code: i32, errmsg: &str) -> Error {
    let info = lookup(code);
    let mut message = String::with_capacity(errmsg.len() + info.hint.len() + 24);
    message.push_str(if errmsg.is_empty() { info.kind } else { errmsg });
    message.push_str(" (errcode ");
    push_int(&mut message, code);
    message.push_str("): ");
    message.push_str(info.hint);
    Error::with_message(ErrorKind::Api, message).with_details(Details {
        code: Some(code),
        kind: Some(info.kind),
        errmsg: Some(String::from(errmsg)),
        hint: Some(info.hint),
        retryable: Some(info.retryable),
        field: None::<Cow<'static, str>>,
    })
}

fn push_int(out: &mut String, n: i32) {
    use core::fmt::Write;
    let _ = write!(out, "{n}");
}
