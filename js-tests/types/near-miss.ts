// Request inputs take exactly the documented names (issue 11): every near miss the runtime
// refuses (-42002, "did you mean ...?") must fail to type-check too. Compiled by
// `tsc -p js-tests/types` (noEmit); each @ts-expect-error line must be an error.
import { requests, chatbot, Client, Receiver, WXBizMsgCrypt, SendWindow, MemoryStore, createHandler } from 'wechat-kf';
import { redisStore } from 'wechat-kf/redis';

export async function nearMisses(client: Client): Promise<void> {
  requests.sendMiniProgramPage({ touser: 'o', title: 't', pagePath: 'p', thumbMediaId: 'm' });
  // @ts-expect-error pagePath, not pagepath
  requests.sendMiniProgramPage({ touser: 'o', title: 't', pagepath: 'p', thumbMediaId: 'm' });
  // @ts-expect-error thumbMediaId, not thumb_media_id
  requests.sendMiniProgramPage({ touser: 'o', title: 't', pagePath: 'p', thumb_media_id: 'm' });
  // @ts-expect-error mediaId, not media_id
  requests.sendImage({ touser: 'o', media_id: 'm' });
  // @ts-expect-error thumbUrl, not thumb_url
  requests.sendLink({ touser: 'o', title: 't', description: 'd', url: 'https://a.b/', thumb_url: 'https://a.b/1.jpg' });
  // @ts-expect-error businessId, not business_id
  requests.sendText({ touser: 'o', content: 'c', business_id: 1 });
  // @ts-expect-error kfOpenid, not kf_openid
  requests.setKfAdmin({ kf_openid: 'k' });
  // @ts-expect-error kfWx, not kf_wx
  requests.addKfAccount({ kf_wx: 'w' });
  // @ts-expect-error accountName, not account_name
  requests.getBusiness({ account_name: 'shop_one' });
  // @ts-expect-error one of businessId and accountName, never both
  requests.getBusiness({ businessId: 1, accountName: 'shop_one' });
  // @ts-expect-error iconMediaId, not icon_media_id
  requests.registerBusiness({ accountName: 'shop_one', nickname: 'Shop', icon_media_id: 'm' });
  // @ts-expect-error appId, not appid
  requests.token({ appid: 'wx1', appSecret: 's' });
  // @ts-expect-error appSecret, not secret
  requests.stableToken({ appId: 'wx1', secret: 's' });
  // @ts-expect-error forceRefresh belongs to stableToken
  requests.token({ appId: 'wx1', appSecret: 's', forceRefresh: true });
  // @ts-expect-error forceRefresh, not force_refresh
  requests.stableToken({ appId: 'wx1', appSecret: 's', force_refresh: true });
  // @ts-expect-error mediaId, not media_id
  requests.mediaGet({ media_id: 'm' });
  requests.listBusiness({ offset: '0', count: 10 });

  // the same names on Client
  // @ts-expect-error pagePath, not pagepath
  await client.sendMiniProgramPage({ touser: 'o', title: 't', pagepath: 'p', thumbMediaId: 'm' });
  // @ts-expect-error mediaId, not media_id
  await client.sendImage({ touser: 'o', media_id: 'm' });

  // and in the dialogue platform's builders
  // @ts-expect-error mediaId, not media_id
  chatbot.msg.image({ media_id: 'm' });
  // @ts-expect-error pagePath, not pagepath
  chatbot.msg.miniProgramPage({ title: 't', appId: 'wx1', pagepath: 'p' });
  // @ts-expect-error picUrl, not picurl
  chatbot.msg.news([{ title: 't', url: 'https://a.b/', picurl: 'https://a.b/1.jpg' }]);

  // Options (issue 25): the runtime refuses these with "did you mean ...?" (-41006); so do the types.
  // @ts-expect-error appId, not appid
  new Client({ appid: 'wx1', appSecret: 's' });
  // @ts-expect-error appSecret, not appsecret
  new Client({ appId: 'wx1', appsecret: 's' });
  // @ts-expect-error token, not Token
  new Receiver({ Token: 't' });
  // @ts-expect-error encodingAESKey, not encodingAesKey
  new WXBizMsgCrypt({ token: 't', encodingAesKey: 'k', appId: 'wx1' });
  // @ts-expect-error replyTimeoutMs, not replyTimeOutMs
  createHandler({ token: 't', onMessage: () => {}, replyTimeOutMs: 1000 });
  // @ts-expect-error storeTimeoutMs, not storetimeoutms
  new SendWindow({ storetimeoutms: 100 });
  // @ts-expect-error maxKeys, not max_keys
  new MemoryStore({ max_keys: 10 });
  // @ts-expect-error prefix, not Prefix
  redisStore({ sendCommand: async () => null }, { Prefix: 'p:' });
}
