//! Responses: success passes, every catalogued errcode maps to its kind, hint and retryable
//! flag, unknown ones keep their code, and non-JSON answers are ParseJson.

use wechat_kf::api::{check_response, lookup, CATALOG};

/// (errcode, kind, retryable): the catalog the brief requires, written out independently.
const EXPECTED: &[(i32, &str, bool)] = &[
    (-1, "SystemBusy", true),
    (40001, "InvalidCredential", true),
    (40003, "InvalidOpenId", false),
    (45015, "SendWindowExpired", false),
    (45047, "SendQuotaExceeded", false),
    (48001, "ApiUnauthorized", false),
    (45072, "InvalidTypingCommand", false),
    (45080, "TypingWithoutInteraction", false),
    (45081, "AlreadyTyping", false),
    (65400, "KfApiUnavailable", false),
    (65401, "InvalidKfAccount", false),
    (65402, "KfAccountNotBound", false),
    (65403, "InvalidKfNickname", false),
    (65404, "InvalidKfAccountName", false),
    (65405, "KfAccountLimitReached", false),
    (65406, "KfAccountExists", false),
    (65407, "KfAlreadyMember", false),
    (65408, "KfInvitationExists", false),
    (65409, "InvalidKfWechatId", false),
    (65410, "KfInviteeBindLimit", false),
    (65411, "KfInvitationPending", false),
    (65412, "KfAccountAlreadyBound", false),
    (65413, "NoUserSession", false),
    (65414, "UserServedByOtherKf", false),
    (40004, "InvalidMediaType", false),
    (40005, "UnsupportedFileType", false),
    (40007, "InvalidMediaId", false),
    (40009, "InvalidImageSize", false),
    (45070, "BusinessAccountNameTaken", false),
    (45071, "BusinessNotFound", false),
    (45077, "BusinessLimitReached", false),
    (45078, "InvalidBusinessNickname", false),
    (45079, "BusinessNicknameForbidden", false),
    (45091, "InvalidBusinessAccountName", false),
    (42001, "AccessTokenExpired", true),
    (1001, "ChatbotTokenInvalid", false),
    (1002, "ChatbotNotApproved", false),
    (1003, "ChatbotSignatureNoUserId", false),
    (1004, "ChatbotSignatureEmpty", false),
    (1005, "ChatbotSignatureInvalid", false),
    (1006, "ChatbotSignatureCheckFailed", false),
    (1007, "ChatbotMissingFields", false),
    (1008, "ChatbotMissingMessageFields", false),
];

#[test]
fn every_required_errcode_maps() {
    for &(code, kind, retryable) in EXPECTED {
        let json = format!(r#"{{"errcode":{code},"errmsg":"platform says {code}"}}"#);
        let err = check_response(&json).expect_err(&json);
        assert_eq!(err.code(), code);
        assert_eq!(err.kind_str(), kind, "{code}");
        let d = err.details().expect("details");
        assert_eq!(d.retryable, Some(retryable), "{code}");
        assert_eq!(
            d.errmsg.as_deref(),
            Some(format!("platform says {code}").as_str())
        );
        assert!(d.hint.is_some_and(|h| h.len() > 10), "{code}");
        assert!(
            err.message().contains(&format!("errcode {code}")),
            "{}",
            err.message()
        );
    }
}

#[test]
fn catalog_has_unique_codes_and_kinds() {
    for (i, a) in CATALOG.iter().enumerate() {
        for b in &CATALOG[i + 1..] {
            assert_ne!(a.code, b.code);
            assert_ne!(a.kind, b.kind);
        }
        assert_eq!(lookup(a.code), a);
    }
}

#[test]
fn success_and_unknown() {
    assert!(check_response(r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
    assert!(check_response(r#"{"access_token":"T","expires_in":7200}"#).is_ok());
    assert!(check_response(r#"{"errcode":0,"msg":"Success"}"#).is_ok());
    let err = check_response(r#"{"errcode":99999,"errmsg":"new"}"#).unwrap_err();
    assert_eq!((err.code(), err.kind_str()), (99999, "UnknownApiError"));
    let err = check_response(r#"{"errcode":45015}"#).unwrap_err();
    assert_eq!(err.details().unwrap().errmsg.as_deref(), Some(""));
    for bad in [
        "",
        "<xml/>",
        "[]",
        r#"{"errcode":"x"}"#,
        r#"{"errcode":1.5}"#,
        "{",
    ] {
        assert_eq!(check_response(bad).unwrap_err().code(), -40012, "{bad}");
    }
}
