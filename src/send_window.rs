//! The send window: how many customer-service messages may still be sent to one user, and
//! until when. A pure state machine: time (milliseconds) is a parameter, and the per-user state
//! is a small serialisable value that the I/O layer keeps in a store.
//!
//! Rules (docs/protocol.md#send-window): after the user sends a message, up to
//! 5 messages within 48 hours; after the user enters the session from the button, up to 2
//! within 1 minute. Quotas do not add up: each user action resets the count and the deadline
//! to that action's own maximum. The deadline is exclusive: at `deadline` the window is over.

use alloc::string::String;
use serde_json::Value;

use crate::api::json::Obj;
use crate::api::validate::{parse_input, Input};

use crate::api::api_error;
use crate::error::{Error, Result};

/// The user actions that open a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The user sent a message (text, image, mini program card...).
    Message,
    /// The user entered the session (`user_enter_tempsession`).
    Enter,
}

impl Action {
    /// The action an inbound push stands for: user messages and `user_enter_tempsession`;
    /// other events (kf sessions) open nothing.
    pub fn for_inbound(msg_type: &str, event: Option<&str>) -> Option<Action> {
        match msg_type {
            "event" => match event {
                Some(e) if e.eq_ignore_ascii_case("user_enter_tempsession") => Some(Action::Enter),
                _ => None,
            },
            "" | "transfer_customer_service" => None,
            _ => Some(Action::Message),
        }
    }
}

/// How many messages one action allows, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub limit: u32,
    pub window_ms: u64,
}

/// The rules per action. Defaults: message 5 / 48 h, enter 2 / 1 min.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub message: Rule,
    pub enter: Rule,
}

pub const HOUR_MS: u64 = 3_600_000;

impl Default for Rules {
    fn default() -> Self {
        Rules {
            message: Rule {
                limit: 5,
                window_ms: 48 * HOUR_MS,
            },
            enter: Rule {
                limit: 2,
                window_ms: 60_000,
            },
        }
    }
}

/// One user's window: what is left and until when (exclusive, milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowState {
    pub action: Action,
    pub remaining: u32,
    pub deadline: u64,
}

/// The answer to "may I send now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Messages still allowed now (0 when the window is over).
    pub remaining: u32,
    /// When the window ends (ms, exclusive); 0 when no action was ever seen.
    pub deadline: u64,
    /// Why not: 45015 (window over or never opened) or 45047 (quota used up).
    pub code: Option<i32>,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Message => "message",
            Action::Enter => "enter",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        match name {
            "message" => Some(Action::Message),
            "enter" => Some(Action::Enter),
            _ => None,
        }
    }
}

impl Rules {
    /// Reads `{"message": {"limit", "windowMs"}, "enter": {...}}`; absent parts keep defaults.
    pub fn from_json(json: &str) -> Result<Rules> {
        let i = parse_input(json, &["message", "enter"])?;
        let mut rules = Rules::default();
        if let Some(rule) = rule_from(&i, "message")? {
            rules.message = rule;
        }
        if let Some(rule) = rule_from(&i, "enter")? {
            rules.enter = rule;
        }
        Ok(rules)
    }

    pub fn rule(&self, action: Action) -> Rule {
        match action {
            Action::Message => self.message,
            Action::Enter => self.enter,
        }
    }

    /// The state after the user acts at `now`: reset to the action's own maximum.
    pub fn observe(&self, action: Action, now: u64) -> WindowState {
        let rule = self.rule(action);
        WindowState {
            action,
            remaining: rule.limit,
            deadline: now.saturating_add(rule.window_ms),
        }
    }
}

/// Whether a message may be sent at `now`.
pub fn check(state: Option<&WindowState>, now: u64) -> Decision {
    match state {
        None => Decision {
            allowed: false,
            remaining: 0,
            deadline: 0,
            code: Some(45015),
        },
        Some(s) if now >= s.deadline => Decision {
            allowed: false,
            remaining: 0,
            deadline: s.deadline,
            code: Some(45015),
        },
        Some(s) if s.remaining == 0 => Decision {
            allowed: false,
            remaining: 0,
            deadline: s.deadline,
            code: Some(45047),
        },
        Some(s) => Decision {
            allowed: true,
            remaining: s.remaining,
            deadline: s.deadline,
            code: None,
        },
    }
}

/// Takes one message from the window, or the error the platform would give (45015 / 45047).
pub fn consume(state: Option<&WindowState>, now: u64) -> Result<WindowState> {
    let decision = check(state, now);
    match (state, decision.code) {
        (Some(s), None) => Ok(WindowState {
            remaining: s.remaining - 1,
            ..*s
        }),
        (_, code) => Err(denied(code.unwrap_or(45015))),
    }
}

/// Gives back a send that was taken by `consume` (yielding `consumed`) but never reached the
/// platform (a transport failure, errcode -1). Only into the same window: when the user acted
/// since (a new action or deadline) or the window is gone, there is nothing to give back
/// (`None`). Never above the action's limit.
pub fn refund(
    rules: &Rules,
    current: Option<&WindowState>,
    consumed: &WindowState,
) -> Option<WindowState> {
    let c = current?;
    let same_window = c.action == consumed.action && c.deadline == consumed.deadline;
    if !same_window || c.remaining >= rules.rule(c.action).limit {
        return None;
    }
    Some(WindowState {
        remaining: c.remaining + 1,
        ..*c
    })
}

fn denied(code: i32) -> Error {
    api_error(
        code,
        if code == 45047 {
            "out of send limit (refused locally by SendWindow)"
        } else {
            "response out of time limit or subscription is canceled (refused locally by SendWindow)"
        },
    )
}

fn rule_from(i: &Input, name: &'static str) -> Result<Option<Rule>> {
    let Some(raw) = i.raw(name) else {
        return Ok(None);
    };
    rule_of(raw, name).map(Some).map_err(|e| e.within(name))
}

fn rule_of(raw: &serde_json::Value, name: &'static str) -> Result<Rule> {
    let r = crate::api::validate::element(raw, name, &["limit", "windowMs"])?;
    let default = Rules::default().rule(if name == "enter" {
        Action::Enter
    } else {
        Action::Message
    });
    let limit = match r.id(&["limit"])? {
        Some(n) => {
            u32::try_from(n).map_err(|_| crate::api::validate::invalid("limit", "is too large"))?
        }
        None => default.limit,
    };
    Ok(Rule {
        limit,
        window_ms: r.id(&["windowMs"])?.unwrap_or(default.window_ms),
    })
}

/// The state as JSON: `{"action":"message","remaining":5,"deadline":172800000}`.
pub fn state_to_json(state: &WindowState) -> String {
    Obj::new()
        .str("action", state.action.name())
        .u64("remaining", u64::from(state.remaining))
        .u64("deadline", state.deadline)
        .finish()
}

impl Decision {
    /// `{"allowed","remaining","deadline","code"?}`.
    pub fn to_json(&self) -> String {
        let obj = Obj::new()
            .bool("allowed", self.allowed)
            .u64("remaining", u64::from(self.remaining))
            .u64("deadline", self.deadline);
        match self.code {
            Some(code) => obj.i64("code", i64::from(code)).finish(),
            None => obj.finish(),
        }
    }
}

impl Rules {
    /// `{"message":{"limit","windowMs"},"enter":{...}}`.
    pub fn to_json(&self) -> String {
        let rule = |r: Rule| {
            Obj::new()
                .u64("limit", u64::from(r.limit))
                .u64("windowMs", r.window_ms)
                .finish()
        };
        Obj::new()
            .raw("message", &rule(self.message))
            .raw("enter", &rule(self.enter))
            .finish()
    }
}

/// Reads a stored state; `null`, `undefined` or an empty string mean none.
pub fn state_from_json(json: &str) -> Result<Option<WindowState>> {
    const BAD: Error = Error::new(
        crate::error::ErrorKind::InvalidInput,
        "the stored send window state is not {action, remaining, deadline}",
    );
    let t = json.trim();
    if t.is_empty() || t == "null" || t == "undefined" {
        return Ok(None);
    }
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(t) else {
        return Err(BAD);
    };
    let action = match map.get("action") {
        Some(Value::String(a)) => Action::from_name(a).ok_or(BAD)?,
        _ => return Err(BAD),
    };
    let number = |name: &str| map.get(name).and_then(Value::as_u64).ok_or(BAD);
    Ok(Some(WindowState {
        action,
        remaining: u32::try_from(number("remaining")?).map_err(|_| BAD)?,
        deadline: number("deadline")?,
    }))
}
