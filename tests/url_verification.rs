//! URL verification's refusals name the query parameter at fault (`details.field`, which the
//! binding hands to JavaScript as `WxkfError.field`).

use wechat_kf::crypto::{check_echostr, UrlVerification, MAX_ECHOSTR};
use wechat_kf::push::{Limits, Receiver};
use wechat_kf::WxBizMsgCrypt;

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fn field(error: &wechat_kf::Error) -> Option<&str> {
    error.details().and_then(|d| d.field.as_deref())
}

#[test]
fn a_refused_echostr_names_the_echostr_field() {
    let long = "1".repeat(MAX_ECHOSTR + 1);
    for bad in [
        "",
        "<b>",
        "a&b",
        "a\"b",
        "it's",
        "tab\t",
        "客",
        long.as_str(),
    ] {
        let error = check_echostr(bad, "echostr").unwrap_err();
        assert_eq!(error.code(), -41004, "{bad:?}");
        assert_eq!(field(&error), Some("echostr"), "{bad:?}");
    }
    assert!(check_echostr("4375120948345356249", "echostr").is_ok());

    // Through the receiver, correctly signed: the same error.
    let crypt = WxBizMsgCrypt::new("token", KEY, "wxapp").unwrap();
    let receiver = Receiver::new(crypt, Limits::default());
    let echostr = "<script>";
    let signature = wechat_kf::crypto::hex_str(&wechat_kf::crypto::signature(
        "token",
        "1714036504",
        "7",
        None,
    ))
    .to_string();
    let request = UrlVerification {
        signature: Some(&signature),
        msg_signature: None,
        timestamp: "1714036504",
        nonce: "7",
        echostr,
    };
    let error = receiver.verify_url(&request, 1_714_036_504).unwrap_err();
    assert_eq!(error.code(), -41004, "{error}");
    assert_eq!(field(&error), Some("echostr"));
}
