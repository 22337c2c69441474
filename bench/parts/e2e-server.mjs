// One push server for the end-to-end benchmark, in its own Node process (started by
// bench/run.mjs with an IPC channel):
//   node e2e-server.mjs ours   node:http + createNodeListener (the package's defaults: dedup in a
//                              MemoryStore, replay window on)
//   node e2e-server.mjs webot  Express + node-webot's `wechat` middleware (wechat-crypto + xml2js)
// Both verify msg_signature, decrypt, parse the text message, check it (the content ends with
// `#<MsgId>`, as the load generator makes them) and answer 200 `success`. The process sends
// { port } when listening, and { ok, bad } (messages checked) when asked with 'stats'.
import process from 'node:process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ACCOUNT = { token: 'benchToken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wxb11529c136998cb6' };
const mode = process.argv[2];
const counts = { ok: 0, bad: 0 };
const check = (msgType, content, msgId) => {
  if (msgType === 'text' && typeof content === 'string' && msgId && content.endsWith(`#${msgId}`)) counts.ok++;
  else counts.bad++;
};

let listener;
if (mode === 'ours') {
  const { createNodeListener } = await import('wechat-kf');
  listener = createNodeListener({
    ...ACCOUNT,
    onMessage(message) {
      check(message.msgType, message.content, message.msgId);
    },
    onError(error, info) {
      counts.bad++;
      if (counts.bad <= 3) console.error(`ours: ${info?.phase ?? ''} ${error?.message ?? error}`);
    },
  });
} else if (mode === 'webot') {
  const express = require('express');
  const wechat = require('wechat');
  const app = express();
  app.use('/wechat', wechat({ token: ACCOUNT.token, appid: ACCOUNT.appId, encodingAESKey: ACCOUNT.encodingAESKey }, (req, res) => {
    const m = req.weixin;
    check(m.MsgType, m.Content, m.MsgId);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('success');
  }));
  app.use((err, req, res, next) => {
    counts.bad++;
    if (counts.bad <= 3) console.error(`webot: ${err?.message ?? err}`);
    res.statusCode = 500;
    res.end('error');
  });
  listener = app;
} else {
  throw new Error(`unknown mode ${mode}`);
}

const server = createServer(listener);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'stats') process.send({ stats: { ...counts } });
  if (m === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
