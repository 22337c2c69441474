// Type-level test of the honest message union (issue 10): compiled by
// `tsc -p js-tests/types/tsconfig.json` (strict). Each @ts-expect-error proves a refusal; an
// unused one fails the build. js-tests/suite-structured.js checks the same facts at runtime.
import type {
  KfMessage,
  Push,
  RawValue,
  RawObject,
  UnknownMessage,
  TextMessage,
  SubscribeMsgPopupEvent,
  SubscribeMsgSentEvent,
  SubscribeMsgSentEntry,
  createHandler,
} from 'wechat-kf';

// 1. `case 'voice'` compiles (voice is not typed) and narrows to the unknown arm, whose
//    camelCase fields are raw values.
function voice(m: KfMessage): RawValue | undefined {
  switch (m.msgType) {
    case 'voice': {
      const u: UnknownMessage = m;
      const known: false = m.known;
      // @ts-expect-error an unknown field is a RawValue, not necessarily a string
      const s: string = m.mediaId;
      return typeof u.mediaId === 'string' ? u.mediaId : u.raw['MediaId'];
    }
    case 'text':
      // Without the `known` check the arm may still be unknown, so `content` is not a string yet...
      // @ts-expect-error content may be a RawValue here
      const c: string = m.content;
      // ...and after it, it is.
      if (m.known) {
        const t: TextMessage = m;
        return t.content;
      }
      return undefined;
    default:
      return undefined;
  }
}

// 2. After `known` is checked, the switch narrows every typed arm, and the exhaustive `never`
//    check compiles (and holds at runtime: unknown messages have taken the first branch).
function exhaustive(m: KfMessage): string {
  if (!m.known) {
    const u: UnknownMessage = m;
    // @ts-expect-error an unknown message is never typed as known
    const k: true = u.known;
    return `unknown ${u.msgType}/${u.event ?? ''}`;
  }
  switch (m.msgType) {
    case 'text':
      return m.content;
    case 'image':
      return m.picUrl;
    case 'miniprogrampage':
      return m.pagePath;
    case 'event':
      switch (m.event) {
        case 'user_enter_tempsession':
          return m.sessionFrom;
        case 'kf_create_session':
        case 'kf_close_session':
          return m.kfAccount;
        case 'kf_switch_session':
          return m.toKfAccount;
        case 'subscribe_msg_popup_event': {
          const e: SubscribeMsgPopupEvent = m;
          // @ts-expect-error popup entries carry no msgId
          e.list[0].msgId;
          return e.list.map((x) => `${x.templateId}:${x.subscribeStatusString}:${x.popupScene}`).join();
        }
        case 'subscribe_msg_change_event':
          return m.list.map((x) => x.subscribeStatusString).join();
        case 'subscribe_msg_sent_event': {
          const first: SubscribeMsgSentEntry | undefined = m.list[0];
          const id: string | undefined = first?.msgId;
          // @ts-expect-error errorCode is text as sent, in both formats
          const n: number | undefined = first?.errorCode;
          return id ?? '';
        }
        default: {
          const never: never = m;
          return never;
        }
      }
    default: {
      const never: never = m;
      return never;
    }
  }
}

// 3. Before narrowing, typed fields are not typed (a raw copy at most), and raw is structured.
function raw(m: KfMessage): RawValue {
  // @ts-expect-error kfAccount is typed on kf session events only (elsewhere a raw copy, if any)
  const kfAccount: string = m.kfAccount;
  const r: RawObject = m.raw;
  const nested = r['SendLocationInfo'];
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) return nested['Label'];
  const list = r['List'];
  if (Array.isArray(list)) return list[0];
  // @ts-expect-error a raw value may be an object, an array, a number... not only a string
  const sure: string = r['Content'];
  return null;
}

// 4. onMessage and Push.message use the union.
type OnMessage = Parameters<typeof createHandler>[0]['onMessage'];
const handler: OnMessage = (message, push) => {
  const m: KfMessage = message;
  const same: KfMessage = push.message;
  const k: boolean = push.known;
  if (message.msgType === 'voice') {
    // @ts-expect-error a voice message is never known
    const t: true = message.known;
  }
  return undefined;
};

export { voice, exhaustive, raw, handler };

// 5. One rule for the camelCase copies (issue 25): every other field of a push, typed or not, is
//    on the message under its lowerCamelCase name, declared as a raw value (the subscribe event's
//    XML wrapper, an `Event` on a text push, a device id...); the typed members stay typed.
export function copies(m: SubscribeMsgSentEvent | SubscribeMsgPopupEvent, t: TextMessage): RawValue | undefined {
  const wrapper: RawValue | undefined = m.subscribeMsgSentEvent ?? m.subscribeMsgPopupEvent;
  // @ts-expect-error a copy is a raw value, not the typed list
  const typed: SubscribeMsgSentEntry[] = m.subscribeMsgSentEvent;
  const event: string | undefined = t.event;
  const id: string = t.msgId;
  const device = t.deviceId;
  return typeof device === 'string' ? device : wrapper;
}
