// -42004 Transport errors name their cause (issue 25): the method, host and path of the request
// (never its query, the token or the appSecret) and why it failed, dug out of undici's `fetch
// failed` (its `cause`): a refused connection with its address, a timeout (timeoutMs), a TLS
// error, a connection closed mid-answer; Deno's cause, which names the URL with its query, comes
// through without the query. Real sockets on 127.0.0.1 (node --test js-tests/node/).
// Uses the built package (pkg/loaders/node.js; WECHAT_KF_PKG overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

const lib = await import(process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href);
const { Client, WxkfError } = lib;

const SECRET = 'app-secret-0123456789';
const TOKEN = 'ACCESS_TOKEN_abcdef123456';

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.address().port };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort() {
  const { server, port } = await listen(() => {});
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Client with a fixed token (no token request) and no retry. */
const client = (baseUrl, extra = {}) => new Client({ accessToken: () => TOKEN, baseUrl, retries: 0, ...extra });

async function transportError(promise) {
  let error;
  await assert.rejects(promise, (e) => {
    error = e;
    return e instanceof WxkfError && e.code === -42004 && e.kind === 'Transport';
  });
  for (const secret of [TOKEN, SECRET, 'access_token', '?']) {
    assert.ok(!error.message.includes(secret), `the message names ${secret}: ${error.message}`);
  }
  assert.equal(error.retryable, true, error.message);
  return error;
}

test('a refused connection: method, host and path, then ECONNREFUSED and the address', { timeout: 10000 }, async () => {
  const port = await closedPort();
  const e = await transportError(client(`http://127.0.0.1:${port}`).sendText({ touser: 'o', content: 'hi' }));
  assert.match(e.message, new RegExp(`^POST 127\\.0\\.0\\.1:${port}/cgi-bin/message/custom/send failed: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  assert.doesNotMatch(e.message, /fetch failed/, 'the generic wrapper says nothing the cause does not');
  assert.equal(e.causeCode, 'ECONNREFUSED');
});

test('the token request (appSecret in its body) names its cause the same way, and no secret', { timeout: 10000 }, async () => {
  const port = await closedPort();
  const c = new Client({ appId: 'wx1', appSecret: SECRET, baseUrl: `http://127.0.0.1:${port}`, retries: 0 });
  const e = await transportError(c.sendText({ touser: 'o', content: 'hi' }));
  assert.match(e.message, new RegExp(`POST 127\\.0\\.0\\.1:${port}/cgi-bin/stable_token failed: .*ECONNREFUSED`));
});

test('no answer within timeoutMs: the timeout and the option are named', { timeout: 10000 }, async () => {
  const held = [];
  const { server, port } = await listen((req, res) => held.push(res));
  try {
    const e = await transportError(client(`http://127.0.0.1:${port}`, { timeoutMs: 200 }).getKfList());
    assert.match(e.message, new RegExp(`^GET 127\\.0\\.0\\.1:${port}/cgi-bin/customservice/getkflist failed: no answer within 200 ms \\(Client option timeoutMs\\)`));
    assert.equal(e.causeCode, 'TimeoutError');
  } finally {
    for (const res of held) res.destroy();
    server.close();
  }
});

test('a TLS failure (https to a plain HTTP port) is named as such', { timeout: 10000 }, async () => {
  const { server, port } = await listen((req, res) => res.end('{}'));
  try {
    const e = await transportError(client(`https://127.0.0.1:${port}`).sendText({ touser: 'o', content: 'hi' }));
    assert.match(e.message, new RegExp(`^POST 127\\.0\\.0\\.1:${port}/cgi-bin/message/custom/send failed: .*(TLS|SSL|ssl)`), e.message);
    assert.match(e.causeCode ?? '', /SSL|TLS|EPROTO/, `causeCode ${e.causeCode}`);
  } finally {
    server.close();
  }
});

test('a connection closed before the answer: undici\'s socket error', { timeout: 10000 }, async () => {
  const { server, port } = await listen((req, res) => req.socket.destroy());
  try {
    const e = await transportError(client(`http://127.0.0.1:${port}`).sendText({ touser: 'o', content: 'hi' }));
    assert.match(e.message, /failed: .*other side closed/, e.message);
    assert.equal(e.causeCode, 'UND_ERR_SOCKET');
  } finally {
    server.close();
  }
});

test('a cause that names the URL (Deno: "error sending request for url (...)") loses its query and token', { timeout: 10000 }, async () => {
  const fetch = async (url) => {
    const e = new TypeError('fetch failed');
    e.cause = new Error(`error sending request for url (${url}): client error (Connect): tcp connect error: Connection refused (os error 111)`);
    throw e;
  };
  const e = await transportError(client('https://api.example.test', { fetch }).sendText({ touser: 'o', content: 'hi' }));
  assert.match(e.message, /^POST api\.example\.test\/cgi-bin\/message\/custom\/send failed: error sending request for url \(https:\/\/api\.example\.test\/cgi-bin\/message\/custom\/send\): .*Connection refused/);
});

test('an AggregateError (one failure per address tried) and a cause without a message', { timeout: 10000 }, async () => {
  const refused = (address) => Object.assign(new Error(`connect ECONNREFUSED ${address}:443`), { code: 'ECONNREFUSED' });
  const fetch = async () => {
    throw new TypeError('fetch failed', { cause: new AggregateError([refused('::1'), refused('127.0.0.1')]) });
  };
  const e = await transportError(client('https://api.example.test', { fetch }).getKfList());
  assert.match(e.message, /ECONNREFUSED ::1:443/);
  assert.match(e.message, /ECONNREFUSED 127\.0\.0\.1:443/);
  assert.equal(e.causeCode, 'ECONNREFUSED');
  const bare = async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(''), { code: 'ECONNRESET' }) });
  };
  const e2 = await transportError(client('https://api.example.test', { fetch: bare }).getKfList());
  assert.match(e2.message, /failed: ECONNRESET$/);
  // A thrown value that is not an Error at all.
  const odd = async () => {
    throw 'down'; // eslint-disable-line no-throw-literal
  };
  const e3 = await transportError(client('https://api.example.test', { fetch: odd }).getKfList());
  assert.match(e3.message, /failed: down$/);
});
