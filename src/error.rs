//! One error type for the whole crate.
//!
//! Every failure carries a stable numeric `code` (the official WXBizMsgCrypt codes -40001 ..
//! -40012, or a platform errcode for API failures) and a stable `kind` string, plus a message
//! that says what to fix. Messages never contain the token, the EncodingAESKey or the AES key.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// What went wrong, one variant per official WXBizMsgCrypt error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// -40001: a `signature` or `msg_signature` does not match.
    ValidateSignature,
    /// -40002: the XML body or envelope cannot be parsed, or lacks a required element.
    ParseXml,
    /// -40003: a signature cannot be computed (missing token or part).
    ComputeSignature,
    /// -40004: the EncodingAESKey is not 43 base64 characters decoding to 32 bytes.
    IllegalAesKey,
    /// -40005: the receiveid (appId) inside the decrypted message is not ours.
    ValidateAppId,
    /// -40006: encryption failed.
    EncryptAes,
    /// -40007: decryption failed (bad length or padding).
    DecryptAes,
    /// -40008: the decrypted buffer is malformed (length field, UTF-8).
    IllegalBuffer,
    /// -40009: base64 encoding failed.
    EncodeBase64,
    /// -40010: base64 decoding failed.
    DecodeBase64,
    /// -40011: a reply envelope cannot be generated.
    GenReturnXml,
    /// -40012: the JSON body or envelope cannot be parsed, or lacks a required field.
    ParseJson,
    // Inbound push extensions (-41001 ..): codes outside the official -400xx range.
    /// -41001: the push's `timestamp` is further from now than the replay window allows.
    TimestampOutOfWindow,
    /// -41002: the body is larger than the configured maximum.
    BodyTooLarge,
    /// -41003: the JSON body nests deeper than the limit.
    JsonTooDeep,
    /// -41004: the query lacks a required parameter or has an unknown `encrypt_type`.
    InvalidQuery,
}

impl ErrorKind {
    /// The official numeric code.
    pub const fn code(self) -> i32 {
        match self {
            ErrorKind::ValidateSignature => -40001,
            ErrorKind::ParseXml => -40002,
            ErrorKind::ComputeSignature => -40003,
            ErrorKind::IllegalAesKey => -40004,
            ErrorKind::ValidateAppId => -40005,
            ErrorKind::EncryptAes => -40006,
            ErrorKind::DecryptAes => -40007,
            ErrorKind::IllegalBuffer => -40008,
            ErrorKind::EncodeBase64 => -40009,
            ErrorKind::DecodeBase64 => -40010,
            ErrorKind::GenReturnXml => -40011,
            ErrorKind::ParseJson => -40012,
            ErrorKind::TimestampOutOfWindow => -41001,
            ErrorKind::BodyTooLarge => -41002,
            ErrorKind::JsonTooDeep => -41003,
            ErrorKind::InvalidQuery => -41004,
        }
    }

    /// The stable kind string exposed to JavaScript as `error.kind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::ValidateSignature => "ValidateSignature",
            ErrorKind::ParseXml => "ParseXml",
            ErrorKind::ComputeSignature => "ComputeSignature",
            ErrorKind::IllegalAesKey => "IllegalAesKey",
            ErrorKind::ValidateAppId => "ValidateAppId",
            ErrorKind::EncryptAes => "EncryptAes",
            ErrorKind::DecryptAes => "DecryptAes",
            ErrorKind::IllegalBuffer => "IllegalBuffer",
            ErrorKind::EncodeBase64 => "EncodeBase64",
            ErrorKind::DecodeBase64 => "DecodeBase64",
            ErrorKind::GenReturnXml => "GenReturnXml",
            ErrorKind::ParseJson => "ParseJson",
            ErrorKind::TimestampOutOfWindow => "TimestampOutOfWindow",
            ErrorKind::BodyTooLarge => "BodyTooLarge",
            ErrorKind::JsonTooDeep => "JsonTooDeep",
            ErrorKind::InvalidQuery => "InvalidQuery",
        }
    }
}

/// An error with its kind and a message for the developer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
}

impl Error {
    /// An error with a fixed message.
    pub const fn new(kind: ErrorKind, message: &'static str) -> Self {
        Error {
            kind,
            message: Cow::Borrowed(message),
        }
    }

    /// An error whose message was built at run time. Callers must not put secrets in it.
    pub fn with_message(kind: ErrorKind, message: String) -> Self {
        Error {
            kind,
            message: Cow::Owned(message),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn code(&self) -> i32 {
        self.kind.code()
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.kind.as_str(),
            self.kind.code(),
            self.message
        )
    }
}

impl core::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;
