// Micro-benchmark of the option and input objects crossing into wasm: constructing
// WXBizMsgCrypt, Receiver and chatbot.Bot, and a request builder call. Prints ops/s (median of
// 5 rounds); asserts nothing. `node bench/options.mjs` after `bash scripts/build.sh`
// (WECHAT_KF_PKG=<url of a node.js entry> measures another build).
import { nodeEntry } from './parts/entry.mjs';

const entry = process.env.WECHAT_KF_PKG ?? nodeEntry();
const { WXBizMsgCrypt, Receiver, chatbot, requests } = await import(entry);

const crypt = { token: 'benchtoken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wx1234567890abcdef' };
const cases = [
  ['new WXBizMsgCrypt(options)', () => new WXBizMsgCrypt(crypt).free()],
  ['new Receiver(options + limits)', () => new Receiver({ ...crypt, maxSkewSeconds: 300, maxBodyBytes: 65536, allowPlaintext: false })],
  ['new chatbot.Bot(options)', () => new chatbot.Bot({ token: 'BotToken', encodingAESKey: crypt.encodingAESKey, appId: 'BOT' })],
  ['requests.sendText(input)', () => requests.sendText({ touser: 'o123', content: 'hello' })],
];

function rate(fn) {
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 200) {
      for (let i = 0; i < 100; i++) fn();
      n += 100;
    }
    rounds.push(n / ((performance.now() - start) / 1000));
  }
  return rounds.sort((a, b) => a - b)[2];
}

for (const [name, fn] of cases) {
  for (let i = 0; i < 2000; i++) fn();
  console.log(`${name.padEnd(34)} ${(rate(fn) / 1000).toFixed(1)}k ops/s`);
}
