//! Defaults drawn at the edge: the current time from the host and random values from the
//! host's CSPRNG (through getrandom). The core never calls these itself.

use alloc::string::String;

use crate::error::{Error, ErrorKind, Result};

/// 16 bytes from the host CSPRNG.
pub fn random16() -> Result<[u8; 16]> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| {
        Error::new(
            ErrorKind::EncryptAes,
            "no secure random source is available in this runtime (crypto.getRandomValues)",
        )
    })?;
    Ok(bytes)
}

/// Unix seconds from the host clock.
pub fn now_seconds() -> String {
    alloc::format!("{}", (js_sys::Date::now() / 1000.0) as u64)
}

/// A random nonce of 9 or 10 decimal digits, like the platform's.
pub fn nonce() -> Result<String> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|_| {
        Error::new(
            ErrorKind::EncryptAes,
            "no secure random source is available in this runtime (crypto.getRandomValues)",
        )
    })?;
    Ok(alloc::format!(
        "{}",
        u32::from_le_bytes(bytes) % 4_000_000_000 + 100_000_000
    ))
}
