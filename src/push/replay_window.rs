//! The replay window: a push whose `timestamp` is further than `max_skew_seconds` from now
//! (in either direction) is refused with -41001; for encrypted pushes the decrypted
//! `CreateTime` (covered by `msg_signature`) must lie in the same window. `max_skew_seconds == 0`
//! disables both checks, never the canonical form of the timestamp.
//!
//! Timestamps must be canonical decimal seconds (digits only, no sign, no leading zero, at
//! most 10 digits; -41004 otherwise): both signatures are SHA-1 over the *sorted* parts, so
//! the query's timestamp and nonce can be swapped without breaking them, and a nonce that reads
//! as a future time must not become a valid timestamp in another spelling.

use crate::error::{Error, ErrorKind, Result};

/// Most digits of a canonical timestamp (Unix seconds until the year 2286).
pub const MAX_TIMESTAMP_DIGITS: usize = 10;

/// Parses a canonical timestamp: 1..=10 ASCII digits, the first not `0`.
pub fn canonical_timestamp(timestamp: &str) -> Result<u64> {
    let bytes = timestamp.as_bytes();
    let canonical = !bytes.is_empty()
        && bytes.len() <= MAX_TIMESTAMP_DIGITS
        && bytes[0] != b'0'
        && bytes.iter().all(u8::is_ascii_digit);
    if !canonical {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            "timestamp must be Unix seconds in canonical decimal form (1 to 10 digits, no sign, \
             no leading zero, no spaces)",
        ));
    }
    // At most 10 digits: always fits.
    Ok(timestamp.parse().unwrap_or(u64::MAX))
}

/// Checks the query's `timestamp`: canonical, and within the window around now.
pub fn check_window(timestamp: &str, now_seconds: u64, max_skew_seconds: u64) -> Result<()> {
    let ts = canonical_timestamp(timestamp)?;
    within(ts, now_seconds, max_skew_seconds, "timestamp")
}

/// Checks a push's signed `CreateTime` (encrypted modes) against the same window.
pub fn check_create_time(create_time: u64, now_seconds: u64, max_skew_seconds: u64) -> Result<()> {
    within(
        create_time,
        now_seconds,
        max_skew_seconds,
        "the decrypted CreateTime",
    )
}

fn within(seconds: u64, now_seconds: u64, max_skew_seconds: u64, what: &str) -> Result<()> {
    if max_skew_seconds == 0 {
        return Ok(());
    }
    let (skew, direction) = if seconds <= now_seconds {
        (now_seconds - seconds, "in the past")
    } else {
        (seconds - now_seconds, "in the future")
    };
    if skew > max_skew_seconds {
        return Err(Error::with_message(
            ErrorKind::TimestampOutOfWindow,
            alloc::format!(
                "{what} is {skew} s {direction}, outside the replay window of \
                 {max_skew_seconds} s (a replayed push, or a wrong clock)"
            ),
        ));
    }
    Ok(())
}
