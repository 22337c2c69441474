// Type-level test of the inbound API: compiled by `tsc -p js-tests/types/tsconfig.json`.
// Each @ts-expect-error proves a narrowing or a refusal; an unused one fails the build.
import {
  Receiver,
  MemoryStore,
  createHandler,
  createNodeListener,
  createExpressMiddleware,
  createKoaMiddleware,
  type KfMessage,
  type Push,
  type DedupStore,
  type Store,
  type UnknownMessage,
} from 'wechat-kf';

const receiver = new Receiver({ token: 't', encodingAESKey: 'k', appId: 'a', maxSkewSeconds: 300, now: () => Date.now() });
const echo: string = receiver.verifyUrl(new URLSearchParams('signature=x'));
const push: Push = receiver.receive({ query: { timestamp: '1', nonce: '2' }, body: new Uint8Array(0), contentType: 'text/xml' });
const reply: { body: string; contentType: string } = push.transferReply();
const mode: 'plaintext' | 'compatible' | 'safe' | 'cloud' = push.mode;
// @ts-expect-error body must be a string or bytes
receiver.receive({ query: {}, body: 42 });
// @ts-expect-error now returns milliseconds as a number
new Receiver({ token: 't', encodingAESKey: 'k', appId: 'a', now: () => 'soon' });
// A plaintext-mode account: the token only.
const keyless = new Receiver({ token: 't' });
const skew: number = keyless.maxSkewSeconds;
const hasKey: boolean = keyless.hasKey;
// @ts-expect-error the token is required
new Receiver({ encodingAESKey: 'k', appId: 'a' });
createHandler({
  token: 't', encodingAESKey: 'k', appId: 'a', allowPlaintext: true, dedupTtlSeconds: 660,
  onMessage: () => undefined,
  onError: (error, info) => {
    if (info.phase === 'late-reply' || info.phase === 'respond') console.log(error, info.dedupKey);
    // @ts-expect-error no such phase
    if (info.phase === 'late') console.log(error);
  },
});

function handle(m: KfMessage): string {
  // @ts-expect-error content is a string only on text messages (elsewhere a raw copy, if any)
  const content: string = m.content;
  if (!m.known) return m.msgType; // the honest arm first (see structured.ts)
  switch (m.msgType) {
    case 'text': {
      const id: string = m.msgId; // ids are strings
      // @ts-expect-error msgId is never a number
      const n: number = m.msgId;
      // @ts-expect-error a text message's mediaId, if its push has one, is a raw copy, not typed
      const media: string = m.mediaId;
      // a push's Event is on every message that has one (issue 25), typed as a string
      const event: string | undefined = m.event;
      return m.content;
    }
    case 'image':
      return m.picUrl + m.mediaId;
    case 'miniprogrampage':
      return m.title + m.appId + m.pagePath + m.thumbUrl + m.thumbMediaId;
    case 'event':
      // @ts-expect-error an event has a msgId only when its push has a MsgId
      const eventId: string = m.msgId;
      switch (m.event) {
        case 'user_enter_tempsession':
          return m.sessionFrom;
        case 'kf_create_session':
          // @ts-expect-error closeType is typed on kf_close_session only
          const closeType: string = m.closeType;
          return m.kfAccount;
        case 'kf_close_session':
          return m.kfAccount + m.closeType;
        case 'kf_switch_session':
          return m.fromKfAccount + m.toKfAccount;
        case 'subscribe_msg_popup_event':
        case 'subscribe_msg_change_event':
        case 'subscribe_msg_sent_event':
          return m.list.map((e) => e.templateId).join();
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

function other(p: Push): unknown {
  if (!p.known) {
    const u = p.message as UnknownMessage;
    return u.raw['MediaId'];
  }
  const business: number | undefined = p.message.businessId;
  const created: number = p.message.createTime;
  return handle(p.message) + business + created;
}

const store: Store = new MemoryStore({ maxKeys: 10, now: () => Date.now(), onError: (e) => void e.code });
const redisLike: DedupStore = { claim: async () => true, release: async () => {} };

const web = createHandler({
  token: 't',
  encodingAESKey: 'k',
  appId: 'a',
  store,
  storeTimeoutMs: 500,
  replyTimeoutMs: 3000,
  onMessage: async (message) => (message.msgType === 'text' ? 'transfer' : undefined),
});
const response: Promise<Response> = web(new Request('http://x/'), { waitUntil: () => {} });
createNodeListener({ receiver, onMessage: () => 'success', dedup: redisLike });
createExpressMiddleware({ receiver, onMessage: (m, p) => p.transferReply(), dedup: false });
createKoaMiddleware({ receiver, onMessage: () => {} });
// @ts-expect-error onMessage may not return arbitrary strings
createHandler({ receiver, onMessage: () => 'hello' });
// @ts-expect-error onMessage is required
createHandler({ receiver });

export { echo, reply, mode, other, response };
