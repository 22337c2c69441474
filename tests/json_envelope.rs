//! The JSON envelope's reader (crypto::read_envelope): the `Encrypt` member is a string,
//! unescaped; members of every other type beside it are skipped whatever they nest; an
//! `Encrypt` of any other type is -40012 ParseJson naming the problem.

use wechat_kf::crypto::{read_envelope, Format};
use wechat_kf::ErrorKind;

#[test]
fn encrypt_is_read_beside_members_of_every_type() {
    let body = r#"{"ToUserName":"gh_1","A":{"b":[1,2.5e300,{"c":null}],"d":true},"E":[[],{}],
        "F":-0.0,"G":18446744073709551616,"$serde_json::private::RawValue":"x","H":false,
        "Encrypt":"ab\/c\u0041\n","I":null}"#;
    let envelope = read_envelope(body, Format::Json).unwrap();
    assert_eq!(envelope.encrypt, "ab/cA\n");
    assert!(envelope.has_plain_fields);

    let bare = read_envelope(r#"{"ToUserName":"gh_1","encrypt":"xyz"}"#, Format::Json).unwrap();
    assert_eq!(bare.encrypt, "xyz");
    assert!(!bare.has_plain_fields);
}

#[test]
fn an_encrypt_of_another_type_is_refused_as_not_a_string() {
    for value in [
        "12",
        "-1.5e-7",
        "null",
        "true",
        "[]",
        r#"["abc"]"#,
        "{}",
        r#"{"Encrypt":"abc"}"#,
    ] {
        let body = format!(r#"{{"ToUserName":"gh_1","Encrypt":{value}}}"#);
        let err = read_envelope(&body, Format::Json).expect_err(&body);
        assert_eq!(err.kind(), ErrorKind::ParseJson, "{body}");
        assert!(
            err.message().contains("Encrypt field is not a string"),
            "{body}: {err}"
        );
    }
}

#[test]
fn malformed_values_beside_encrypt_are_parse_errors() {
    for body in [
        r#"{"A":[1,],"Encrypt":"abc"}"#,
        r#"{"A":{"b"},"Encrypt":"abc"}"#,
        r#"{"Encrypt":"abc"} x"#,
        r#"{"Encrypt":"a\qc"}"#,
        r#"{"Encrypt":"abc","Encrypt":"abc"}"#,
        r#"["Encrypt","abc"]"#,
    ] {
        let err = read_envelope(body, Format::Json).expect_err(body);
        assert_eq!(err.kind(), ErrorKind::ParseJson, "{body}");
        assert!(err.message().starts_with("the JSON body"), "{body}: {err}");
    }
}

#[test]
fn refusals_name_the_problem_where_serde_json_stops() {
    let cases = [
        (
            r#"{"Encrypt":"a","encrypt":"b"}"#,
            "the JSON body cannot be parsed (more than one Encrypt field at line 1 column 24)",
        ),
        (
            r#"["Encrypt"]"#,
            "the JSON body cannot be parsed (the body is not a JSON object at line 1 column 1)",
        ),
        (
            " 12",
            "the JSON body cannot be parsed (the body is not a JSON object at line 1 column 3)",
        ),
        (
            r#""x""#,
            "the JSON body cannot be parsed (the body is not a JSON object at line 1 column 3)",
        ),
        (
            "null",
            "the JSON body cannot be parsed (the body is not a JSON object at line 1 column 4)",
        ),
        (
            r#"{"A":1}"#,
            "the JSON body has no Encrypt field: is the push really encrypted (encrypt_type=aes)?",
        ),
    ];
    for (body, expected) in cases {
        let err = read_envelope(body, Format::Json).expect_err(body);
        assert_eq!(err.kind(), ErrorKind::ParseJson, "{body}");
        assert_eq!(err.message(), expected, "{body}");
    }
}
