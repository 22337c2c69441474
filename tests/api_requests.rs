//! Request builders: whole descriptors (method, path, query, exact body) for every builder,
//! and the validation table (each bad input -> its code and field, before any request).

use wechat_kf::api::{build, Endpoint, ROUTES};

fn req(name: &str, input: &str) -> String {
    match build(name, input) {
        Ok(r) => r.to_json(),
        Err(e) => panic!("{name} {input}: {e}"),
    }
}

fn expect(name: &str, input: &str, method: &str, path: &str, query: &str, body: Option<&str>) {
    let body = match body {
        Some(b) => serde_json::to_string(b).unwrap(),
        None => "null".into(),
    };
    let want = format!(r#"{{"method":"{method}","path":"{path}","query":{query},"body":{body}}}"#);
    assert_eq!(req(name, input), want, "{name} {input}");
}

#[test]
fn send_bodies_match_the_documents() {
    expect(
        "sendText",
        r#"{"touser":"OPENID","content":"Hello World"}"#,
        "POST",
        "/cgi-bin/message/custom/send",
        "{}",
        Some(r#"{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"}}"#),
    );
    expect(
        "sendText",
        r#"{"touser":"OPENID","content":"Hello World","businessId":1}"#,
        "POST",
        "/cgi-bin/message/custom/business/send",
        "{}",
        Some(
            r#"{"touser":"OPENID","businessid":1,"msgtype":"text","text":{"content":"Hello World"}}"#,
        ),
    );
    expect(
        "sendImage",
        r#"{"touser":"OPENID","mediaId":"MEDIA_ID"}"#,
        "POST",
        "/cgi-bin/message/custom/send",
        "{}",
        Some(r#"{"touser":"OPENID","msgtype":"image","image":{"media_id":"MEDIA_ID"}}"#),
    );
    expect(
        "sendImage",
        r#"{"touser":"OPENID","mediaId":"MEDIA_ID","businessId":"42"}"#,
        "POST",
        "/cgi-bin/message/custom/business/send",
        "{}",
        Some(
            r#"{"touser":"OPENID","businessid":42,"msgtype":"image","image":{"media_id":"MEDIA_ID"}}"#,
        ),
    );
    expect(
        "sendLink",
        r#"{"touser":"OPENID","title":"Happy Day","description":"Is Really A Happy Day","url":"https://example.com/a?b=1","thumbUrl":"http://mmbiz.qpic.cn/x/0"}"#,
        "POST",
        "/cgi-bin/message/custom/send",
        "{}",
        Some(
            r#"{"touser":"OPENID","msgtype":"link","link":{"title":"Happy Day","description":"Is Really A Happy Day","url":"https://example.com/a?b=1","thumb_url":"http://mmbiz.qpic.cn/x/0"}}"#,
        ),
    );
    expect(
        "sendMiniProgramPage",
        r#"{"touser":"OPENID","title":"title","pagePath":"pages/index/index?x=1","thumbMediaId":"thumb_media_id"}"#,
        "POST",
        "/cgi-bin/message/custom/send",
        "{}",
        Some(
            r#"{"touser":"OPENID","msgtype":"miniprogrampage","miniprogrampage":{"title":"title","pagepath":"pages/index/index?x=1","thumb_media_id":"thumb_media_id"}}"#,
        ),
    );
}

/// Every documented input field of every builder.
const FIELDS: &[(&str, &[&str])] = &[
    ("sendText", &["touser", "content", "businessId"]),
    ("sendImage", &["touser", "mediaId", "businessId"]),
    (
        "sendLink",
        &[
            "touser",
            "title",
            "description",
            "url",
            "thumbUrl",
            "businessId",
        ],
    ),
    (
        "sendMiniProgramPage",
        &["touser", "title", "pagePath", "thumbMediaId", "businessId"],
    ),
    ("typing", &["touser", "command", "businessId"]),
    ("getKfList", &["businessId"]),
    ("getOnlineKfList", &["businessId"]),
    ("addKfAccount", &["kfWx", "businessId"]),
    ("deleteKfAccount", &["kfOpenid", "businessId"]),
    ("setKfAdmin", &["kfOpenid", "businessId"]),
    ("cancelKfAdmin", &["kfOpenid", "businessId"]),
    (
        "registerBusiness",
        &["accountName", "nickname", "iconMediaId", "transferToCommkf"],
    ),
    ("updateBusiness", &["businessId", "nickname", "iconMediaId"]),
    ("getBusiness", &["businessId", "accountName"]),
    ("listBusiness", &["offset", "count"]),
    ("token", &["appId", "appSecret"]),
    ("stableToken", &["appId", "appSecret", "forceRefresh"]),
    ("mediaUpload", &["type"]),
    ("mediaGet", &["mediaId"]),
];

/// `pagePath` -> `page_path`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The near misses of a documented name: all lower case, snake_case, upper case, PascalCase.
fn near_misses(name: &str) -> Vec<String> {
    let mut pascal = name[..1].to_ascii_uppercase();
    pascal.push_str(&name[1..]);
    let mut out = vec![
        name.to_ascii_lowercase(),
        snake(name),
        name.to_ascii_uppercase(),
        pascal,
    ];
    out.retain(|v| v != name);
    out.sort();
    out.dedup();
    out
}

#[test]
fn near_misses_of_every_field_are_refused_naming_the_right_one() {
    for &(builder, fields) in FIELDS {
        for &field in fields {
            // the documented name passes the field check (it may fail later for its value)
            let ok = build(builder, &format!(r#"{{"{field}":"x"}}"#));
            if let Err(e) = ok {
                assert!(
                    !e.to_string().contains("unknown field"),
                    "{builder} {field}: {e}"
                );
            }
            for wrong in near_misses(field) {
                let input = format!(r#"{{"{wrong}":"x"}}"#);
                let err = build(builder, &input).expect_err(&format!("{builder} {input}"));
                assert_eq!(err.code(), -42002, "{builder} {input}: {err}");
                let got = err.details().and_then(|d| d.field.as_deref());
                assert_eq!(got, Some(wrong.as_str()), "{builder} {input}");
                let hint = format!("did you mean {field}?");
                assert!(err.to_string().contains(&hint), "{builder} {input}: {err}");
            }
        }
    }
    // the issue's own examples, with a valid value beside them
    for (builder, input, right) in [
        (
            "sendMiniProgramPage",
            r#"{"touser":"o","title":"t","pagepath":"p","thumbMediaId":"m"}"#,
            "pagePath",
        ),
        (
            "sendMiniProgramPage",
            r#"{"touser":"o","title":"t","pagePath":"p","thumb_media_id":"m"}"#,
            "thumbMediaId",
        ),
        ("sendImage", r#"{"touser":"o","media_id":"m"}"#, "mediaId"),
        ("token", r#"{"appid":"wx1","appSecret":"s"}"#, "appId"),
        ("stableToken", r#"{"appId":"wx1","secret":"s"}"#, ""),
    ] {
        let err = build(builder, input).expect_err(input);
        assert_eq!(err.code(), -42002, "{input}: {err}");
        if !right.is_empty() {
            assert!(
                err.to_string().contains(&format!("did you mean {right}?")),
                "{err}"
            );
        } else {
            assert!(
                err.to_string().contains("expected one of appId, appSecret"),
                "{err}"
            );
        }
    }
    // forceRefresh belongs to stableToken only (the types say so too)
    let err = build(
        "token",
        r#"{"appId":"wx1","appSecret":"s","forceRefresh":true}"#,
    )
    .unwrap_err();
    assert_eq!(err.code(), -42002, "{err}");
    // an unrelated unknown name gets the list without a guess
    let err = build("sendText", r#"{"touser":"o","content":"c","colour":"red"}"#).unwrap_err();
    assert!(!err.to_string().contains("did you mean"), "{err}");
}

#[test]
fn content_is_json_escaped_not_altered() {
    expect(
        "sendText",
        r#"{"touser":"o","content":"a\"b\\c\n</x>]]>你好"}"#,
        "POST",
        "/cgi-bin/message/custom/send",
        "{}",
        Some(r#"{"touser":"o","msgtype":"text","text":{"content":"a\"b\\c\n</x>]]>你好"}}"#),
    );
}

#[test]
fn typing_bodies() {
    expect(
        "typing",
        r#"{"touser":"OPENID","command":"Typing"}"#,
        "POST",
        "/cgi-bin/message/custom/typing",
        "{}",
        Some(r#"{"touser":"OPENID","command":"Typing"}"#),
    );
    expect(
        "typing",
        r#"{"touser":"OPENID"}"#,
        "POST",
        "/cgi-bin/message/custom/typing",
        "{}",
        Some(r#"{"touser":"OPENID","command":"Typing"}"#),
    );
    expect(
        "typing",
        r#"{"touser":"OPENID","command":"CancelTyping","businessId":1}"#,
        "POST",
        "/cgi-bin/message/custom/business/typing",
        "{}",
        Some(r#"{"businessid":1,"touser":"OPENID","command":"CancelTyping"}"#),
    );
}

#[test]
fn kf_account_requests() {
    expect(
        "getKfList",
        "{}",
        "GET",
        "/cgi-bin/customservice/getkflist",
        "{}",
        None,
    );
    expect(
        "getKfList",
        "null",
        "GET",
        "/cgi-bin/customservice/getkflist",
        "{}",
        None,
    );
    expect(
        "getKfList",
        r#"{"businessId":3}"#,
        "GET",
        "/cgi-bin/customservice/getkflist",
        r#"{"business_id":"3"}"#,
        None,
    );
    expect(
        "getOnlineKfList",
        "{}",
        "GET",
        "/cgi-bin/customservice/getonlinekflist",
        "{}",
        None,
    );
    expect(
        "addKfAccount",
        r#"{"kfWx":"test1","businessId":1}"#,
        "POST",
        "/customservice/kfaccount/add",
        "{}",
        Some(r#"{"kf_wx":"test1","business_id":1}"#),
    );
    expect(
        "addKfAccount",
        r#"{"kfWx":"test1"}"#,
        "POST",
        "/customservice/kfaccount/add",
        "{}",
        Some(r#"{"kf_wx":"test1"}"#),
    );
    expect(
        "deleteKfAccount",
        r#"{"kfOpenid":"KFOPENID"}"#,
        "GET",
        "/customservice/kfaccount/del",
        r#"{"kf_openid":"KFOPENID"}"#,
        None,
    );
    expect(
        "setKfAdmin",
        r#"{"kfOpenid":"KFOPENID","businessId":2}"#,
        "GET",
        "/customservice/kfaccount/setadmin",
        r#"{"kf_openid":"KFOPENID","business_id":"2"}"#,
        None,
    );
    expect(
        "cancelKfAdmin",
        r#"{"kfOpenid":"KFOPENID"}"#,
        "GET",
        "/customservice/kfaccount/canceladmin",
        r#"{"kf_openid":"KFOPENID"}"#,
        None,
    );
}

#[test]
fn business_requests() {
    expect(
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"苹果","iconMediaId":"media_id","transferToCommkf":true}"#,
        "POST",
        "/cgi-bin/business/register",
        "{}",
        Some(
            r#"{"account_name":"apple_1","nickname":"苹果","icon_media_id":"media_id","transfer_to_commkf":true}"#,
        ),
    );
    expect(
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"abcd","iconMediaId":"m"}"#,
        "POST",
        "/cgi-bin/business/register",
        "{}",
        Some(r#"{"account_name":"apple_1","nickname":"abcd","icon_media_id":"m"}"#),
    );
    expect(
        "updateBusiness",
        r#"{"businessId":1,"nickname":"苹果"}"#,
        "POST",
        "/cgi-bin/business/update",
        "{}",
        Some(r#"{"business_id":1,"nickname":"苹果","icon_media_id":""}"#),
    );
    expect(
        "updateBusiness",
        r#"{"businessId":1,"iconMediaId":"m2"}"#,
        "POST",
        "/cgi-bin/business/update",
        "{}",
        Some(r#"{"business_id":1,"nickname":"","icon_media_id":"m2"}"#),
    );
    expect(
        "getBusiness",
        r#"{"businessId":1}"#,
        "POST",
        "/cgi-bin/business/get",
        "{}",
        Some(r#"{"business_id":1}"#),
    );
    expect(
        "getBusiness",
        r#"{"accountName":"apple_1"}"#,
        "POST",
        "/cgi-bin/business/get",
        "{}",
        Some(r#"{"account_name":"apple_1"}"#),
    );
    expect(
        "listBusiness",
        r#"{"offset":0,"count":100}"#,
        "POST",
        "/cgi-bin/business/list",
        "{}",
        Some(r#"{"offset":0,"count":100}"#),
    );
    expect(
        "listBusiness",
        r#"{"offset":400,"count":200}"#,
        "POST",
        "/cgi-bin/business/list",
        "{}",
        Some(r#"{"offset":400,"count":200}"#),
    );
}

#[test]
fn token_and_media_requests() {
    expect(
        "token",
        r#"{"appId":"wx1","appSecret":"s3"}"#,
        "GET",
        "/cgi-bin/token",
        r#"{"grant_type":"client_credential","appid":"wx1","secret":"s3"}"#,
        None,
    );
    expect(
        "stableToken",
        r#"{"appId":"wx1","appSecret":"s3"}"#,
        "POST",
        "/cgi-bin/stable_token",
        "{}",
        Some(
            r#"{"grant_type":"client_credential","appid":"wx1","secret":"s3","force_refresh":false}"#,
        ),
    );
    expect(
        "stableToken",
        r#"{"appId":"wx1","appSecret":"s3","forceRefresh":true}"#,
        "POST",
        "/cgi-bin/stable_token",
        "{}",
        Some(
            r#"{"grant_type":"client_credential","appid":"wx1","secret":"s3","force_refresh":true}"#,
        ),
    );
    expect(
        "mediaUpload",
        "{}",
        "POST",
        "/cgi-bin/media/upload",
        r#"{"type":"image"}"#,
        None,
    );
    expect(
        "mediaGet",
        r#"{"mediaId":"M1"}"#,
        "GET",
        "/cgi-bin/media/get",
        r#"{"media_id":"M1"}"#,
        None,
    );
}

/// (builder, input, expected code, expected field or "")
const INVALID: &[(&str, &str, i32, &str)] = &[
    ("sendText", r#"{"content":"x"}"#, -42001, "touser"),
    (
        "sendText",
        r#"{"touser":"","content":"x"}"#,
        -42001,
        "touser",
    ),
    ("sendText", r#"{"touser":"o"}"#, -42001, "content"),
    (
        "sendText",
        r#"{"touser":"o","content":""}"#,
        -42001,
        "content",
    ),
    (
        "sendText",
        r#"{"touser":"o p","content":"x"}"#,
        -42002,
        "touser",
    ),
    (
        "sendText",
        r#"{"touser":"o","content":"x","businessId":-1}"#,
        -42002,
        "businessId",
    ),
    (
        "sendText",
        r#"{"touser":"o","content":"x","businessId":1.5}"#,
        -42002,
        "businessId",
    ),
    (
        "sendText",
        r#"{"touser":"o","content":"x","businessId":"1a"}"#,
        -42002,
        "businessId",
    ),
    (
        "sendText",
        r#"{"touser":"o","content":"x","businesId":1}"#,
        -42002,
        "businesId",
    ),
    (
        "sendText",
        r#"{"touser":1,"content":"x"}"#,
        -42002,
        "touser",
    ),
    ("sendText", r#"[1]"#, -42003, ""),
    ("sendText", r#"["o","x"]"#, -42003, ""),
    ("sendText", r#"{"touser":"#, -42003, ""),
    ("sendImage", r#"{"touser":"o"}"#, -42001, "mediaId"),
    (
        "sendImage",
        r#"{"touser":"o","mediaId":""}"#,
        -42001,
        "mediaId",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"u","thumbUrl":"http://x/y"}"#,
        -42002,
        "url",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"https://","thumbUrl":"http://x/y"}"#,
        -42002,
        "url",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"https://a b","thumbUrl":"http://x/y"}"#,
        -42002,
        "url",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"javascript:alert(1)","thumbUrl":"http://x/y"}"#,
        -42002,
        "url",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"https://a.b/","thumbUrl":"ftp://x/y"}"#,
        -42002,
        "thumbUrl",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"https://a.b:x/"}"#,
        -42002,
        "url",
    ),
    (
        "sendLink",
        r#"{"touser":"o","description":"d","url":"https://a.b/","thumbUrl":"http://x/y"}"#,
        -42001,
        "title",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","url":"https://a.b/","thumbUrl":"http://x/y"}"#,
        -42001,
        "description",
    ),
    (
        "sendLink",
        r#"{"touser":"o","title":"t","description":"d","url":"https://a.b/"}"#,
        -42001,
        "thumbUrl",
    ),
    (
        "sendMiniProgramPage",
        r#"{"touser":"o","title":"t","pagePath":"p"}"#,
        -42001,
        "thumbMediaId",
    ),
    (
        "sendMiniProgramPage",
        r#"{"touser":"o","pagePath":"p","thumbMediaId":"m"}"#,
        -42001,
        "title",
    ),
    (
        "sendMiniProgramPage",
        r#"{"touser":"o","title":"t","thumbMediaId":"m"}"#,
        -42001,
        "pagePath",
    ),
    (
        "typing",
        r#"{"touser":"o","command":"typing"}"#,
        -42002,
        "command",
    ),
    ("typing", r#"{}"#, -42001, "touser"),
    ("addKfAccount", r#"{}"#, -42001, "kfWx"),
    ("deleteKfAccount", r#"{}"#, -42001, "kfOpenid"),
    ("setKfAdmin", r#"{"kfOpenid":""}"#, -42001, "kfOpenid"),
    ("cancelKfAdmin", r#"{"businessId":1}"#, -42001, "kfOpenid"),
    (
        "registerBusiness",
        r#"{"nickname":"abcd","iconMediaId":"m"}"#,
        -42001,
        "accountName",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple","nickname":"abcd","iconMediaId":"m"}"#,
        -42002,
        "accountName",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"a234567890123456789012345678901","nickname":"abcd","iconMediaId":"m"}"#,
        -42002,
        "accountName",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple-pie","nickname":"abcd","iconMediaId":"m"}"#,
        -42002,
        "accountName",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"abc","iconMediaId":"m"}"#,
        -42002,
        "nickname",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"苹","iconMediaId":"m"}"#,
        -42002,
        "nickname",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"一二三四五六七八九十一二三四五六","iconMediaId":"m"}"#,
        -42002,
        "nickname",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"ab cd","iconMediaId":"m"}"#,
        -42002,
        "nickname",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"ab_cd","iconMediaId":"m"}"#,
        -42002,
        "nickname",
    ),
    (
        "registerBusiness",
        r#"{"accountName":"apple_1","nickname":"abcd"}"#,
        -42001,
        "iconMediaId",
    ),
    (
        "updateBusiness",
        r#"{"nickname":"abcd"}"#,
        -42001,
        "businessId",
    ),
    ("updateBusiness", r#"{"businessId":1}"#, -42001, "nickname"),
    (
        "updateBusiness",
        r#"{"businessId":1,"nickname":"abc"}"#,
        -42002,
        "nickname",
    ),
    ("getBusiness", r#"{}"#, -42001, "businessId"),
    (
        "getBusiness",
        r#"{"businessId":1,"accountName":"apple_1"}"#,
        -42002,
        "accountName",
    ),
    (
        "getBusiness",
        r#"{"accountName":"bad!name"}"#,
        -42002,
        "accountName",
    ),
    ("listBusiness", r#"{"offset":0}"#, -42001, "count"),
    ("listBusiness", r#"{"count":10}"#, -42001, "offset"),
    (
        "listBusiness",
        r#"{"offset":0,"count":201}"#,
        -42002,
        "count",
    ),
    ("listBusiness", r#"{"offset":0,"count":0}"#, -42002, "count"),
    ("token", r#"{"appId":"wx1"}"#, -42001, "appSecret"),
    ("mediaUpload", r#"{"type":"voice"}"#, -42002, "type"),
    ("mediaGet", r#"{"mediaId":""}"#, -42001, "mediaId"),
    ("noSuchBuilder", r#"{}"#, -42003, ""),
];

#[test]
fn invalid_inputs_get_codes_and_fields() {
    for &(name, input, code, field) in INVALID {
        let err = build(name, input).expect_err(&format!("{name} {input} should fail"));
        assert_eq!(err.code(), code, "{name} {input}: {err}");
        let got = err.details().and_then(|d| d.field.as_deref()).unwrap_or("");
        assert_eq!(got, field, "{name} {input}: {err}");
    }
}

#[test]
fn nickname_edges() {
    // 4 and 30 counted units are allowed; CJK counts 2
    for ok in [
        "abcd",
        "苹果",
        "苹ab",
        "一二三四五六七八九十一二三四五",
        "a23456789012345678901234567890",
    ] {
        let input = format!(r#"{{"accountName":"apple_1","nickname":"{ok}","iconMediaId":"m"}}"#);
        assert!(build("registerBusiness", &input).is_ok(), "{ok}");
    }
    for bad in [
        "苹a",
        "一二三四五六七八九十一二三四五a",
        "a234567890123456789012345678901",
    ] {
        let input = format!(r#"{{"accountName":"apple_1","nickname":"{bad}","iconMediaId":"m"}}"#);
        assert_eq!(
            build("registerBusiness", &input).unwrap_err().code(),
            -42002,
            "{bad}"
        );
    }
    // account_name: exactly 6 and 30
    for ok in ["abc_12", "a23456789012345678901234567890"] {
        let input = format!(r#"{{"accountName":"{ok}","nickname":"abcd","iconMediaId":"m"}}"#);
        assert!(build("registerBusiness", &input).is_ok(), "{ok}");
    }
}

#[test]
fn every_endpoint_has_one_route() {
    use Endpoint::*;
    for e in [
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
        ChatbotSendMsg,
    ] {
        assert_eq!(
            ROUTES.iter().filter(|r| r.endpoint == e).count(),
            1,
            "{e:?}"
        );
        assert_eq!(e.route().endpoint, e);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let inputs = [
        "",
        "null",
        "{",
        "[]",
        "\"x\"",
        "1e999",
        "{\"touser\":{}}",
        "{\"businessId\":18446744073709551616}",
        "{\"count\":1e300,\"offset\":-0}",
        "{\"touser\":\"\\ud800\"}",
    ];
    for name in wechat_kf::api::BUILDERS {
        for input in inputs {
            let _ = build(name, input);
        }
    }
}

#[test]
fn json_writer_escapes_like_serde_json() {
    use wechat_kf::api::json;
    for s in [
        "",
        "plain",
        "q\"uote",
        "back\\slash",
        "\n\r\t\u{8}\u{c}",
        "\u{0}\u{1f}\u{7f}",
        "中文😀",
        "</script>",
        "a/b",
        "\u{2028}",
    ] {
        assert_eq!(json::string(s), serde_json::to_string(s).unwrap(), "{s:?}");
    }
    let mut out = String::new();
    json::push_i64(&mut out, i64::MIN);
    assert_eq!(out, i64::MIN.to_string());
    let mut out = String::new();
    json::push_u64(&mut out, u64::MAX);
    assert_eq!(out, u64::MAX.to_string());
}
