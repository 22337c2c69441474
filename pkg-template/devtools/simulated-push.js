// The platform's side of a push, shared by `wechat-kf simulate` and the browser debugger: the
// fields of each message type, their XML or JSON text, and the signed (optionally encrypted)
// request as the platform sends it. Standard JS only (crypto.getRandomValues), so it runs in
// Node and in the page alike.

function randomU32s(n) {
  return crypto.getRandomValues(new Uint32Array(n));
}

/**
 * A subscribe-message event's list in the platform's shape for `format`: in XML a wrapper
 * element named after the event holding one `List` element per template; in JSON a top-level
 * `List` array (docs/protocol.md). The core writes either (writeFields nests objects and arrays).
 */
function subscribeList(wrapper, entries, format) {
  return format === 'json' ? { List: entries } : { [wrapper]: { List: entries } };
}

const TEMPLATE_1 = 'simulated-template-accept';
const TEMPLATE_2 = 'simulated-template-reject';

/**
 * Message types and events `simulate --type` knows, with the fields each adds (o.format picks
 * the nested shapes). Every arm of KfMessage has one: the typed messages and events, and an
 * UnknownMessage (voice: a type this version does not type; location_select: an untyped event
 * with a nested SendLocationInfo).
 */
export const TYPES = {
  text: (o) => ({ MsgType: 'text', Content: o.content ?? '你好 (a message simulated by wechat-kf)' }),
  image: () => ({ MsgType: 'image', PicUrl: 'https://example.invalid/simulated.jpg', MediaId: 'simulated_media_id' }),
  miniprogrampage: () => ({
    MsgType: 'miniprogrampage', Title: '模拟卡片 simulated card', AppId: 'wx0000000000simulate',
    PagePath: 'pages/index/index', ThumbUrl: 'https://example.invalid/thumb.jpg', ThumbMediaId: 'simulated_thumb_media_id',
  }),
  user_enter_tempsession: () => ({ MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'wechat-kf-simulate' }),
  kf_create_session: () => ({ MsgType: 'event', Event: 'kf_create_session', KfAccount: 'test1@simulate' }),
  kf_close_session: () => ({ MsgType: 'event', Event: 'kf_close_session', KfAccount: 'test1@simulate', CloseType: 'KF' }),
  kf_switch_session: () => ({ MsgType: 'event', Event: 'kf_switch_session', FromKfAccount: 'test1@simulate', ToKfAccount: 'test2@simulate' }),
  subscribe_msg_popup_event: (o) => ({
    MsgType: 'event', Event: 'subscribe_msg_popup_event',
    ...subscribeList('SubscribeMsgPopupEvent', [
      { TemplateId: TEMPLATE_1, SubscribeStatusString: 'accept', PopupScene: '0' },
      { TemplateId: TEMPLATE_2, SubscribeStatusString: 'reject', PopupScene: '0' },
    ], o.format),
  }),
  subscribe_msg_change_event: (o) => ({
    MsgType: 'event', Event: 'subscribe_msg_change_event',
    ...subscribeList('SubscribeMsgChangeEvent', [{ TemplateId: TEMPLATE_2, SubscribeStatusString: 'reject' }], o.format),
  }),
  subscribe_msg_sent_event: (o) => ({
    MsgType: 'event', Event: 'subscribe_msg_sent_event',
    ...subscribeList('SubscribeMsgSentEvent', [
      { TemplateId: TEMPLATE_1, MsgID: msgId(), ErrorCode: '0', ErrorStatus: 'success' },
    ], o.format),
  }),
  voice: () => ({ MsgType: 'voice', MediaId: 'simulated_voice_media_id', Format: 'amr', Recognition: '' }),
  location_select: () => ({
    MsgType: 'event', Event: 'location_select', EventKey: 'simulated_menu_key',
    SendLocationInfo: { Location_X: '23.134521', Location_Y: '113.358803', Scale: '15', Label: '模拟位置 simulated place', Poiname: '' },
  }),
};

/** The plaintext of a push in the platform's XML or JSON (64-bit ids as bare digits), written by the core. */
export function serialize(lib, fields, format) {
  return lib.writeFields(fields, format);
}

/** A fresh 64-bit message id above 2^53, as the platform's are. */
function msgId() {
  const [hi, lo] = randomU32s(2);
  return (BigInt.asUintN(62, (BigInt(hi) << 32n) | BigInt(lo)) | (1n << 62n)).toString();
}

/**
 * The fields of one push. o: { type, from, to, content?, businessId?, now (seconds), format? }
 * (format: 'xml' by default; the subscribe events' lists take its shape).
 */
export function pushFields(o) {
  const fields = { ToUserName: o.to, FromUserName: o.from, CreateTime: o.now, ...TYPES[o.type](o) };
  if (fields.MsgType !== 'event') fields.MsgId = msgId();
  if (o.businessId !== undefined) fields.BusinessId = o.businessId;
  return fields;
}

const nonce = () => String(100000000 + (randomU32s(1)[0] % 900000000));

/**
 * The request the platform sends: { query: URLSearchParams, body, contentType }.
 * keys: { token, encodingAESKey?, appId? }; encrypted needs all three (safe mode).
 */
export function pushRequest(lib, fields, { format, encrypted, keys, now }) {
  const timestamp = String(now);
  const n = nonce();
  const plaintext = serialize(lib, fields, format);
  const query = new URLSearchParams({ signature: lib.signature(keys.token, timestamp, n), timestamp, nonce: n, openid: fields.FromUserName });
  let body = plaintext;
  if (encrypted) {
    const crypt = new lib.WXBizMsgCrypt(keys);
    try {
      const encrypt = crypt.encrypt(plaintext);
      body = lib.writeFields({ ToUserName: fields.ToUserName, Encrypt: encrypt }, format);
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', crypt.msgSignature(timestamp, n, encrypt));
    } finally {
      crypt.free();
    }
  }
  return { query, body, plaintext, contentType: format === 'json' ? 'application/json' : 'text/xml' };
}

/** The URL verification GET's query: signature over token, timestamp, nonce; a random echostr. */
export function verificationQuery(lib, token, now) {
  const timestamp = String(now);
  const n = nonce();
  const [hi, lo] = randomU32s(2);
  const echostr = BigInt.asUintN(63, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  return { query: new URLSearchParams({ signature: lib.signature(token, timestamp, n), timestamp, nonce: n, echostr }), echostr };
}

/** The x-wx-* headers the platform adds to a push over its internal link to Cloud Hosting. */
export function cloudHeaders(fields, { source = true, appId = 'wx_simulate_app', env = 'simulate-env', accessToken } = {}) {
  const headers = { 'x-wx-openid': fields.FromUserName, 'x-wx-appid': appId, 'x-wx-env': env };
  if (source) headers['x-wx-source'] = 'other';
  if (accessToken) headers['x-wx-cloudbase-access-token'] = accessToken;
  return headers;
}

/**
 * A WeChat Cloud Hosting request as the platform sends it: unsigned, unencrypted, the body
 * built by the core (lib.cloudPushBody / lib.cloudProbeBody), the x-wx-* headers (x-wx-source
 * unless `source: false`). fields: the push's fields, or 'probe' for CheckContainerPath.
 * Returns { body, contentType, headers }.
 */
export function cloudRequest(lib, fields, { format, ...headerOptions }) {
  const probe = fields === 'probe';
  const body = probe ? lib.cloudProbeBody(format) : lib.cloudPushBody(fields, format);
  const contentType = format === 'json' ? 'application/json' : 'text/xml';
  const headers = probe
    ? (headerOptions.source === false ? {} : { 'x-wx-source': 'other' })
    : cloudHeaders(fields, headerOptions);
  return { body, contentType, headers: { 'content-type': contentType, ...headers } };
}
