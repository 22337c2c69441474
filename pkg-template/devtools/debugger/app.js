// The debugger page: loads the package (WebAssembly) and wires the forms. All work happens in
// this page; nothing is sent anywhere.
import { init } from './lib.js';
import { explain, likelyCauses } from './explain.js';
import { inspectPush } from './inspect.js';
import { TYPES, buildChatbot, buildPush, buildReply } from './builders.js';

const $ = (id) => document.getElementById(id);
const val = (id) => $(id).value.trim();

/** A line in both languages: "中文 English" (the English part muted). */
function bilingual(tag, zh, en, className) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.append(`${zh} `);
  const span = document.createElement('span');
  span.className = 'en';
  span.textContent = en;
  el.append(span);
  return el;
}

function credentials() {
  return { token: val('token'), encodingAESKey: val('aesKey'), appId: val('appId') };
}

/**
 * An error card: code and kind, the library's message, the explanation, the likely causes
 * (only those the passed checks leave open).
 */
function renderError(box, error, passed = []) {
  const e = explain(error);
  box.replaceChildren();
  const head = document.createElement('div');
  head.className = 'code';
  head.textContent = `${error.code ?? ''} ${error.kind ?? error.name ?? 'Error'}`.trim();
  const detail = document.createElement('div');
  detail.textContent = error.message ?? String(error);
  box.append(head, bilingual('p', e.zh, e.en), detail);
  const causes = likelyCauses(error, passed);
  if (causes.length) {
    box.append(bilingual('h3', '常见原因', 'Likely causes'));
    const ul = document.createElement('ul');
    ul.className = 'causes';
    for (const [zh, en] of causes) ul.append(bilingual('li', zh, en));
    box.append(ul);
  }
  box.hidden = false;
}

function onInspect() {
  const r = inspectPush({ ...credentials(), query: $('query').value, body: $('body').value, checkWindow: $('checkWindow').checked });
  $('steps').replaceChildren(...r.steps.map((s) => bilingual('li', s.zh, s.en, s.ok ? 'ok' : 'bad')));
  $('hints').replaceChildren(...r.hints.map(([zh, en]) => bilingual('li', zh, en)));
  if (r.error) renderError($('error'), r.error, r.passed);
  else $('error').hidden = true;
  $('decrypted').hidden = !r.push;
  if (r.push) {
    $('plaintext').textContent = r.plaintext;
    const { message, mode, format, known, dedupKey } = r.push;
    $('message').textContent = JSON.stringify({ mode, format, known, dedupKey, message }, null, 2);
  }
  $('result').hidden = false;
}

/** Runs a builder; shows its error (with the explanation) instead of throwing. */
function building(fn) {
  return () => {
    $('buildError').hidden = true;
    try {
      fn();
    } catch (error) {
      renderError($('buildError'), error);
    }
  };
}

let lastPush;
const onBuildPush = building(() => {
  lastPush = buildPush({
    ...credentials(), type: $('pushType').value, format: $('pushFormat').value, encrypt: $('pushEncrypt').checked,
    from: val('pushFrom'), to: val('pushTo'), content: $('pushContent').value, url: val('pushUrl'),
  });
  $('pushQuery').textContent = lastPush.query;
  $('pushBody').textContent = lastPush.body;
  $('pushPlain').textContent = lastPush.plaintext;
  $('pushCurl').textContent = lastPush.curl;
  $('pushOut').hidden = false;
  $('pushToInspect').disabled = false;
});

function onPushToInspect() {
  if (!lastPush) return;
  $('query').value = lastPush.query;
  $('body').value = lastPush.body;
  onInspect();
  $('inspect-section').scrollIntoView();
}

const onBuildReply = building(() => {
  const r = buildReply({ ...credentials(), openid: val('replyOpenid'), account: val('replyAccount'), format: $('replyFormat').value, encrypt: $('replyEncrypt').checked });
  $('replyBody').textContent = r.body;
  $('replyPlain').textContent = r.plaintext;
  $('replyOut').hidden = false;
});

const onBuildBot = building(() => {
  const r = buildChatbot({
    token: val('botToken'), encodingAESKey: val('botKey'), appId: val('botAppId'),
    openid: val('botOpenid'), text: $('botText').value, channel: $('botChannel').value, userAppId: val('botUserAppId'),
  });
  $('botRequest').textContent = `${r.request.method} https://chatbot.weixin.qq.com${r.request.path}\ncontent-type: application/json\n\n${r.request.body}`;
  $('botXml').textContent = r.xml;
  $('botOut').hidden = false;
});

/** The show/hide toggle of a secret field (token, keys): a password field until shown. */
function onReveal(event) {
  const button = event.currentTarget;
  const input = $(button.dataset.reveal);
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  button.setAttribute('aria-pressed', String(show));
  button.replaceChildren(...bilingual('span', show ? '隐藏' : '显示', show ? 'hide' : 'show').childNodes);
}

for (const button of document.querySelectorAll('button[data-reveal]')) button.addEventListener('click', onReveal);
for (const type of Object.keys(TYPES)) $('pushType').append(new Option(type, type));
$('inspect').addEventListener('click', onInspect);
$('buildPush').addEventListener('click', onBuildPush);
$('pushToInspect').addEventListener('click', onPushToInspect);
$('buildReply').addEventListener('click', onBuildReply);
$('buildBot').addEventListener('click', onBuildBot);

try {
  await init();
  for (const id of ['inspect', 'buildPush', 'buildReply', 'buildBot']) $(id).disabled = false;
  $('status').replaceWith(Object.assign(bilingual('p', '已就绪。', 'Ready.', 'status ready'), { id: 'status' }));
  document.body.dataset.ready = 'true';
} catch (error) {
  $('status').replaceWith(Object.assign(bilingual('p', `WebAssembly 加载失败：${error.message}`, 'could not load the WebAssembly module (serve this folder over http, not file://)', 'status failed'), { id: 'status' }));
  document.body.dataset.ready = 'failed';
}
