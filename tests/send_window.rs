//! The send window at its edges: 48 h and 1 min (deadline exclusive), the counts 5 and 2,
//! reset rather than accumulate, custom rules, and state round trips.

use wechat_kf::send_window::{
    check, consume, refund, state_from_json, state_to_json, Action, Rule, Rules,
};

const H: u64 = 3_600_000;
const T0: u64 = 1_700_000_000_000;

fn drain(rules: &Rules, action: Action, at: u64) -> (u32, i32) {
    let mut state = Some(rules.observe(action, at));
    let mut sent = 0;
    loop {
        match consume(state.as_ref(), at + 1) {
            Ok(s) => {
                sent += 1;
                state = Some(s);
            }
            Err(e) => return (sent, e.code()),
        }
    }
}

#[test]
fn counts_after_each_action() {
    let rules = Rules::default();
    assert_eq!(drain(&rules, Action::Message, T0), (5, 45047));
    assert_eq!(drain(&rules, Action::Enter, T0), (2, 45047));
}

#[test]
fn deadlines_are_exclusive_at_48h_and_1min() {
    let rules = Rules::default();
    let s = rules.observe(Action::Message, T0);
    assert_eq!(s.deadline, T0 + 48 * H);
    assert!(check(Some(&s), T0).allowed);
    assert!(check(Some(&s), T0 + 48 * H - 1).allowed);
    let d = check(Some(&s), T0 + 48 * H);
    assert_eq!((d.allowed, d.remaining, d.code), (false, 0, Some(45015)));
    let s = rules.observe(Action::Enter, T0);
    assert!(check(Some(&s), T0 + 59_999).allowed);
    assert_eq!(check(Some(&s), T0 + 60_000).code, Some(45015));
    assert_eq!(consume(Some(&s), T0 + 60_000).unwrap_err().code(), 45015);
    assert_eq!(
        consume(Some(&s), T0 + 60_000).unwrap_err().kind_str(),
        "SendWindowExpired"
    );
}

#[test]
fn no_action_means_closed() {
    let d = check(None, T0);
    assert_eq!(
        (d.allowed, d.remaining, d.deadline, d.code),
        (false, 0, 0, Some(45015))
    );
    assert_eq!(consume(None, T0).unwrap_err().code(), 45015);
}

#[test]
fn actions_reset_rather_than_accumulate() {
    let rules = Rules::default();
    // message, send 3, message again: back to 5 (not 2 + 5), deadline moves
    let mut s = rules.observe(Action::Message, T0);
    for _ in 0..3 {
        s = consume(Some(&s), T0 + 10).unwrap();
    }
    assert_eq!(s.remaining, 2);
    let s2 = rules.observe(Action::Message, T0 + H);
    assert_eq!((s2.remaining, s2.deadline), (5, T0 + 49 * H));
    // message then enter: the enter rule replaces it (2 within 1 minute), not 5 + 2
    let s3 = rules.observe(Action::Enter, T0 + 2 * H);
    assert_eq!((s3.remaining, s3.deadline), (2, T0 + 2 * H + 60_000));
    assert!(!check(Some(&s3), T0 + 2 * H + 60_000).allowed);
    // enter then message: 5 within 48 h
    let s4 = rules.observe(Action::Message, T0 + 2 * H + 1);
    assert_eq!((s4.remaining, s4.deadline), (5, T0 + 50 * H + 1));
    // used-up quota is reset by a new action
    let mut s = rules.observe(Action::Enter, T0);
    s = consume(Some(&s), T0).unwrap();
    s = consume(Some(&s), T0).unwrap();
    assert_eq!(consume(Some(&s), T0).unwrap_err().code(), 45047);
    let s = rules.observe(Action::Enter, T0 + 1);
    assert_eq!(check(Some(&s), T0 + 1).remaining, 2);
}

#[test]
fn configurable_rules() {
    // official accounts: 3 within a minute after menu/follow/scan
    let rules = Rules {
        enter: Rule {
            limit: 3,
            window_ms: 60_000,
        },
        ..Rules::default()
    };
    assert_eq!(drain(&rules, Action::Enter, T0), (3, 45047));
    let zero = Rules {
        message: Rule {
            limit: 0,
            window_ms: H,
        },
        ..Rules::default()
    };
    assert_eq!(drain(&zero, Action::Message, T0), (0, 45047));
    let huge = Rules {
        message: Rule {
            limit: 1,
            window_ms: u64::MAX,
        },
        ..Rules::default()
    };
    assert_eq!(huge.observe(Action::Message, T0).deadline, u64::MAX);
    let parsed = Rules::from_json(r#"{"enter":{"limit":1,"windowMs":1000}}"#).unwrap();
    assert_eq!(
        Rules::from_json(r#"{"enter":{"limt":1}}"#)
            .unwrap_err()
            .code(),
        -42002
    );
    assert_eq!(
        parsed.enter,
        Rule {
            limit: 1,
            window_ms: 1000
        }
    );
    assert_eq!(parsed.message, Rules::default().message);
}

#[test]
fn state_round_trips_as_json() {
    let s = Rules::default().observe(Action::Enter, T0);
    let json = state_to_json(&s);
    assert_eq!(
        json,
        format!(
            r#"{{"action":"enter","remaining":2,"deadline":{}}}"#,
            T0 + 60_000
        )
    );
    assert_eq!(state_from_json(&json).unwrap(), Some(s));
    assert_eq!(state_from_json("null").unwrap(), None);
    assert_eq!(state_from_json("").unwrap(), None);
    assert_eq!(state_from_json("{}").unwrap_err().code(), -42003);
    assert_eq!(
        state_from_json(r#"{"action":"x","remaining":1,"deadline":1}"#)
            .unwrap_err()
            .code(),
        -42003
    );
}

#[test]
fn inbound_pushes_map_to_actions() {
    assert_eq!(Action::for_inbound("text", None), Some(Action::Message));
    assert_eq!(Action::for_inbound("image", None), Some(Action::Message));
    assert_eq!(
        Action::for_inbound("miniprogrampage", None),
        Some(Action::Message)
    );
    assert_eq!(
        Action::for_inbound("event", Some("user_enter_tempsession")),
        Some(Action::Enter)
    );
    assert_eq!(
        Action::for_inbound("event", Some("kf_create_session")),
        None
    );
    assert_eq!(Action::for_inbound("event", None), None);
}

#[test]
fn refund_gives_back_into_the_same_window_only() {
    let rules = Rules::default();
    let opened = rules.observe(Action::Message, T0);
    let after = consume(Some(&opened), T0 + 1).unwrap();
    assert_eq!(after.remaining, 4);
    // Given back: 5 again, never more.
    let back = refund(&rules, Some(&after), &after).unwrap();
    assert_eq!(back, opened);
    assert_eq!(refund(&rules, Some(&back), &after), None);
    // Another instance consumed meanwhile: the count it left is the one raised.
    let other = consume(Some(&after), T0 + 2).unwrap();
    assert_eq!(refund(&rules, Some(&other), &after).unwrap().remaining, 4);
    // The user acted since (a new window) or the window is gone: nothing to give back.
    let reopened = rules.observe(Action::Message, T0 + 10);
    assert_eq!(
        refund(
            &rules,
            Some(&consume(Some(&reopened), T0 + 11).unwrap()),
            &after
        ),
        None
    );
    assert_eq!(refund(&rules, None, &after), None);
}

#[test]
fn an_empty_type_and_a_transfer_push_open_nothing() {
    // A push with no MsgType, and transfer_customer_service (the reply type, never a user's
    // message), must not open a window; any other type is a user message.
    assert_eq!(Action::for_inbound("", None), None);
    assert_eq!(Action::for_inbound("transfer_customer_service", None), None);
    assert_eq!(Action::for_inbound("voice", None), Some(Action::Message));
}

#[test]
fn action_names_round_trip_and_a_message_state_reads_back() {
    for action in [Action::Message, Action::Enter] {
        assert_eq!(Action::from_name(action.name()), Some(action));
    }
    assert_eq!(Action::from_name("Message"), None);
    let s = Rules::default().observe(Action::Message, T0);
    let json = state_to_json(&s);
    assert_eq!(
        json,
        format!(
            r#"{{"action":"message","remaining":5,"deadline":{}}}"#,
            T0 + 48 * H
        )
    );
    assert_eq!(state_from_json(&json).unwrap(), Some(s));
}

#[test]
fn refusals_say_which_limit_and_json_forms_are_exact() {
    let rules = Rules::default();
    let mut s = rules.observe(Action::Enter, T0);
    for _ in 0..2 {
        s = consume(Some(&s), T0 + 1).unwrap();
    }
    let used_up = consume(Some(&s), T0 + 2).unwrap_err();
    assert_eq!(used_up.code(), 45047);
    assert!(used_up.message().contains("out of send limit"));
    let closed = consume(None, T0).unwrap_err();
    assert_eq!(closed.code(), 45015);
    assert!(closed.message().contains("response out of time limit"));
    // A partial rule keeps its own action's defaults.
    let partial = Rules::from_json(r#"{"enter":{"limit":3},"message":{"limit":7}}"#).unwrap();
    assert_eq!(partial.enter.window_ms, 60_000);
    assert_eq!(partial.message.window_ms, 48 * H);
    assert_eq!(
        Rules::default().to_json(),
        r#"{"message":{"limit":5,"windowMs":172800000},"enter":{"limit":2,"windowMs":60000}}"#
    );
    assert_eq!(
        check(Some(&s), T0 + 2).to_json(),
        format!(
            r#"{{"allowed":false,"remaining":0,"deadline":{},"code":45047}}"#,
            T0 + 60_000
        )
    );
    let open = rules.observe(Action::Message, T0);
    assert_eq!(
        check(Some(&open), T0).to_json(),
        format!(
            r#"{{"allowed":true,"remaining":5,"deadline":{}}}"#,
            T0 + 48 * H
        )
    );
}
