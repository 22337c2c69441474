// Runtime-agnostic assertions on the outbound API: requests (whole bodies), parseResponse (the
// errcode catalog), SendWindow (edges with an injected clock) and chatbot (payloads, rich msg,
// encryption round trip). No network. Standard JS only.
import { makeChecker } from './check.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const H = 3_600_000;
const T0 = 1_700_000_000_000;

/** [builder, input, method, path, query, body] */
const BODIES = [
  ['sendText', { touser: 'OPENID', content: 'Hello World' }, 'POST', '/cgi-bin/message/custom/send', {},
    '{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"}}'],
  ['sendText', { touser: 'OPENID', content: 'Hello World', businessId: 1 }, 'POST', '/cgi-bin/message/custom/business/send', {},
    '{"touser":"OPENID","businessid":1,"msgtype":"text","text":{"content":"Hello World"}}'],
  ['sendImage', { touser: 'OPENID', mediaId: 'MEDIA_ID' }, 'POST', '/cgi-bin/message/custom/send', {},
    '{"touser":"OPENID","msgtype":"image","image":{"media_id":"MEDIA_ID"}}'],
  ['sendLink', { touser: 'OPENID', title: 'Happy Day', description: 'Is Really A Happy Day', url: 'https://a.example/x', thumbUrl: 'https://a.example/t.jpg' },
    'POST', '/cgi-bin/message/custom/send', {},
    '{"touser":"OPENID","msgtype":"link","link":{"title":"Happy Day","description":"Is Really A Happy Day","url":"https://a.example/x","thumb_url":"https://a.example/t.jpg"}}'],
  ['sendMiniProgramPage', { touser: 'OPENID', title: 'title', pagePath: 'pages/index', thumbMediaId: 'thumb' }, 'POST', '/cgi-bin/message/custom/send', {},
    '{"touser":"OPENID","msgtype":"miniprogrampage","miniprogrampage":{"title":"title","pagepath":"pages/index","thumb_media_id":"thumb"}}'],
  ['typing', { touser: 'OPENID', command: 'Typing' }, 'POST', '/cgi-bin/message/custom/typing', {}, '{"touser":"OPENID","command":"Typing"}'],
  ['typing', { touser: 'OPENID', command: 'CancelTyping', businessId: 1 }, 'POST', '/cgi-bin/message/custom/business/typing', {},
    '{"businessid":1,"touser":"OPENID","command":"CancelTyping"}'],
  ['getKfList', undefined, 'GET', '/cgi-bin/customservice/getkflist', {}, null],
  ['getOnlineKfList', { businessId: 2 }, 'GET', '/cgi-bin/customservice/getonlinekflist', { business_id: '2' }, null],
  ['addKfAccount', { kfWx: 'test1', businessId: 1 }, 'POST', '/customservice/kfaccount/add', {}, '{"kf_wx":"test1","business_id":1}'],
  ['deleteKfAccount', { kfOpenid: 'KFOPENID' }, 'GET', '/customservice/kfaccount/del', { kf_openid: 'KFOPENID' }, null],
  ['setKfAdmin', { kfOpenid: 'KFOPENID' }, 'GET', '/customservice/kfaccount/setadmin', { kf_openid: 'KFOPENID' }, null],
  ['cancelKfAdmin', { kfOpenid: 'KFOPENID', businessId: 9 }, 'GET', '/customservice/kfaccount/canceladmin', { kf_openid: 'KFOPENID', business_id: '9' }, null],
  ['registerBusiness', { accountName: 'apple_1', nickname: '苹果', iconMediaId: 'media_id', transferToCommkf: true }, 'POST', '/cgi-bin/business/register', {},
    '{"account_name":"apple_1","nickname":"苹果","icon_media_id":"media_id","transfer_to_commkf":true}'],
  ['updateBusiness', { businessId: 1, nickname: '苹果' }, 'POST', '/cgi-bin/business/update', {}, '{"business_id":1,"nickname":"苹果","icon_media_id":""}'],
  ['getBusiness', { accountName: 'apple_1' }, 'POST', '/cgi-bin/business/get', {}, '{"account_name":"apple_1"}'],
  ['listBusiness', { offset: 0, count: 100 }, 'POST', '/cgi-bin/business/list', {}, '{"offset":0,"count":100}'],
];

/** [builder, input, code, field] */
const INVALID = [
  ['sendText', { content: 'x' }, -42001, 'touser'],
  ['sendText', { touser: 'o', content: '' }, -42001, 'content'],
  ['sendImage', { touser: 'o', mediaId: '' }, -42001, 'mediaId'],
  ['sendLink', { touser: 'o', title: 't', description: 'd', url: 'not a url', thumbUrl: 'https://a/b' }, -42002, 'url'],
  ['registerBusiness', { accountName: 'apple', nickname: 'abcd', iconMediaId: 'm' }, -42002, 'accountName'],
  ['registerBusiness', { accountName: 'apple_1', nickname: '苹a', iconMediaId: 'm' }, -42002, 'nickname'],
  ['listBusiness', { offset: 0, count: 201 }, -42002, 'count'],
  ['typing', { touser: 'o', command: 'typing' }, -42002, 'command'],
  ['sendText', { touser: 'o', content: 'x', bogus: 1 }, -42002, 'bogus'],
];

/** [builder, input, the key given, the documented name the message must suggest] */
const NEAR_MISSES = [
  ['sendMiniProgramPage', { touser: 'o', title: 't', pagepath: 'p', thumbMediaId: 'm' }, 'pagepath', 'pagePath'],
  ['sendMiniProgramPage', { touser: 'o', title: 't', page_path: 'p', thumbMediaId: 'm' }, 'page_path', 'pagePath'],
  ['sendMiniProgramPage', { touser: 'o', title: 't', pagePath: 'p', thumb_media_id: 'm' }, 'thumb_media_id', 'thumbMediaId'],
  ['sendImage', { touser: 'o', media_id: 'm' }, 'media_id', 'mediaId'],
  ['sendImage', { touser: 'o', MediaId: 'm' }, 'MediaId', 'mediaId'],
  ['sendLink', { touser: 'o', title: 't', description: 'd', url: 'https://a.b/', thumb_url: 'https://a.b/1.jpg' }, 'thumb_url', 'thumbUrl'],
  ['sendText', { touser: 'o', content: 'x', business_id: 1 }, 'business_id', 'businessId'],
  ['sendText', { toUser: 'o', content: 'x' }, 'toUser', 'touser'],
  ['setKfAdmin', { kf_openid: 'k' }, 'kf_openid', 'kfOpenid'],
  ['addKfAccount', { kf_wx: 'w' }, 'kf_wx', 'kfWx'],
  ['registerBusiness', { account_name: 'shop_one', nickname: 'Shop1', iconMediaId: 'm' }, 'account_name', 'accountName'],
  ['registerBusiness', { accountName: 'shop_one', nickname: 'Shop1', icon_media_id: 'm' }, 'icon_media_id', 'iconMediaId'],
  ['registerBusiness', { accountName: 'shop_one', nickname: 'Shop1', iconMediaId: 'm', transfer_to_commkf: true }, 'transfer_to_commkf', 'transferToCommkf'],
  ['token', { appid: 'wx1', appSecret: 's' }, 'appid', 'appId'],
  ['stableToken', { appId: 'wx1', app_secret: 's' }, 'app_secret', 'appSecret'],
  ['stableToken', { appId: 'wx1', appSecret: 's', force_refresh: true }, 'force_refresh', 'forceRefresh'],
  ['mediaGet', { media_id: 'm' }, 'media_id', 'mediaId'],
];

const CATALOG = [
  [-1, 'SystemBusy', true], [40001, 'InvalidCredential', true], [40003, 'InvalidOpenId', false],
  [45015, 'SendWindowExpired', false], [45047, 'SendQuotaExceeded', false], [48001, 'ApiUnauthorized', false],
  [45072, 'InvalidTypingCommand', false], [45080, 'TypingWithoutInteraction', false], [45081, 'AlreadyTyping', false],
  [65400, 'KfApiUnavailable', false], [65414, 'UserServedByOtherKf', false], [40004, 'InvalidMediaType', false],
  [40005, 'UnsupportedFileType', false], [40007, 'InvalidMediaId', false], [40009, 'InvalidImageSize', false],
  [45070, 'BusinessAccountNameTaken', false], [45071, 'BusinessNotFound', false], [45077, 'BusinessLimitReached', false],
  [45078, 'InvalidBusinessNickname', false], [45079, 'BusinessNicknameForbidden', false], [45091, 'InvalidBusinessAccountName', false],
  [1001, 'ChatbotTokenInvalid', false], [1008, 'ChatbotMissingMessageFields', false],
];

export async function runOutboundSuite(lib, { log = () => {} } = {}) {
  const { requests, parseResponse, SendWindow, chatbot, WxkfError, MemoryStore } = lib;
  const c = makeChecker(log);
  const throwsCode = (fn, code, field) => {
    try {
      fn();
    } catch (e) {
      c.assertTrue(e instanceof WxkfError, `a WxkfError, got ${e}`);
      c.assertEq(e.code, code);
      if (field !== undefined) c.assertEq(e.field, field);
      return e;
    }
    throw new Error(`expected WxkfError ${code}`);
  };
  const rejectsCode = async (promise, code) => {
    try {
      await promise;
    } catch (e) {
      c.assertTrue(e instanceof WxkfError, `a WxkfError, got ${e}`);
      c.assertEq(e.code, code);
      return e;
    }
    throw new Error(`expected WxkfError ${code}`);
  };

  for (const [name, input, method, path, query, body] of BODIES) {
    c.check(`requests.${name} ${JSON.stringify(input)}`, () => {
      const r = requests[name](input);
      c.assertEq(JSON.stringify(r), JSON.stringify({ method, path, query, body }));
    });
  }
  for (const [name, input, code, field] of INVALID) {
    c.check(`requests.${name} rejects ${JSON.stringify(input)}`, () => throwsCode(() => requests[name](input), code, field));
  }
  for (const [name, input, given, right] of NEAR_MISSES) {
    c.check(`requests.${name} refuses the near miss ${given}, naming ${right}`, () => {
      const e = throwsCode(() => requests[name](input), -42002, given);
      c.assertEq(e.kind, 'InvalidField');
      c.assertTrue(e.message.includes(`did you mean ${right}?`), e.message);
    });
  }
  c.check('requests: secret (the platform\'s name) is refused for appSecret', () => {
    const e = throwsCode(() => requests.token({ appId: 'wx1', secret: 's' }), -42002, 'secret');
    c.assertTrue(e.message.includes('expected one of appId, appSecret'), e.message);
  });
  c.check('chatbot.msg refuses near misses, naming the right field', () => {
    c.assertTrue(throwsCode(() => chatbot.msg.image({ media_id: 'm' }), -42002, 'media_id').message.includes('did you mean mediaId?'));
    c.assertTrue(throwsCode(() => chatbot.msg.miniProgramPage({ title: 't', appId: 'wx1', pagepath: 'p' }), -42002, 'pagepath').message.includes('did you mean pagePath?'));
    c.assertTrue(throwsCode(() => chatbot.msg.news([{ title: 't', url: 'https://a.b/', picurl: 'https://a.b/1.jpg' }]), -42002, 'picurl').message.includes('did you mean picUrl?'));
  });
  if (lib.Client) {
    await c.checkAsync('Client methods refuse the same near misses before any request', async () => {
      let fetched = 0;
      const client = new lib.Client({ appId: 'wx1', appSecret: 'secret1', fetch: async () => { fetched += 1; throw new Error('no network'); } });
      for (const [name, input, given, right] of NEAR_MISSES.filter(([n]) => typeof client[n] === 'function')) {
        const e = await rejectsCode(client[name](input), -42002);
        c.assertEq(e.field, given);
        c.assertTrue(e.message.includes(`did you mean ${right}?`), e.message);
      }
      c.assertEq(fetched, 0);
    });
  }
  c.check('requests: BigInt input is InvalidInput', () => throwsCode(() => requests.sendText({ touser: 'o', content: 'x', businessId: 1n }), -42003));

  for (const [code, kind, retryable] of CATALOG) {
    c.check(`parseResponse errcode ${code}`, () => {
      const e = throwsCode(() => parseResponse(JSON.stringify({ errcode: code, errmsg: `m${code}` })), code);
      c.assertEq(e.kind, kind);
      c.assertEq(e.retryable, retryable);
      c.assertEq(e.errmsg, `m${code}`);
      c.assertTrue(typeof e.hint === 'string' && e.hint.length > 10, 'a hint');
    });
  }
  c.check('parseResponse success returns the data', () => {
    c.assertEq(parseResponse('{"access_token":"T","expires_in":7200}').access_token, 'T');
    c.assertEq(parseResponse({ errcode: 0, errmsg: 'ok', x: 1 }).x, 1);
  });
  c.check('parseResponse: not JSON is -40012', () => throwsCode(() => parseResponse('<html>'), -40012));
  c.check('parseResponse.catalog lists every code once', () => {
    const codes = parseResponse.catalog().map((e) => e.code);
    c.assertEq(new Set(codes).size, codes.length);
    for (const [code] of CATALOG) c.assertTrue(codes.includes(code), `catalog has ${code}`);
  });

  await c.checkAsync('SendWindow: 5 within 48 h after a message, exclusive deadline', async () => {
    let now = T0;
    const reported = [];
    const w = new SendWindow({ now: () => now, onError: (e, info) => reported.push(`${info.phase} ${e.code} ${e.reason}`) });
    // No record of the user: the window cannot tell, so it lets the send go (the platform
    // enforces 45015 itself) and reports it.
    const unchecked = await w.consume('u');
    c.assertEq(JSON.stringify([unchecked.allowed, unchecked.unchecked, unchecked.state]), JSON.stringify([true, 'no-state', null]));
    c.assertEq(reported.join(), 'sendWindow -43002 no-state');
    await w.observe('u', 'message');
    for (let i = 4; i >= 0; i--) c.assertEq((await w.consume('u')).remaining, i);
    await rejectsCode(w.consume('u'), 45047);
    await w.observe('u', 'message');
    now = T0 + 48 * H - 1;
    c.assertEq((await w.check('u')).allowed, true);
    now = T0 + 48 * H;
    c.assertEq((await w.check('u')).allowed, false);
    await rejectsCode(w.consume('u'), 45015); // the record outlives the window: refused locally
    c.assertEq(reported.length, 1);
  });
  await c.checkAsync('SendWindow: an openid longer than 128 characters is refused (-42002), not made into a store key', async () => {
    const store = new MemoryStore();
    const w = new SendWindow({ store, now: () => T0 });
    const long = 'o'.repeat(129);
    for (const call of [() => w.observe(long, 'message'), () => w.check(long), () => w.consume(long), () => w.reset(long)]) {
      await rejectsCode(call(), -42002);
    }
    c.assertEq(store.size, 0);
    // 128 is taken, and the platform's 28 of course.
    c.assertEq((await w.observe('o'.repeat(128), 'message')).remaining, 5);
    c.assertEq(store.size, 1);
  });
  await c.checkAsync('SendWindow: enter gives 2 within 1 min and resets rather than adds', async () => {
    let now = T0;
    const w = new SendWindow({ now: () => now });
    await w.observe('u', 'message');
    await w.consume('u');
    const s = await w.observe('u', 'enter');
    c.assertEq(JSON.stringify(s), JSON.stringify({ action: 'enter', remaining: 2, deadline: T0 + 60_000 }));
    await w.consume('u');
    await w.consume('u');
    await rejectsCode(w.consume('u'), 45047);
    now = T0 + 59_999;
    await rejectsCode(w.consume('u'), 45047);
    await w.observe('u', 'enter');
    c.assertEq((await w.check('u')).remaining, 2);
    now += 60_000;
    await rejectsCode(w.consume('u'), 45015);
  });
  await c.checkAsync('SendWindow: inbound messages feed it; custom rules; concurrent consumes', async () => {
    const w = new SendWindow({ now: () => T0, rules: { enter: { limit: 3 } } });
    c.assertEq(w.rules.enter.limit, 3);
    c.assertEq(w.rules.enter.windowMs, 60_000);
    c.assertEq(await w.observeMessage({ msgType: 'event', event: 'kf_close_session', fromUserName: 'u' }), undefined);
    c.assertEq((await w.observeMessage({ msgType: 'event', event: 'user_enter_tempsession', fromUserName: 'u' })).remaining, 3);
    c.assertEq((await w.observeMessage({ msgType: 'text', fromUserName: 'v' })).remaining, 5);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => w.consume('v')));
    c.assertEq(results.filter((r) => r.status === 'fulfilled').length, 5);
    throwsCode(() => new SendWindow({ rules: { enter: { limt: 1 } } }), -41006, 'rules.enter.limt');
  });

  await c.checkAsync('SendWindow over a shared store: 4 instances, 12 concurrent consumes -> 5, key window:<appId>:<openid>', async () => {
    const store = new MemoryStore({ now: () => T0 });
    const windows = Array.from({ length: 4 }, () => new SendWindow({ store, appId: 'wxA', now: () => T0 }));
    await windows[0].observe('u', 'message');
    c.assertEq(JSON.parse(store.get('window:wxA:u')).remaining, 5);
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => windows[i % 4].consume('u')));
    c.assertEq(results.filter((r) => r.status === 'fulfilled').length, 5);
    c.assertEq(results.filter((r) => r.status === 'rejected' && r.reason.code === 45047).length, 7);
    c.assertEq((await windows[3].check('u')).remaining, 0);
  });
  await c.checkAsync('SendWindow.refund: gives a slot back into the same window only', async () => {
    let now = T0;
    const w = new SendWindow({ now: () => now });
    await w.observe('u', 'enter');
    const first = await w.consume('u');
    c.assertEq(first.remaining, 1);
    c.assertEq(await w.refund('u', first.state), true);
    c.assertEq((await w.check('u')).remaining, 2);
    c.assertEq(await w.refund('u', first.state), false); // never above the limit
    const again = await w.consume('u');
    now += 10;
    await w.observe('u', 'enter'); // a new window: nothing to give back
    await w.consume('u');
    c.assertEq(await w.refund('u', again.state), false);
    c.assertEq((await w.check('u')).remaining, 1);
  });

  const bot = new chatbot.Bot({ token: 'BotToken_1', encodingAESKey: KEY, appId: 'BOTAPPID' });
  c.check('chatbot: payload XML', () => {
    c.assertEq(chatbot.payloadXml({ appId: 'wx1', openid: 'o', msg: 'hi', channel: chatbot.channels.Bound, event: chatbot.events.waiterEnter, kefuname: 'K' }),
      '<xml><appid><![CDATA[wx1]]></appid><openid><![CDATA[o]]></openid><msg><![CDATA[hi]]></msg><channel>0</channel><event><![CDATA[waiterEnter]]></event><kefuname><![CDATA[K]]></kefuname></xml>');
    throwsCode(() => chatbot.payloadXml({ openid: 'o', msg: 'hi', channel: 0 }), -42001, 'appId');
    throwsCode(() => chatbot.payloadXml({ openid: 'o', msg: 'hi', channel: 1 }), -42002, 'channel');
  });
  c.check('chatbot: rich msg forms', () => {
    c.assertEq(chatbot.msg.textWithMenu('Pick one', ['满意', { content: 'no', id: '2', label: 'Not really' }]),
      'Pick one\n<a href="weixin://bizmsgmenu?msgmenucontent=满意&msgmenuid=满意">满意</a>\n<a href="weixin://bizmsgmenu?msgmenucontent=no&msgmenuid=2">Not really</a>');
    c.assertEq(chatbot.msg.hyperlink({ before: 'Go to ', text: 'openai', url: 'https://chatbot.weixin.qq.com/' }),
      'Go to <a href="https://chatbot.weixin.qq.com/">openai</a>');
    const news = chatbot.msg.news([{ title: 'T', description: 'D', url: 'https://n.qq.com/a', picUrl: 'https://p.qq.com/1.jpg', type: 'h5' }]);
    c.assertEq(news, '{"news":{"articles":[{"title":"T","description":"D","url":"https://n.qq.com/a","picurl":"https://p.qq.com/1.jpg","type":"h5"}]}}');
    const page = chatbot.msg.miniProgramPage({ title: 't', appId: 'wx8c631f7e9f2465e1', pagePath: 'pages/index/index' });
    c.assertEq(page, '{"miniprogrampage":{"title":"t","appid":"wx8c631f7e9f2465e1","pagepath":"pages/index/index"}}');
    c.assertEq(chatbot.msg.multimsg(['Hello,', page, news]), `{"multimsg":["Hello,",${page},${news}]}`);
  });
  c.check('chatbot: sendmsg round trip and platform-side codes', () => {
    const random = new Uint8Array(16).fill(7);
    const payload = { appId: 'wx1', openid: 'o1', msg: { image: { media_id: 'M' } }, channel: 0 };
    const req = bot.sendmsg(payload, { random });
    c.assertEq(req.method, 'POST');
    c.assertEq(req.path, '/openapi/sendmsg/BotToken_1');
    c.assertEq(req.body, JSON.stringify({ encrypt: bot.encryptPayload(payload, { random }) }));
    c.assertEq(JSON.stringify(bot.openSendmsg(req.body)), JSON.stringify({ appId: 'wx1', openid: 'o1', msg: '{"image":{"media_id":"M"}}', channel: 0 }));
    throwsCode(() => bot.openSendmsg('{}'), 1004);
    throwsCode(() => bot.openSendmsg('{"encrypt":"AAAA"}'), 1005);
    c.assertEq(bot.decryptCallback(bot.encryptCallback('{"a":1}')), '{"a":1}');
  });
  return c.result();
}
