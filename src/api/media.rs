//! The platform's limits on temporary media for mini program customer-service messages
//! (`POST /cgi-bin/media/upload`), checked before anything is uploaded.
//!
//! - Only `type=image` exists for mini programs (the customerServiceMessage.uploadTempMedia
//!   page lists `image` as the one legal type); JPEG, PNG and GIF, recognised by their first
//!   bytes, not by a name or a declared content type.
//! - Size: the pages disagree. The uploadTempMedia page of the official-account documents
//!   (developers.weixin.qq.com/doc/service/api/material/temporary/api_uploadtempmedia) says
//!   "图片2MB" under 注意事项 and "图片(image): 10M" under 其他补充; the mini program page states
//!   no size; forum answers report both 2 MB and 10 MB from testing. We follow the 2 MB of the
//!   page's 注意事项 section: an image within 2 MB is accepted under either reading, so a check
//!   here never lets through what the platform then refuses (40009).

use alloc::format;

use super::validate::invalid;
use crate::error::Result;

/// The largest image we upload: 2 MB (2 * 1024 * 1024 bytes; see the module notes).
pub const IMAGE_MAX_BYTES: u64 = 2 * 1024 * 1024;

/// How many leading bytes [`check_image`] needs to recognise a format.
pub const IMAGE_HEAD_BYTES: usize = 8;

/// An image format the platform takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
}

impl ImageFormat {
    /// The MIME type sent with the upload.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
        }
    }

    /// The file name extension used when the caller gives no file name.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Gif => "gif",
        }
    }

    /// The format from its magic number: JPEG `FF D8 FF`, PNG `89 'PNG' 0D 0A 1A 0A`,
    /// GIF `'GIF87a'` or `'GIF89a'`.
    pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else {
            None
        }
    }

    /// The format a declared content type names (parameters and case ignored; `image/jpg` and
    /// `image/pjpeg` count as JPEG). `None` for any other type.
    pub fn from_content_type(declared: &str) -> Option<ImageFormat> {
        let essence = declared.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("image/jpeg")
            || essence.eq_ignore_ascii_case("image/jpg")
            || essence.eq_ignore_ascii_case("image/pjpeg")
        {
            Some(ImageFormat::Jpeg)
        } else if essence.eq_ignore_ascii_case("image/png") {
            Some(ImageFormat::Png)
        } else if essence.eq_ignore_ascii_case("image/gif") {
            Some(ImageFormat::Gif)
        } else {
            None
        }
    }
}

/// Checks an image before upload: `head` its first bytes (at least [`IMAGE_HEAD_BYTES`] when
/// it is that long), `size` its length in bytes, `declared` the content type the caller or the
/// Blob gave (empty: none). Errors are -42002 `InvalidField` naming `file` or `contentType`.
pub fn check_image(head: &[u8], size: u64, declared: &str) -> Result<ImageFormat> {
    if size == 0 {
        return Err(invalid("file", "is empty: upload the image's bytes"));
    }
    if size > IMAGE_MAX_BYTES {
        return Err(invalid(
            "file",
            &format!(
                "is {size} bytes: the platform takes images of at most {IMAGE_MAX_BYTES} bytes (2 MB) for customer-service messages; resize or recompress it"
            ),
        ));
    }
    let format = ImageFormat::sniff(head).ok_or_else(|| {
        invalid(
            "file",
            "is not a JPEG, PNG or GIF image (its first bytes are none of theirs): mini program customer-service messages send images only",
        )
    })?;
    let declared = declared.trim();
    if !declared.is_empty() {
        match ImageFormat::from_content_type(declared) {
            None => {
                return Err(invalid(
                    "contentType",
                    &format!(
                    "is {declared:?}: the platform takes image/jpeg, image/png or image/gif only"
                ),
                ))
            }
            Some(said) if said != format => {
                return Err(invalid(
                    "contentType",
                    &format!(
                        "is {declared:?} but the bytes are {}: pass the image's own type (or none)",
                        format.content_type()
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(format)
}
