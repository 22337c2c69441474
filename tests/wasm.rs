//! The binding, run inside wasm by `wasm-pack test --node`: known answers through the JS-facing
//! class, errors arriving as JS values with `code` and `kind`, and the instance surviving them.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wechat_kf::WxBizMsgCrypt;

fn options(token: &str, key: &str, app_id: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"token".into(), &token.into()).unwrap();
    Reflect::set(&o, &"encodingAESKey".into(), &key.into()).unwrap();
    Reflect::set(&o, &"appId".into(), &app_id.into()).unwrap();
    o.into()
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn core_decrypts_vector_inside_wasm() {
    let c = WxBizMsgCrypt::new(
        "pamtest",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "wxb11529c136998cb6",
    )
    .unwrap();
    let out = c
        .decrypt("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==")
        .unwrap();
    assert_eq!(out.plaintext, "我是中文abcd123");
}

#[wasm_bindgen_test]
fn js_class_round_trip_and_errors() {
    let opts = options(
        "pamtest",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "wxb11529c136998cb6",
    );
    let c = wechat_kf::binding_for_tests::new_crypt(&opts).unwrap();
    let random = js_sys::Uint8Array::from(&b"aaaabbbbccccdddd"[..]);
    let encrypted = c
        .encrypt(JsValue::from_str("我是中文abcd123"), random.into())
        .unwrap();
    assert_eq!(
        encrypted,
        "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="
    );
    let out = c.decrypt(JsValue::from_str(&encrypted)).unwrap();
    assert_eq!(
        field(&out, "plaintext").as_string().unwrap(),
        "我是中文abcd123"
    );
    assert_eq!(
        field(&out, "appId").as_string().unwrap(),
        "wxb11529c136998cb6"
    );

    // An error is a JS value with code and kind; the instance still works afterwards.
    let err = c.decrypt(JsValue::from_str("@@@")).unwrap_err();
    assert_eq!(field(&err, "code").as_f64(), Some(-40010.0));
    assert_eq!(field(&err, "kind").as_string().unwrap(), "DecodeBase64");
    let err = c.decrypt(JsValue::from_f64(1.0)).unwrap_err();
    assert_eq!(field(&err, "code").as_f64(), Some(-40010.0));
    assert!(c.decrypt(JsValue::from_str(&encrypted)).is_ok());

    let bad = options("t", "short", "a");
    let err = wechat_kf::binding_for_tests::new_crypt(&bad).err().unwrap();
    assert_eq!(field(&err, "code").as_f64(), Some(-40004.0));
}

#[wasm_bindgen_test]
fn js_defaults_draw_random_and_time() {
    let opts = options(
        "tok",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "wxapp",
    );
    let c = wechat_kf::binding_for_tests::new_crypt(&opts).unwrap();
    let a = c.encrypt("same".into(), JsValue::UNDEFINED).unwrap();
    let b = c.encrypt("same".into(), JsValue::UNDEFINED).unwrap();
    assert_ne!(a, b, "getrandom supplies fresh bytes each time");
    let envelope = c.encrypt_message("x".into(), JsValue::UNDEFINED).unwrap();
    assert!(envelope.contains("<TimeStamp>") && envelope.contains("<Nonce>"));
}

#[wasm_bindgen_test]
fn signature_and_app_id_compared_whole_inside_wasm() {
    use wechat_kf::crypto::{hex_str, signature, signature_matches};
    let expected = signature("tok", "1", "2", Some("x"));
    let good = hex_str(&expected).to_string();
    assert!(signature_matches(&expected, &good));
    for index in [0, 1, 19, 20, 38, 39] {
        let mut bad = good.as_bytes().to_vec();
        bad[index] = if bad[index] == b'0' { b'1' } else { b'0' };
        assert!(
            !signature_matches(&expected, core::str::from_utf8(&bad).unwrap()),
            "digit {index}"
        );
    }
    let mut twice = good.as_bytes().to_vec();
    twice[3] ^= 1;
    twice[30] ^= 1;
    assert!(!signature_matches(
        &expected,
        core::str::from_utf8(&twice).unwrap()
    ));

    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let ours = WxBizMsgCrypt::new("tok", key, "wxapp").unwrap();
    for other in ["wxapq", "WXAPP", "wxapp0", "wxap"] {
        let c = WxBizMsgCrypt::new("tok", key, other).unwrap();
        let theirs = c.encrypt("hi", &[7; 16]).unwrap();
        let err = ours.decrypt(&theirs).unwrap_err();
        assert_eq!(err.code(), -40005, "{other}");
    }
}
