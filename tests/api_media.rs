//! The platform's image limits checked before an upload: format by magic number, size, the
//! declared content type.

use wechat_kf::api::{check_image, ImageFormat, IMAGE_MAX_BYTES};

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const GIF: &[u8] = b"GIF89a\x01\x00";

fn refused(head: &[u8], size: u64, declared: &str, field: &str, says: &str) {
    let err = check_image(head, size, declared).expect_err(declared);
    assert_eq!(err.code(), -42002, "{err}");
    assert_eq!(
        err.details().and_then(|d| d.field.as_deref()),
        Some(field),
        "{err}"
    );
    assert!(err.to_string().contains(says), "{err}");
}

#[test]
fn formats_by_magic_number() {
    assert_eq!(check_image(JPEG, 100, "").unwrap(), ImageFormat::Jpeg);
    assert_eq!(check_image(PNG, 100, "").unwrap(), ImageFormat::Png);
    assert_eq!(check_image(GIF, 100, "").unwrap(), ImageFormat::Gif);
    assert_eq!(check_image(b"GIF87a", 6, "").unwrap(), ImageFormat::Gif);
    assert_eq!(ImageFormat::Png.content_type(), "image/png");
    assert_eq!(ImageFormat::Jpeg.extension(), "jpg");
    assert_eq!(ImageFormat::Gif.extension(), "gif");
    // a string's bytes, a near-PNG, a truncated JPEG, WebP and BMP are not images here
    for head in [
        &b"hello.jpg"[..],
        b"\x89PNG\r\n\x1a",
        &[0xFF, 0xD8],
        b"RIFF\x00\x00\x00\x00WEBP",
        b"BM\x00\x00",
        b"GIF88a",
    ] {
        refused(head, 9, "", "file", "not a JPEG, PNG or GIF");
    }
}

#[test]
fn size_limit_is_2_mb() {
    assert_eq!(IMAGE_MAX_BYTES, 2 * 1024 * 1024);
    assert!(check_image(PNG, IMAGE_MAX_BYTES, "").is_ok());
    refused(
        PNG,
        IMAGE_MAX_BYTES + 1,
        "",
        "file",
        "at most 2097152 bytes",
    );
    refused(PNG, u64::MAX, "", "file", "at most");
    refused(&[], 0, "", "file", "is empty");
}

#[test]
fn declared_type_must_be_the_image_s_own() {
    assert!(check_image(JPEG, 10, "image/jpeg").is_ok());
    assert!(check_image(JPEG, 10, "IMAGE/JPG; q=1").is_ok());
    assert!(check_image(PNG, 10, " image/png ").is_ok());
    assert!(check_image(GIF, 10, "image/gif").is_ok());
    refused(
        JPEG,
        10,
        "image/png",
        "contentType",
        "the bytes are image/jpeg",
    );
    refused(
        PNG,
        10,
        "image/webp",
        "contentType",
        "image/jpeg, image/png or image/gif only",
    );
    refused(PNG, 10, "text/plain", "contentType", "only");
}
