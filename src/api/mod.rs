//! Outbound API: the path table, request descriptors with their validated bodies, and the
//! response check with its catalog of platform errcodes. Pure: nothing here does I/O; the
//! JavaScript client sends what these functions describe.

mod builders;
mod catalog;
pub mod json;
mod media;
mod paths;
mod request;
mod response;
pub(crate) mod validate;

pub use builders::{build, BUILDERS};
pub use catalog::{api_error, lookup, ApiErrorInfo, CATALOG, UNKNOWN};
pub use media::{check_image, ImageFormat, IMAGE_HEAD_BYTES, IMAGE_MAX_BYTES};
pub use paths::{Endpoint, Method, Route, ROUTES};
pub use request::Request;
pub use response::check_response;
