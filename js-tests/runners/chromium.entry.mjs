// Runs in the page: the browser entry needs `await init()` (it fetches the .wasm).
import * as lib from 'wechat-kf';
import { runSuite } from './suite.js';

const logs = [];
window.__suiteResult = (async () => {
  const vectors = await (await fetch('./vectors.json')).json();
  // An outbound module that fails to load leaves init() and the inbound API working; the first
  // outbound call says why, and the next init() loads it.
  await lib.init(undefined, new URL('./no-such-outbound.wasm', location.href));
  new lib.Receiver({ token: 't', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx1' }).free();
  // WXBizMsgCrypt and the request builders are both in the outbound module.
  for (const call of [() => lib.requests.sendText({ touser: 'o_user', content: 'hi' }), () => new lib.WXBizMsgCrypt({ token: 't', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', appId: 'wx1' })]) {
    let outboundError;
    try { call(); } catch (e) { outboundError = e; }
    if (!/outbound module .* failed to load/.test(String(outboundError && outboundError.message))) {
      throw new Error(`expected the outbound module's load failure on the first outbound call, got ${outboundError}`);
    }
  }
  await lib.init();
  const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
  return { ...result, logs, entry: import.meta.resolve('wechat-kf') };
})().catch((e) => ({ error: String((e && e.stack) || e), logs }));
