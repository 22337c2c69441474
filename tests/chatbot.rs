//! Dialogue platform: payload XML, rich msg forms (whole strings), encryption to
//! `{"encrypt": ...}` and back, the platform-side checks (1004, 1005, 1008), callbacks.

use wechat_kf::chatbot::{build_msg, parse_payload_xml, ChatbotCrypt, Payload};

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const R: [u8; 16] = *b"0123456789abcdef";

fn bot() -> ChatbotCrypt {
    ChatbotCrypt::new("TOKEN_1", KEY, "BOTAPPID").unwrap()
}

#[test]
fn payload_xml_in_document_order() {
    let p = Payload::from_json(
        r#"{"appId":"wxxxxx","openid":"xxxxx","msg":"Hello. How can I help you?","channel":0,
            "kefuname":"Customer Service Nickname","kefuavatar":"https://x/a.png",
            "ansNodeName":"Category or Skill Name","event":"waiterEnter"}"#,
    )
    .unwrap();
    assert_eq!(
        p.to_xml().unwrap(),
        "<xml><appid><![CDATA[wxxxxx]]></appid><openid><![CDATA[xxxxx]]></openid>\
         <msg><![CDATA[Hello. How can I help you?]]></msg><channel>0</channel>\
         <event><![CDATA[waiterEnter]]></event>\
         <kefuname><![CDATA[Customer Service Nickname]]></kefuname>\
         <kefuavatar><![CDATA[https://x/a.png]]></kefuavatar>\
         <ans_node_name><![CDATA[Category or Skill Name]]></ans_node_name></xml>"
    );
    let minimal = Payload::from_json(r#"{"openid":"o","msg":"m]]>x","channel":7}"#).unwrap();
    assert_eq!(
        minimal.to_xml().unwrap(),
        "<xml><openid><![CDATA[o]]></openid><msg><![CDATA[m]]]]><![CDATA[>x]]></msg><channel>7</channel></xml>"
    );
    assert_eq!(
        parse_payload_xml(&minimal.to_xml().unwrap()).unwrap(),
        minimal
    );
    assert_eq!(parse_payload_xml(&p.to_xml().unwrap()).unwrap(), p);
}

#[test]
fn payload_validation() {
    let cases: &[(&str, i32, &str)] = &[
        (r#"{"msg":"m","channel":7}"#, -42001, "openid"),
        (r#"{"openid":"o","channel":7}"#, -42001, "msg"),
        (r#"{"openid":"o","msg":"m"}"#, -42001, "channel"),
        (r#"{"openid":"o","msg":"m","channel":1}"#, -42002, "channel"),
        (r#"{"openid":"o","msg":"m","channel":8}"#, -42002, "channel"),
        (r#"{"openid":"o","msg":"m","channel":0}"#, -42001, "appId"),
        (
            r#"{"openid":"o","msg":"m","channel":5,"appId":""}"#,
            -42001,
            "appId",
        ),
        (r#"{"openid":"o","msg":"m","channel":6}"#, -42001, "appId"),
        (
            r#"{"openid":"o","msg":"m","channel":7,"event":"waiterLeave"}"#,
            -42002,
            "event",
        ),
    ];
    for &(json, code, field) in cases {
        let err = Payload::from_json(json).unwrap_err();
        assert_eq!(err.code(), code, "{json}");
        assert_eq!(
            err.details().unwrap().field.as_deref(),
            Some(field),
            "{json}"
        );
    }
    for ev in [
        "waiterQualityEvaluate",
        "waiterEnter",
        "waiterSwitch",
        "waiterQuit",
    ] {
        let json = format!(r#"{{"openid":"o","msg":"m","channel":2,"event":"{ev}"}}"#);
        assert!(Payload::from_json(&json).is_ok());
    }
}

#[test]
fn rich_msg_forms() {
    assert_eq!(
        build_msg("text", r#"{"content":" Hello, may I help you? "}"#).unwrap(),
        " Hello, may I help you? "
    );
    assert_eq!(
        build_msg("textWithMenu", r#"{"text":"We have not found the answer.","questions":[
            {"content":"How many degrees in Beijing today","id":"q1","label":"Beijing today?"},
            {"content":"满意"}]}"#).unwrap(),
        "We have not found the answer.\n\
         <a href=\"weixin://bizmsgmenu?msgmenucontent=How many degrees in Beijing today&msgmenuid=q1\">Beijing today?</a>\n\
         <a href=\"weixin://bizmsgmenu?msgmenucontent=满意&msgmenuid=满意\">满意</a>"
    );
    assert_eq!(
        build_msg("hyperlink", r#"{"before":"Please go to ","text":"openai","url":"https://chatbot.weixin.qq.com/","after":" to configure"}"#).unwrap(),
        "Please go to <a href=\"https://chatbot.weixin.qq.com/\">openai</a> to configure"
    );
    assert_eq!(
        build_msg("news", r#"{"articles":[{"title":"T","description":"D","url":"https://news.qq.com/a.htm","picUrl":"http://mmbiz.qpic.cn/x/0?wx_fmt=jpeg","type":"h5"}]}"#).unwrap(),
        r#"{"news":{"articles":[{"title":"T","description":"D","url":"https://news.qq.com/a.htm","picurl":"http://mmbiz.qpic.cn/x/0?wx_fmt=jpeg","type":"h5"}]}}"#
    );
    assert_eq!(
        build_msg(
            "news",
            r#"{"articles":[{"title":"T","url":"https://mp.weixin.qq.com/s/x","type":"mp"}]}"#
        )
        .unwrap(),
        r#"{"news":{"articles":[{"title":"T","url":"https://mp.weixin.qq.com/s/x","type":"mp"}]}}"#
    );
    let image = build_msg(
        "image",
        r#"{"mediaId":"KegpipQG9t","url":"http://mmbiz.qpic.cn/a/0"}"#,
    )
    .unwrap();
    assert_eq!(
        image,
        r#"{"image":{"media_id":"KegpipQG9t","url":"http://mmbiz.qpic.cn/a/0"}}"#
    );
    let page = build_msg("miniProgramPage", r#"{"title":"OpenAI","appId":"wx8c631f7e9f2465e1","pagePath":"pages/index/index","thumbMediaId":"Keg","thumbUrl":"http://mmbiz.qpic.cn/b/0"}"#).unwrap();
    assert_eq!(
        page,
        r#"{"miniprogrampage":{"title":"OpenAI","appid":"wx8c631f7e9f2465e1","pagepath":"pages/index/index","thumb_media_id":"Keg","thumb_url":"http://mmbiz.qpic.cn/b/0"}}"#
    );
    let multi = build_msg(
        "multimsg",
        &serde_json::json!({ "parts": ["Hello,", image, page, "{not json"] }).to_string(),
    )
    .unwrap();
    assert_eq!(
        multi,
        format!(r#"{{"multimsg":["Hello,",{image},{page},"{{not json"]}}"#)
    );
}

#[test]
fn rich_msg_validation() {
    let cases: &[(&str, &str, i32)] = &[
        ("text", "{}", -42001),
        ("textWithMenu", r#"{"text":"t"}"#, -42001),
        (
            "textWithMenu",
            r#"{"text":"t","questions":[{"content":"a\"b"}]}"#,
            -42002,
        ),
        (
            "textWithMenu",
            r#"{"text":"t","questions":[{"content":"a&b"}]}"#,
            -42002,
        ),
        ("hyperlink", r#"{"text":"x","url":"weixin://x"}"#, -42002),
        ("hyperlink", r#"{"url":"https://a.b"}"#, -42001),
        ("news", r#"{"articles":[]}"#, -42001),
        (
            "news",
            r#"{"articles":[{"title":"T","url":"https://a.b","type":"pdf"}]}"#,
            -42002,
        ),
        (
            "news",
            r#"{"articles":[{"title":"T","url":"nope"}]}"#,
            -42002,
        ),
        ("image", r#"{"url":"https://a.b"}"#, -42001),
        ("miniProgramPage", r#"{"title":"t","pagePath":"p"}"#, -42001),
        ("multimsg", r#"{"parts":[]}"#, -42001),
        ("nope", "{}", -42003),
    ];
    for &(kind, json, code) in cases {
        assert_eq!(
            build_msg(kind, json).unwrap_err().code(),
            code,
            "{kind} {json}"
        );
    }
}

#[test]
fn sendmsg_round_trip() {
    let p =
        Payload::from_json(r#"{"appId":"wx1","openid":"o1","msg":"你好","channel":0}"#).unwrap();
    let req = bot().sendmsg(&p, &R).unwrap();
    assert_eq!(req.path, "/openapi/sendmsg/TOKEN_1");
    let body = req.body.clone().unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let encrypt = v["encrypt"].as_str().unwrap();
    assert_eq!(v.as_object().unwrap().len(), 1);
    assert_eq!(encrypt, bot().encrypt_payload(&p, &R).unwrap());
    // the bare ciphertext decrypts to the payload XML with the bot APPID as receiveid
    let crypt = wechat_kf::WxBizMsgCrypt::new("TOKEN_1", KEY, "BOTAPPID").unwrap();
    assert_eq!(
        crypt.decrypt(encrypt).unwrap().plaintext,
        p.to_xml().unwrap()
    );
    assert_eq!(bot().open_sendmsg(&body).unwrap(), p);
}

#[test]
fn platform_side_rejections() {
    let b = bot();
    assert_eq!(b.open_sendmsg("nope").unwrap_err().code(), 1004);
    assert_eq!(b.open_sendmsg("{}").unwrap_err().code(), 1004);
    assert_eq!(
        b.open_sendmsg(r#"{"encrypt":""}"#).unwrap_err().code(),
        1004
    );
    assert_eq!(
        b.open_sendmsg(r#"{"encrypt":"AAAA"}"#).unwrap_err().code(),
        1005
    );
    // encrypted for another APPID
    let other = ChatbotCrypt::new("TOKEN_1", KEY, "OTHER").unwrap();
    let p = Payload::from_json(r#"{"openid":"o","msg":"m","channel":7}"#).unwrap();
    let body = other.sendmsg(&p, &R).unwrap().body.unwrap();
    assert_eq!(b.open_sendmsg(&body).unwrap_err().code(), 1005);
    // the XML envelope instead of the bare ciphertext
    let crypt = wechat_kf::WxBizMsgCrypt::new("TOKEN_1", KEY, "BOTAPPID").unwrap();
    let raw = crypt
        .encrypt(
            "<xml><openid><![CDATA[o]]></openid><channel>0</channel></xml>",
            &R,
        )
        .unwrap();
    let err = b
        .open_sendmsg(&format!(r#"{{"encrypt":"{raw}"}}"#))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.kind_str()),
        (1008, "ChatbotMissingMessageFields")
    );
    let raw = crypt.encrypt("not xml", &R).unwrap();
    assert_eq!(
        b.open_sendmsg(&format!(r#"{{"encrypt":"{raw}"}}"#))
            .unwrap_err()
            .code(),
        1005
    );
    let raw = crypt
        .encrypt(
            "<xml><openid>o</openid><msg>m</msg><channel>x</channel></xml>",
            &R,
        )
        .unwrap();
    assert_eq!(
        b.open_sendmsg(&format!(r#"{{"encrypt":"{raw}"}}"#))
            .unwrap_err()
            .code(),
        1008
    );
}

#[test]
fn callbacks_decrypt() {
    let b = bot();
    let body = b.encrypt_callback(r#"{"event":"x"}"#, &R).unwrap();
    assert!(body.starts_with(r#"{"encrypted":""#));
    assert_eq!(b.decrypt_callback(&body).unwrap(), r#"{"event":"x"}"#);
    let raw: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        b.decrypt_callback(raw["encrypted"].as_str().unwrap())
            .unwrap(),
        r#"{"event":"x"}"#
    );
    assert_eq!(b.decrypt_callback("{}").unwrap_err().code(), -40012);
    assert_eq!(b.decrypt_callback("{").unwrap_err().code(), -40012);
    assert_eq!(b.decrypt_callback("%%%").unwrap_err().code(), -40010);
}

#[test]
fn bot_options_are_checked() {
    for (err, name) in [
        (ChatbotCrypt::new("", KEY, "A").unwrap_err(), "token"),
        (ChatbotCrypt::new("a/b", KEY, "A").unwrap_err(), "token"),
        (ChatbotCrypt::new("T", KEY, "").unwrap_err(), "appId"),
    ] {
        assert_eq!(err.code(), -41006, "{err}");
        assert_eq!(err.details().unwrap().field.as_deref(), Some(name));
        assert!(err.message().contains(name), "{err}");
    }
    assert_eq!(
        ChatbotCrypt::new("T", "short", "A").unwrap_err().code(),
        -40004
    );
}

#[test]
fn near_miss_field_names_are_refused_naming_the_right_one() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("image", r#"{"media_id":"m"}"#, "media_id", "mediaId"),
        ("image", r#"{"MediaId":"m"}"#, "MediaId", "mediaId"),
        (
            "miniProgramPage",
            r#"{"title":"t","appId":"wx1","pagepath":"p"}"#,
            "pagepath",
            "pagePath",
        ),
        (
            "miniProgramPage",
            r#"{"title":"t","appid":"wx1","pagePath":"p"}"#,
            "appid",
            "appId",
        ),
        (
            "miniProgramPage",
            r#"{"title":"t","appId":"wx1","pagePath":"p","thumb_media_id":"m"}"#,
            "thumb_media_id",
            "thumbMediaId",
        ),
        (
            "miniProgramPage",
            r#"{"title":"t","appId":"wx1","pagePath":"p","thumb_url":"http://a.b/c"}"#,
            "thumb_url",
            "thumbUrl",
        ),
        (
            "news",
            r#"{"articles":[{"title":"T","url":"https://a.b/","picurl":"https://a.b/1.jpg"}]}"#,
            "picurl",
            "picUrl",
        ),
    ];
    for &(kind, input, wrong, right) in cases {
        let err = build_msg(kind, input).expect_err(input);
        assert_eq!(err.code(), -42002, "{input}: {err}");
        assert_eq!(err.details().and_then(|d| d.field.as_deref()), Some(wrong));
        assert!(
            err.to_string().contains(&format!("did you mean {right}?")),
            "{err}"
        );
    }
    for (json, wrong, right) in [
        (
            r#"{"openid":"o","msg":"m","channel":0,"appid":"wx1"}"#,
            "appid",
            "appId",
        ),
        (
            r#"{"openid":"o","msg":"m","channel":7,"ans_node_name":"n"}"#,
            "ans_node_name",
            "ansNodeName",
        ),
    ] {
        let err = Payload::from_json(json).unwrap_err();
        assert_eq!(err.code(), -42002, "{json}: {err}");
        assert_eq!(err.details().and_then(|d| d.field.as_deref()), Some(wrong));
        assert!(
            err.to_string().contains(&format!("did you mean {right}?")),
            "{err}"
        );
    }
    // multimsg still reads back the builders' own (platform-named) output
    let page = build_msg(
        "miniProgramPage",
        r#"{"title":"t","appId":"wx1","pagePath":"p","thumbMediaId":"m"}"#,
    )
    .unwrap();
    let image = build_msg("image", r#"{"mediaId":"M"}"#).unwrap();
    let parts = format!(
        r#"{{"parts":[{},{}]}}"#,
        serde_json::to_string(&page).unwrap(),
        serde_json::to_string(&image).unwrap()
    );
    let multi = build_msg("multimsg", &parts).unwrap();
    assert_eq!(multi, format!(r#"{{"multimsg":[{page},{image}]}}"#));
}
