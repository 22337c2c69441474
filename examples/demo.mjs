#!/usr/bin/env node
// The full round trip on this machine, no WeChat account needed:
//   1. start the WeChat API emulator (127.0.0.1);
//   2. start the example server (inbound handler + Client pointed at the emulator);
//   3. the emulator pushes a user message to it as the platform does (signed, AES-encrypted);
//   4. the server answers through custom/send; print what the emulator recorded.
// Exits non-zero if any step fails.
import { start } from '../pkg/devtools/emulator/server.js';
import { startEchoServer } from './echo-server.mjs';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../pkg/loaders/node.js', import.meta.url).href);
const TOKEN = 'demo-push-token';
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

const emu = await start({ port: 0, lib });
let server;
try {
  console.log(`1. emulator of the WeChat API on ${emu.url}`);
  const { appId, appSecret } = emu.state.config;
  const client = new lib.Client({ appId, appSecret, baseUrl: emu.url });
  const window = new lib.SendWindow();
  server = await startEchoServer({ lib, token: TOKEN, encodingAESKey: KEY, appId, client, window });
  console.log(`2. example server on ${server.url} (${typeof lib.createNodeListener === 'function' ? 'createNodeListener' : 'WXBizMsgCrypt.decryptMessage'})`);

  const push = await post(`${emu.url}/__emulator/push`, {
    url: server.url, token: TOKEN, encodingAESKey: KEY, appId,
    message: { FromUserName: 'o_demo_user_openid', MsgType: 'text', Content: '你好，我想查询订单 <#1024>' },
  });
  console.log(`3. pushed a signed, encrypted user message; the server answered HTTP ${push.status} "${push.body}"`);
  if (push.status !== 200 || !['success', ''].includes(push.body)) throw new Error('the push was not acknowledged');

  const reply = await waitFor(async () => {
    const { requests } = await get(`${emu.url}/__emulator/requests?path=/cgi-bin/message/custom/send`);
    return requests.find((r) => r.errcode === 0);
  });
  console.log('4. the reply the emulator received through custom/send:');
  console.log(`   ${reply.method} ${reply.path}?access_token=…`);
  console.log(`   ${reply.body}`);
  console.log(`   answered ${JSON.stringify(reply.response)}`);
  if (reply.json.touser !== 'o_demo_user_openid' || !reply.json.text.content.includes('#1024')) {
    throw new Error('the reply is not the expected one');
  }
  console.log('demo: OK');
} catch (e) {
  console.error(`demo: FAILED: ${e && e.stack || e}`);
  process.exitCode = 1;
} finally {
  await server?.close();
  await emu.close();
}

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
async function get(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.json();
}
async function waitFor(fn, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('no reply reached the emulator within 5 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
