// Type-level usage of the crypto and outbound API: compiled by `tsc -p js-tests/types`
// (noEmit). Each @ts-expect-error line must fail to type-check, or tsc reports it unused.
import {
  WXBizMsgCrypt,
  signature,
  checkSignature,
  readFields,
  writeFields,
  WxkfError,
  init,
  requests,
  parseResponse,
  SendWindow,
  MemoryStore,
  chatbot,
  Client,
  type Decrypted,
  type RequestDescriptor,
  type SendWindowDecision,
  type WxkfErrorDetails,
} from 'wechat-kf';

export async function crypto(): Promise<void> {
  await init();
  const c = new WXBizMsgCrypt({ token: 't', encodingAESKey: 'k'.repeat(43), appId: 'wx' });
  const e: string = c.encrypt('hi');
  const e2: string = c.encrypt('hi', new Uint8Array(16));
  const d: Decrypted = c.decrypt(e);
  const text: string = d.plaintext + d.appId + e2;
  const sig: string = c.msgSignature(1700000000, '123', e) + c.msgSignature('1', 2, e);
  const plain: string = c.decryptMessage({ msgSignature: sig, timestamp: 1, nonce: '2', body: new Uint8Array(0) });
  const env: string = c.encryptMessage(text, { format: 'json', timestamp: 1, nonce: 2 });
  const echo: string = c.verifyUrl({ signature: sig, timestamp: '1', nonce: '2', echostr: 'x' });
  const echo2: string = c.verifyUrl({ msgSignature: sig, timestamp: 1, nonce: 2, echostr: 'x' });
  const s: string = signature('t', 1, 2) + signature('t', '1', '2', e);
  const ok: boolean = checkSignature('t', 1, '2', s) || checkSignature('t', '1', 2, s, e);
  const read = readFields('<xml><a>1</a></xml>');
  const format: 'xml' | 'json' = read.format;
  const written: string = writeFields({ ToUserName: 'gh', CreateTime: 1, MsgId: 2n, Skip: undefined }, 'json') + writeFields({ a: 'b' });
  // Nested fields as the platform nests them (issue 25): the subscribe events' lists.
  writeFields({ MsgType: 'event', SubscribeMsgPopupEvent: { List: [{ TemplateId: 't', PopupScene: 0 }] } });
  // @ts-expect-error a boolean is no field value
  writeFields({ A: true });
  void [plain, env, echo, echo2, s, ok, format, written];
  // @ts-expect-error format is 'xml' or 'json'
  c.encryptMessage('x', { format: 'yaml' });
  // @ts-expect-error appId is required
  new WXBizMsgCrypt({ token: 't', encodingAESKey: 'k' });
  // @ts-expect-error decrypt returns an object, not a string
  const wrong: string = c.decrypt(e);
  void wrong;
  try {
    c.decrypt('');
  } catch (error) {
    if (error instanceof WxkfError) {
      const code: number = error.code;
      const kind: string = error.kind;
      void [code, kind];
    }
  }
}

export async function outbound(): Promise<void> {
  const req: RequestDescriptor = requests.sendText({ touser: 'o', content: 'hi', businessId: 1 });
  const method: 'GET' | 'POST' = req.method;
  const body: string | null = req.body;
  void [method, body];
  requests.typing({ touser: 'o', command: 'CancelTyping' });
  // @ts-expect-error the command is Typing or CancelTyping
  requests.typing({ touser: 'o', command: 'Stop' });
  // @ts-expect-error touser is required
  requests.sendImage({ mediaId: 'm' });
  const data: { access_token: string } = parseResponse<{ access_token: string }>('{"access_token":"x"}');
  void data;
  const window = new SendWindow({ store: new MemoryStore(), appId: 'wx1', rules: { enter: { limit: 1 } } });
  await window.observe('o', 'enter');
  const decision: SendWindowDecision = await window.check('o');
  const allowed: boolean = decision.allowed;
  void allowed;
  // @ts-expect-error actions are 'message' or 'enter'
  await window.observe('o', 'follow');
  const client = new Client({ appId: 'wx', appSecret: 's', stableToken: true, sendWindow: window });
  const sent = await client.sendText({ touser: 'o', content: 'hi' });
  const errcode: number = sent.errcode;
  void errcode;
  const msg: string = chatbot.msg.textWithMenu('满意吗', ['满意', { content: '不满意', id: '2' }]);
  const bot = new chatbot.Bot({ token: 't', encodingAESKey: 'k'.repeat(43), appId: 'bot' });
  const payload = bot.sendmsg({ openid: 'o', msg, channel: chatbot.channels.WebH5 });
  void payload;
  // @ts-expect-error channel 1 does not exist
  bot.sendmsg({ openid: 'o', msg, channel: 1 });
  const details: WxkfErrorDetails = { hint: 'h', retryable: true };
  void details;
}
