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
    /// -41005: a plaintext push reached a receiver configured for encrypted pushes only.
    PlaintextRefused,
    /// -41008: a Cloud Hosting request without `x-wx-source` reached a service with public access.
    UntrustedSource,
    /// -41009: a passive reply (transfer or a body) returned for a Cloud Hosting push without
    /// `cloudHosting.passiveReplies` (mini programs answer through the send API; the JS handler).
    PassiveReplyRefused,
    /// -41006: a constructor or factory option is missing or has the wrong type or value; the
    /// error's `field` names the option.
    InvalidOption,
    /// -41007: a handler's reply came after the platform's deadline (the JS push handler).
    LateReply,
    // Outbound extensions (-42001 ..): request builder validation, and platform errcodes.
    /// -42001: a required input field of a request builder is missing or empty.
    MissingField,
    /// -42002: an input field has the wrong type, length, characters or form.
    InvalidField,
    /// -42003: the input is not an object, or not valid JSON.
    InvalidInput,
    /// -42004: a request failed below the platform (network, HTTP status, not JSON).
    Transport,
    // Store extensions (-43001 ..), raised by the JS stores.
    /// -43001: the memory store holds more live keys than its bound (reported, kept).
    StoreOverBound,
    /// -43002: a store call failed or timed out (reported; the caller fails open).
    StoreUnavailable,
    /// -43003: a store key or value that is not a string, or a TTL that is not > 0.
    InvalidStoreArgument,
    /// -43004: the store's engine is set up to lose keys (a warning at start: an eviction
    /// policy that may evict claims, no persistence); reported, the store still works.
    StoreMisconfigured,
    /// -43005: a dedup lease was gone when its push was marked handled (it lapsed, or the store
    /// lost it): another instance may handle the push too (reported; the JS handler).
    LeaseLost,
    // Queue extensions (-44001 ..), raised by the JS queue mode (createConsumer, the queues).
    /// -44001: a queue engine's call failed or did not answer within its deadline (reported;
    /// the consumer tries again, the handler answers an error so that the platform retries).
    QueueUnavailable,
    /// -44002: a queued push failed every attempt and was kept as a dead letter (reported once).
    DeadLettered,
    /// -44003: onMessage did not settle within the consumer's visibility timeout: the attempt
    /// counts as failed and the push is delivered again (reported).
    HandlerTimeout,
    /// The platform (or a local rule standing in for it) answered with an errcode: the error's
    /// `code` is that errcode and its kind string comes from the catalog (see `Details`).
    Api,
}

impl ErrorKind {
    /// Every kind with a code of its own (all but `Api`), in code order: the source of the
    /// generated JS constants and TypeScript unions (pkg-template/generated/).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::ValidateSignature,
        ErrorKind::ParseXml,
        ErrorKind::ComputeSignature,
        ErrorKind::IllegalAesKey,
        ErrorKind::ValidateAppId,
        ErrorKind::EncryptAes,
        ErrorKind::DecryptAes,
        ErrorKind::IllegalBuffer,
        ErrorKind::EncodeBase64,
        ErrorKind::DecodeBase64,
        ErrorKind::GenReturnXml,
        ErrorKind::ParseJson,
        ErrorKind::TimestampOutOfWindow,
        ErrorKind::BodyTooLarge,
        ErrorKind::JsonTooDeep,
        ErrorKind::InvalidQuery,
        ErrorKind::PlaintextRefused,
        ErrorKind::InvalidOption,
        ErrorKind::LateReply,
        ErrorKind::UntrustedSource,
        ErrorKind::PassiveReplyRefused,
        ErrorKind::MissingField,
        ErrorKind::InvalidField,
        ErrorKind::InvalidInput,
        ErrorKind::Transport,
        ErrorKind::StoreOverBound,
        ErrorKind::StoreUnavailable,
        ErrorKind::InvalidStoreArgument,
        ErrorKind::StoreMisconfigured,
        ErrorKind::LeaseLost,
        ErrorKind::QueueUnavailable,
        ErrorKind::DeadLettered,
        ErrorKind::HandlerTimeout,
    ];

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
            ErrorKind::PlaintextRefused => -41005,
            ErrorKind::UntrustedSource => -41008,
            ErrorKind::PassiveReplyRefused => -41009,
            ErrorKind::InvalidOption => -41006,
            ErrorKind::LateReply => -41007,
            ErrorKind::MissingField => -42001,
            ErrorKind::InvalidField => -42002,
            ErrorKind::InvalidInput => -42003,
            ErrorKind::Transport => -42004,
            ErrorKind::StoreOverBound => -43001,
            ErrorKind::StoreUnavailable => -43002,
            ErrorKind::InvalidStoreArgument => -43003,
            ErrorKind::StoreMisconfigured => -43004,
            ErrorKind::LeaseLost => -43005,
            ErrorKind::QueueUnavailable => -44001,
            ErrorKind::DeadLettered => -44002,
            ErrorKind::HandlerTimeout => -44003,
            // Never exposed alone: an Api error carries the errcode in its details.
            ErrorKind::Api => 0,
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
            ErrorKind::PlaintextRefused => "PlaintextRefused",
            ErrorKind::UntrustedSource => "UntrustedSource",
            ErrorKind::PassiveReplyRefused => "PassiveReplyRefused",
            ErrorKind::InvalidOption => "InvalidOption",
            ErrorKind::LateReply => "LateReply",
            ErrorKind::MissingField => "MissingField",
            ErrorKind::InvalidField => "InvalidField",
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Transport => "Transport",
            ErrorKind::StoreOverBound => "StoreOverBound",
            ErrorKind::StoreUnavailable => "StoreUnavailable",
            ErrorKind::InvalidStoreArgument => "InvalidStoreArgument",
            ErrorKind::StoreMisconfigured => "StoreMisconfigured",
            ErrorKind::LeaseLost => "LeaseLost",
            ErrorKind::QueueUnavailable => "QueueUnavailable",
            ErrorKind::DeadLettered => "DeadLettered",
            ErrorKind::HandlerTimeout => "HandlerTimeout",
            ErrorKind::Api => "Api",
        }
    }
}

/// Extra facts of API and validation errors, exposed to JavaScript as properties of the error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// The platform errcode, which replaces the kind's own code.
    pub code: Option<i32>,
    /// The catalog's kind string for that errcode, which replaces the kind's own string.
    pub kind: Option<&'static str>,
    /// The platform's own `errmsg`.
    pub errmsg: Option<String>,
    /// What to do about it, in plain words.
    pub hint: Option<&'static str>,
    /// Whether the same call may succeed if made again later.
    pub retryable: Option<bool>,
    /// The input field at fault (validation errors).
    pub field: Option<Cow<'static, str>>,
}

/// An error with its kind and a message for the developer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
    details: Option<alloc::boxed::Box<Details>>,
}

impl Error {
    /// An error with a fixed message.
    pub const fn new(kind: ErrorKind, message: &'static str) -> Self {
        Error {
            kind,
            message: Cow::Borrowed(message),
            details: None,
        }
    }

    /// An error whose message was built at run time. Callers must not put secrets in it.
    pub fn with_message(kind: ErrorKind, message: String) -> Self {
        Error {
            kind,
            message: Cow::Owned(message),
            details: None,
        }
    }

    /// `not_utf8` instead of this error when `bytes` are not UTF-8: for a reader that checks
    /// UTF-8 as it goes, so that its input gets the error it would have got had it been checked
    /// before anything else.
    pub(crate) fn unless_not_utf8(self, bytes: &[u8], not_utf8: Error) -> Error {
        match core::str::from_utf8(bytes) {
            Ok(_) => self,
            Err(_) => not_utf8,
        }
    }

    /// -41006 InvalidOption for the option `name` (its `field`). The message must say what to
    /// pass and never contain the option's value.
    pub fn invalid_option(name: impl Into<Cow<'static, str>>, message: String) -> Self {
        Error::with_message(ErrorKind::InvalidOption, message).with_details(Details {
            field: Some(name.into()),
            ..Details::default()
        })
    }

    /// The error with its field put under `parent` (`parent.field`), for nested inputs; an error
    /// about `parent` itself keeps its field.
    pub fn within(mut self, parent: &str) -> Self {
        if let Some(d) = self.details.as_mut() {
            match d.field.take() {
                // The parent itself at fault (not an object): its name stays.
                Some(inner) if inner != parent => {
                    d.field = Some(Cow::Owned(alloc::format!("{parent}.{inner}")));
                }
                other => d.field = other,
            }
        }
        self
    }

    /// This input error (-42001 / -42002 / -42003) as -41006 InvalidOption of the option
    /// `option`: its field becomes `option.field` (or `option`), the message names it.
    pub fn into_option_error(self, option: &str) -> Self {
        if !matches!(
            self.kind,
            ErrorKind::MissingField | ErrorKind::InvalidField | ErrorKind::InvalidInput
        ) {
            return self;
        }
        let field = match self.details.as_ref().and_then(|d| d.field.as_deref()) {
            Some(inner) => alloc::format!("{option}.{inner}"),
            None => String::from(option),
        };
        let message = alloc::format!("option {option}: {}", self.message);
        Error::with_message(ErrorKind::InvalidOption, message).with_details(Details {
            field: Some(Cow::Owned(field)),
            ..Details::default()
        })
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The official code, or the platform errcode of an API error.
    pub fn code(&self) -> i32 {
        match self.details.as_ref().and_then(|d| d.code) {
            Some(code) => code,
            None => self.kind.code(),
        }
    }

    /// The stable kind string: the catalog's for API errors, else the kind's own.
    pub fn kind_str(&self) -> &'static str {
        match self.details.as_ref().and_then(|d| d.kind) {
            Some(kind) => kind,
            None => self.kind.as_str(),
        }
    }

    /// Attaches details (errcode, errmsg, hint, retryable, field).
    pub fn with_details(mut self, details: Details) -> Self {
        self.details = Some(alloc::boxed::Box::new(details));
        self
    }

    pub fn details(&self) -> Option<&Details> {
        self.details.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.kind_str(), self.code(), self.message)
    }
}

impl core::error::Error for Error {}

pub type Result<T> = core::result::Result<T, Error>;
