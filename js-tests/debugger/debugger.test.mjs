// The browser debugger end to end in headless Chromium, as users get it: the packed tarball
// (scripts/build.sh) is installed into a scratch project and `wechat-kf debugger --port 0` is
// started from it; the page it serves loads the package's browser entry, a known-answer vector
// is pasted and decrypted, a tampered signature shows -40001 with only the causes the passed
// checks leave open, the secret fields are password fields with a show toggle, the builders
// round-trip, no request leaves 127.0.0.1. The screenshot goes to a temporary file, or to
// docs/debugger.png with WECHAT_KF_UPDATE_SCREENSHOT=1 (so a test run leaves the checkout as it was).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, installScratch, killAll, start, until } from '../cli/helpers.mjs';

const SHOT_DIR = process.env.WECHAT_KF_UPDATE_SCREENSHOT === '1' ? null : mkdtempSync(join(tmpdir(), 'wechat-kf-shot-'));
const SCREENSHOT = SHOT_DIR ? join(SHOT_DIR, 'debugger.png') : join(ROOT, 'docs', 'debugger.png');
after(() => { if (SHOT_DIR) rmSync(SHOT_DIR, { recursive: true, force: true }); });
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const { vectors } = JSON.parse(readFileSync(join(ROOT, 'vectors', 'wxbizmsgcrypt.json'), 'utf8'));
const v = vectors.find((x) => x.id === 'miniprogram-docs-push');
// The vector has no plain `signature`: the query carries only what it does.
const QUERY = `timestamp=${v.timestamp}&nonce=${v.nonce}&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature=${v.msgSignature}`;
const BODY = `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[${v.encrypt}]]></Encrypt></xml>`;

let scratch;
let server;
let browser;
let page;
const requests = [];
const problems = [];

before(async () => {
  scratch = await installScratch();
  server = start(scratch.bin, ['debugger', '--port', '0'], { cwd: scratch.dir });
  const url = await until(() => server.output().stdout.match(/open (http:\/\/127\.0\.0\.1:\d+\/devtools\/debugger\/)/)?.[1], 30_000, 'wechat-kf debugger');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 30_000 });
  page = await browser.newPage({ viewport: { width: 1180, height: 1100 } });
  page.setDefaultTimeout(15_000);
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', problems.join('\n'));
});

after(async () => {
  await browser?.close().catch(() => {});
  await killAll();
  scratch?.remove();
});

async function inspect({ token = v.token, key = v.encodingAESKey, appId = v.appId, query = QUERY, body = BODY } = {}) {
  await page.fill('#token', token);
  await page.fill('#aesKey', key);
  await page.fill('#appId', appId);
  await page.fill('#query', query);
  await page.fill('#body', body);
  await page.click('#inspect');
  await page.waitForSelector('#result:not([hidden])');
}

test('the page says nothing leaves it', async () => {
  const note = await page.textContent('#local-note');
  assert.match(note, /不会发送任何数据/);
  assert.match(note, /nothing is sent anywhere/);
});

test('a pasted vector is verified and decrypted; screenshot saved', async () => {
  await inspect();
  await page.waitForSelector('#decrypted:not([hidden])');
  const plaintext = await page.textContent('#plaintext');
  assert.equal(plaintext, v.plaintext);
  const message = JSON.parse(await page.textContent('#message'));
  assert.equal(message.mode, 'safe');
  assert.equal(message.message.event, 'debug_demo');
  assert.equal(message.message.raw.debug_str, 'hello world');
  assert.ok(await page.isHidden('#error'));
  // The secrets as typed are hidden again before the screenshot (password fields).
  assert.equal(await page.getAttribute('#token', 'type'), 'password');
  mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
  assert.ok(readFileSync(SCREENSHOT).length > 10_000);
});

test('a tampered msg_signature shows -40001 with its explanation', async () => {
  const bad = v.msgSignature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  await inspect({ query: QUERY.replace(v.msgSignature, bad) });
  await page.waitForSelector('#error:not([hidden])');
  const error = await page.textContent('#error');
  assert.match(error, /-40001 ValidateSignature/);
  assert.match(error, /签名校验失败/);
  assert.match(error, /Signature check failed/);
  assert.ok(await page.isHidden('#decrypted'));
  assert.match(await page.textContent('#steps'), /msg_signature .* is NOT valid/);
});

test('token and key fields are password fields with a show/hide toggle', async () => {
  for (const id of ['token', 'aesKey', 'botToken', 'botKey']) {
    assert.equal(await page.getAttribute(`#${id}`, 'type'), 'password', id);
  }
  await page.fill('#token', 'secret-token-value');
  await page.click('button[data-reveal="token"]');
  assert.equal(await page.getAttribute('#token', 'type'), 'text');
  assert.equal(await page.getAttribute('button[data-reveal="token"]', 'aria-pressed'), 'true');
  assert.match(await page.textContent('button[data-reveal="token"]'), /hide/);
  assert.equal(await page.inputValue('#token'), 'secret-token-value');
  assert.equal(await page.getAttribute('#aesKey', 'type'), 'password', 'only the clicked field is shown');
  await page.click('button[data-reveal="token"]');
  assert.equal(await page.getAttribute('#token', 'type'), 'password');
  assert.match(await page.textContent('button[data-reveal="token"]'), /show/);
});

test('the likely causes follow from the checks that passed', async () => {
  // A push built by the page carries both signature and msg_signature.
  await page.fill('#token', 'debugger-token');
  await page.fill('#aesKey', v.encodingAESKey);
  await page.fill('#appId', 'wx0000000000debug');
  await page.selectOption('#pushType', 'text');
  await page.selectOption('#pushFormat', 'xml');
  await page.fill('#pushContent', 'causes');
  await page.click('#buildPush');
  await page.waitForSelector('#pushOut:not([hidden])');
  const query = await page.textContent('#pushQuery');
  const sig = new URLSearchParams(query).get('msg_signature');
  const bad = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  // signature passes, msg_signature fails: the Token is right, so it is not a likely cause.
  await inspect({ token: 'debugger-token', appId: 'wx0000000000debug', query: query.replace(sig, bad), body: await page.textContent('#pushBody') });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#steps'), /signature \(Token \+ timestamp \+ nonce\) is valid/);
  let causes = await page.textContent('#error ul.causes');
  assert.doesNotMatch(causes, /Token differs/);
  assert.match(causes, /timestamp, nonce or msg_signature copied incompletely/);
  // No check passed (a wrong Token): the Token is the first likely cause.
  await inspect({ token: 'not-the-token', appId: 'wx0000000000debug', query, body: await page.textContent('#pushBody') });
  await page.waitForSelector('#error:not([hidden])');
  causes = await page.$$eval('#error ul.causes li', (lis) => lis.map((li) => li.textContent));
  assert.match(causes[0], /Token differs/);
  assert.match(await page.textContent('#hints'), /most likely the Token is wrong/);
  // msg_signature passed but the key is wrong: a cut-short Encrypt is ruled out.
  await inspect({ key: 'B'.repeat(43) });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#steps'), /msg_signature .* is valid/);
  const keyCauses = await page.textContent('#error');
  assert.doesNotMatch(keyCauses, /cut short/);
  assert.match(keyCauses, /EncodingAESKey is wrong/);
});

test('wrong appId (-40005), wrong key, a trimmed body: each explained', async () => {
  await inspect({ appId: 'wx_not_this_app' });
  assert.match(await page.textContent('#error'), /-40005 ValidateAppId[\s\S]*wx134c8103faa5a59e/);
  await inspect({ key: 'B'.repeat(43) });
  assert.match(await page.textContent('#error'), /-4000[78]/);
  assert.match(await page.textContent('#hints'), /EncodingAESKey is most likely wrong/);
  await inspect({ body: BODY.replace(v.encrypt, v.encrypt.slice(0, -12)) });
  assert.match(await page.textContent('#error'), /-40001/);
  assert.match(await page.textContent('#hints'), /Token is wrong|not from the same request/);
});

test('the envelope is read by the core: Encrypt split across CDATA sections, &amp; in ToUserName', async () => {
  const half = Math.floor(v.encrypt.length / 2);
  const body = `<xml><ToUserName>gh_&amp;97417a04a28d</ToUserName><Encrypt><![CDATA[${v.encrypt.slice(0, half)}]]><![CDATA[${v.encrypt.slice(half)}]]></Encrypt></xml>`;
  await inspect({ body });
  await page.waitForSelector('#decrypted:not([hidden])');
  const steps = await page.textContent('#steps');
  assert.match(steps, /msg_signature .* is valid/);
  assert.doesNotMatch(steps, /NOT valid/);
  assert.equal(await page.textContent('#plaintext'), v.plaintext);
});

test('a built push whose text holds x]]>y and &amp; reads back exactly', async () => {
  await page.fill('#token', 'debugger-token');
  await page.fill('#aesKey', v.encodingAESKey);
  await page.fill('#appId', 'wx0000000000debug');
  await page.selectOption('#pushType', 'text');
  await page.selectOption('#pushFormat', 'xml');
  await page.fill('#pushContent', 'x]]>y &amp; z');
  await page.click('#buildPush');
  await page.waitForSelector('#pushOut:not([hidden])');
  await page.click('#pushToInspect');
  await page.waitForSelector('#decrypted:not([hidden])');
  assert.match(await page.textContent('#plaintext'), /<Content><!\[CDATA\[x\]\]\]\]><!\[CDATA\[>y &amp; z\]\]><\/Content>/);
  assert.equal(JSON.parse(await page.textContent('#message')).message.content, 'x]]>y &amp; z');
});

test('builders: a push (inspected back), an encrypted reply, a dialogue-platform payload', async () => {
  await page.fill('#token', 'debugger-token');
  await page.fill('#aesKey', v.encodingAESKey);
  await page.fill('#appId', 'wx0000000000debug');
  await page.selectOption('#pushType', 'text');
  await page.selectOption('#pushFormat', 'json');
  await page.fill('#pushContent', '调试消息 debug');
  await page.click('#buildPush');
  await page.waitForSelector('#pushOut:not([hidden])');
  assert.match(await page.textContent('#pushQuery'), /encrypt_type=aes&msg_signature=[0-9a-f]{40}/);
  await page.click('#pushToInspect');
  await page.waitForSelector('#decrypted:not([hidden])');
  const message = JSON.parse(await page.textContent('#message'));
  assert.equal(message.format, 'json');
  assert.equal(message.message.content, '调试消息 debug');

  await page.click('summary:has-text("transfer_customer_service")');
  await page.click('#buildReply');
  await page.waitForSelector('#replyOut:not([hidden])');
  assert.match(await page.textContent('#replyBody'), /<Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt>/);
  assert.match(await page.textContent('#replyPlain'), /transfer_customer_service/);

  await page.click('summary:has-text("sendmsg")');
  await page.fill('#botToken', 'DebugBotToken');
  await page.fill('#botKey', v.encodingAESKey);
  await page.fill('#botAppId', 'DEBUGBOT');
  await page.selectOption('#botChannel', '2');
  await page.click('#buildBot');
  await page.waitForSelector('#botOut:not([hidden])');
  assert.match(await page.textContent('#botRequest'), /POST https:\/\/chatbot\.weixin\.qq\.com\/openapi\/sendmsg\/DebugBotToken[\s\S]*"encrypt":/);
  assert.match(await page.textContent('#botXml'), /o_debugger_user/);

  await page.fill('#botKey', 'short');
  await page.click('#buildBot');
  assert.match(await page.textContent('#buildError'), /-40004[\s\S]*EncodingAESKey/);
});

test('no request left 127.0.0.1 and nothing failed', () => {
  assert.ok(requests.length > 3, 'requests were recorded');
  for (const url of requests) {
    const u = new URL(url);
    assert.ok(u.protocol === 'data:' || u.hostname === '127.0.0.1', `request to ${url}`);
  }
  assert.deepEqual(problems, []);
});
