// The typed messages and events a push carries (Push.message), and its structured raw fields.

/**
 * A field's value as sent, with its structure (`raw` and the lowerCamelCase copies): an XML
 * element with child elements or a JSON object is an object; a repeated element (or key) is an
 * array in document order, as is a JSON array; XML text and JSON strings are strings; JSON
 * numbers are numbers, except integers beyond 2^53, which are strings of their exact digits.
 */
export type RawValue = string | number | boolean | null | RawValue[] | RawObject;

export interface RawObject {
  [name: string]: RawValue;
}

/** Fields every message and event has, typed or not. */
interface MessageFields {
  /** The account (mini program's original id). */
  toUserName: string;
  /** The user's openid. */
  fromUserName: string;
  /** Unix seconds. */
  createTime: number;
  /** The sub-merchant id, for sessions of a customer-service sub-merchant. */
  businessId?: number;
  /** Every field by its original name, with its structure (see RawValue). */
  raw: RawObject;
}

/**
 * Fields every typed message and event has. One rule for every message, typed or not: besides
 * its typed members, a message carries every other field of the push under its lowerCamelCase
 * name (`Location_X` -> `locationX`, `MsgID` -> `msgID`, nested objects camel-cased too, with
 * the structure of `raw`), declared here by the index signature as raw values: read one after
 * checking its type (`typeof m.deviceId === 'string'`). The typed members and the common names
 * are never replaced by such a copy. A field whose camelCase name would be a member of
 * `Object.prototype` (`ToString`, `HasOwnProperty`, `ValueOf`, `Constructor`) is not copied:
 * it is in `raw` only, so `hasOwnProperty`, `toString` and `valueOf` are always the inherited
 * methods; a field named so as sent is refused (-40002 / -40012).
 */
export interface MessageBase extends MessageFields {
  /** True: this version types the message (false: an UnknownMessage). */
  known: true;
  /** Every other field of the push, under its lowerCamelCase name (see above). */
  [field: string]: RawValue | undefined;
}

interface UserMessageBase extends MessageBase {
  /**
   * The 64-bit message id, as exact decimal digits (never a number: ids exceed 2^53): `MsgId`,
   * or `MsgID` when the push spells it so. Empty when the push has neither (the platform
   * always sends one; the dedup key is then the event form with the MsgType).
   */
  msgId: string;
  /** The push's `Event` when it has one (not a discriminant here: `msgType` is). */
  event?: string;
}

interface EventBase extends MessageBase {
  msgType: 'event';
  /**
   * `MsgId` when the event has one (then its dedup key). An event's `MsgID` names the message
   * it reports on (a subscribe or template message sent), not the push: it is `msgID`.
   */
  msgId?: string;
}

export interface TextMessage extends UserMessageBase {
  msgType: 'text';
  content: string;
}

export interface ImageMessage extends UserMessageBase {
  msgType: 'image';
  picUrl: string;
  mediaId: string;
}

export interface MiniProgramPageMessage extends UserMessageBase {
  msgType: 'miniprogrampage';
  title: string;
  appId: string;
  pagePath: string;
  thumbUrl: string;
  thumbMediaId: string;
}

export interface UserEnterTempSessionEvent extends EventBase {
  event: 'user_enter_tempsession';
  sessionFrom: string;
}

export interface KfCreateSessionEvent extends EventBase {
  event: 'kf_create_session';
  kfAccount: string;
}

export interface KfCloseSessionEvent extends EventBase {
  event: 'kf_close_session';
  kfAccount: string;
  closeType: string;
}

export interface KfSwitchSessionEvent extends EventBase {
  event: 'kf_switch_session';
  fromKfAccount: string;
  toKfAccount: string;
}

/** One template of a subscribe-message popup. Values are text as sent, in both formats. */
export type SubscribeMsgPopupEntry = {
  templateId: string;
  /** 'accept' or 'reject'. */
  subscribeStatusString: string;
  /** Where the popup was shown (e.g. '0' in a mini program page). */
  popupScene: string;
};

export type SubscribeMsgChangeEntry = {
  templateId: string;
  /** 'reject' (the platform pushes only refusals here). */
  subscribeStatusString: string;
};

export type SubscribeMsgSentEntry = {
  templateId: string;
  /** The 64-bit id of the message sent, as exact decimal digits (`MsgID`). */
  msgId: string;
  /** '0' when delivered. */
  errorCode: string;
  /** 'success', or 'failed:...' with the reason. */
  errorStatus: string;
};

/**
 * The user answered a subscribe-message popup. `list` is always an array (XML nests the
 * entries as repeated `List` elements in `SubscribeMsgPopupEvent`; JSON sends `List` as an
 * array, or as one object when there is one entry).
 */
export interface SubscribeMsgPopupEvent extends EventBase {
  event: 'subscribe_msg_popup_event';
  list: SubscribeMsgPopupEntry[];
}

/** The user changed a subscription in the settings (same list shapes as the popup). */
export interface SubscribeMsgChangeEvent extends EventBase {
  event: 'subscribe_msg_change_event';
  list: SubscribeMsgChangeEntry[];
}

/** The delivery result of subscribe messages (same list shapes as the popup). */
export interface SubscribeMsgSentEvent extends EventBase {
  event: 'subscribe_msg_sent_event';
  list: SubscribeMsgSentEntry[];
}

export type KfUserMessage = TextMessage | ImageMessage | MiniProgramPageMessage;

export type KfEvent =
  | UserEnterTempSessionEvent
  | KfCreateSessionEvent
  | KfCloseSessionEvent
  | KfSwitchSessionEvent
  | SubscribeMsgPopupEvent
  | SubscribeMsgChangeEvent
  | SubscribeMsgSentEvent;

/**
 * A message type or event this version does not type (for example `voice`, `location`, or a
 * new event): `known` is false, every field is in `raw` and under its lowerCamelCase name
 * (`message.mediaId`, `message.sendLocationInfo.label`).
 */
export interface UnknownMessage extends MessageFields {
  known: false;
  msgType: string;
  /** The push's `Event` when it has one (whatever its MsgType: `device_event` has one too). */
  event?: string;
  /**
   * The 64-bit message id, as exact decimal digits, when the push has a `MsgId` (or, when it
   * is not an event, a `MsgID`).
   */
  msgId?: string;
  [field: string]: RawValue | undefined;
}

/**
 * Every push: the typed arms and the honest arm for the rest. Check `known` first, then narrow
 * on `msgType` and `event`:
 * `if (!m.known) { ... } else switch (m.msgType) { ... default: const n: never = m }`.
 * (`case 'voice'` compiles and narrows to UnknownMessage.)
 */
export type KfMessage = KfUserMessage | KfEvent | UnknownMessage;

// Declarations above without `export` stay private to this file.
export {};
