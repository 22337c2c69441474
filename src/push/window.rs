//! The replay window: a push whose `timestamp` is further than `max_skew_seconds` from now
//! (in either direction) is refused with -41001. `max_skew_seconds == 0` disables the check.

use crate::error::{Error, ErrorKind, Result};
use crate::message::parse_u64;

pub fn check_window(timestamp: &str, now_seconds: u64, max_skew_seconds: u64) -> Result<()> {
    let Some(ts) = parse_u64(timestamp) else {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            "timestamp is not a whole number of seconds",
        ));
    };
    if max_skew_seconds == 0 {
        return Ok(());
    }
    let (skew, direction) = if ts <= now_seconds {
        (now_seconds - ts, "in the past")
    } else {
        (ts - now_seconds, "in the future")
    };
    if skew > max_skew_seconds {
        return Err(Error::with_message(
            ErrorKind::TimestampOutOfWindow,
            alloc::format!(
                "timestamp is {skew} s {direction}, outside the replay window of \
                 {max_skew_seconds} s (a replayed push, or a wrong clock)"
            ),
        ));
    }
    Ok(())
}
