#!/usr/bin/env node
// A local emulator of the WeChat HTTP API for tests, examples and the demo (127.0.0.1 only).
//
//   npx wechat-kf emulator [--port 0]   (or: node node_modules/wechat-kf/devtools/emulator/server.js)
//   node devtools/emulator/server.js [--port 0] [--app-id wx...] [--app-secret ...] [--cloud-hosting]
//
// prints `wechat-kf emulator listening on http://127.0.0.1:PORT` and serves:
//   GET  /cgi-bin/token, POST /cgi-bin/stable_token
//   POST /cgi-bin/message/custom/send and /business/send   (send window: 45015 / 45047)
//   POST /cgi-bin/message/custom/typing and /business/typing (45072 / 45080 / 45081)
//   kf accounts (/cgi-bin/customservice/getkflist, getonlinekflist, /customservice/kfaccount/*),
//   sub-merchants (/cgi-bin/business/register|update|get|list), media (/cgi-bin/media/upload|get)
//   POST /openapi/sendmsg/{TOKEN}  (dialogue platform: decrypts; 1001 / 1002 / 1004 / 1005 / 1008)
// and, to drive and inspect it:
//   GET  /__emulator/requests[?path=...]   what it received (with decoded payloads, errcodes)
//   POST /__emulator/reset                 forget everything (records, tokens, windows, ...)
//   POST /__emulator/user  {openid, action: 'message'|'enter'}   a user action (opens the window)
//   POST /__emulator/clock {advanceMs?, now?, freeze?}           move (or freeze) the emulator's clock
//   POST /__emulator/fault {path, errcode, times?}               answer the next calls with errcode
//   POST /__emulator/expire-tokens                               every issued token expires now
//   POST /__emulator/push {url, token, encodingAESKey, appId?, type?, message?, format?}
//        a push to a developer URL as the platform sends it (signed, encrypted): `type` one of
//        `wechat-kf simulate --type`'s (devtools/simulated-push.js TYPES: every typed push and
//        two untyped ones), `message` fields of the push by their platform names, over the
//        type's (nested values: objects are elements with children, arrays repeated elements
//        in XML; objects and arrays in JSON); default a text message
//   GET  /__emulator/config                                      appId, bots, cloudHosting (secrets as ***)
// WeChat Cloud Hosting (started with --cloud-hosting / start({ cloudHosting: true })): calls
// with no token are accepted as from the open API service (answers carry x-openapi-seqid);
// in every mode `cloudbase_access_token` may replace access_token, with tokens issued by
//   POST /__emulator/cloudbase-token  {ttlSeconds?}   -> {token, expiresIn} (valid 30 min)
//
// It listens on a loopback host only, unless started with `allowNonLoopback: true`
// (`--allow-non-loopback`). Control endpoints answer only requests from a loopback peer address
// whose Host is a loopback name or address (127.0.0.1, localhost, [::1], any port) and that
// carry no foreign Origin; a POST with a body must be `application/json` (a web page cannot send
// that cross-site without a preflight, which the emulator never grants). `/__emulator/push` goes
// only to loopback URLs unless started with `allowRemotePush: true` (`--allow-remote-push`).
// What it shows or prints (recorded requests, /__emulator/config, its start line) goes through
// one function, `masked`: `***` in place of every field named like a token, secret, password or
// AES key (secret, appsecret, access_token, cloudbase_access_token, ...) at any depth of a query,
// JSON or form body or answer, of every secret it knows wherever it appears (its appSecret, the
// bots' TOKENs and keys, the tokens it issued), and of the dialogue platform's TOKEN in the path.
//
// Import it to start it in-process: `const emu = await start({ port: 0 }); emu.url; await emu.close()`.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { EmulatorWindow, QUOTA_USED, WINDOW_CLOSED } from './window.js';
import { openSendmsg } from './dialogue.js';
import { TYPES } from '../simulated-push.js';
import { isLoopbackName } from '../../cli/options.js';

export const DEFAULTS = Object.freeze({
  appId: 'wx0000000000emulator',
  appSecret: 'emulator-app-secret',
  bots: [{ token: 'EmulatorBotToken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'EMUBOT' }],
});

const TYPING_INTERACTION_MS = 30_000;
/**
 * The platform paths served after the access-token check: every endpoint of the package's table
 * (ENDPOINTS, generated from src/api/paths.rs) but the token ones and the dialogue platform's,
 * which are served before it.
 */
const knownPaths = (lib) => new Set(Object.entries(lib.ENDPOINTS)
  .filter(([name]) => !['token', 'stableToken', 'chatbotSendMsg'].includes(name))
  .map(([, endpoint]) => endpoint.path));

/**
 * Loads the package unless one is passed in: the Node loader of the package this file ships in
 * (loaders/node.js), or the entry WECHAT_KF_PKG names.
 */
async function loadLib() {
  return import(process.env.WECHAT_KF_PKG ?? new URL('../../loaders/node.js', import.meta.url).href);
}

/**
 * Starts the emulator. Options: port (0 = any free), host ('127.0.0.1'; another than a loopback
 * one only with allowNonLoopback: true), appId, appSecret,
 * bots ([{ token, encodingAESKey, appId, approved? }]), tokenTtlSeconds (7200), lib (the
 * wechat-kf module; default the package's loaders/node.js), windowRules ({ message?, enter?: { limit?, windowMs? } }:
 * the emulator's own send-window model, window.js), allowRemotePush (false:
 * /__emulator/push goes only to loopback URLs).
 * Resolves to { url, port, close(), state }.
 */
export async function start(options = {}) {
  const lib = options.lib ?? (await loadLib());
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackName(host) && options.allowNonLoopback !== true) {
    throw new lib.WxkfError(`host ${host} is not a loopback address: the emulator serves its appSecret's tokens and its records `
      + 'to whoever reaches it; listen on 127.0.0.1, or pass allowNonLoopback: true (--allow-non-loopback) to serve '
      + `${host} anyway (control endpoints still answer loopback peers only)`, lib.ERR.InvalidOption, 'InvalidOption', { field: 'host' });
  }
  const config = {
    appId: options.appId ?? DEFAULTS.appId,
    appSecret: options.appSecret ?? DEFAULTS.appSecret,
    bots: options.bots ?? DEFAULTS.bots,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
  };
  const state = freshState(lib, options, config);
  const server = createServer((req, res) => {
    handle(state, req, res).catch((e) => {
      send(res, 500, { errcode: -1, errmsg: masked(`emulator error: ${e && e.message}`, knownSecrets(state)) });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    state,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}

function freshState(lib, options, config) {
  const clock = { offsetMs: 0, frozenAt: null, now: () => clock.frozenAt ?? Date.now() + clock.offsetMs };
  return {
    lib,
    known: knownPaths(lib),
    options,
    config,
    clock,
    records: [],
    tokens: new Map(), // token -> { expiresAt }
    currentToken: null,
    stableToken: null,
    nextStableToken: null,
    forceRefreshes: [], // times (ms) of stable_token force_refresh calls
    tokenRequests: 0,
    // The emulator's own window model and dialogue-platform opening (not the package's), so
    // that the tests against it check the package independently.
    window: new EmulatorWindow({ rules: options.windowRules, now: clock.now }),
    interactions: new Map(), // openid -> last interaction (ms)
    typing: new Set(),
    kf: new Map(), // kf_openid -> account
    kfSeq: 1000,
    businesses: new Map(), // business_id -> info
    businessSeq: 0,
    media: new Map(), // media_id -> { type, data, contentType, filename, created_at }
    faults: [],
    bots: new Map(config.bots.map((b) => [b.token, { ...b }])),
    cloudbaseTokens: new Map(), // Cloud Hosting token -> { expiresAt }
  };
}

function reset(state) {
  Object.assign(state, freshState(state.lib, state.options, state.config));
}

// ---- HTTP plumbing --------------------------------------------------------------------------

function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 10 * 1024 * 1024) throw new Error('body over 10 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ok = (extra = {}) => ({ errcode: 0, errmsg: 'ok', ...extra });
const fail = (errcode, errmsg) => ({ errcode, errmsg });

async function handle(state, req, res) {
  const url = new URL(req.url, 'http://emulator');
  const path = url.pathname;
  const query = Object.fromEntries(url.searchParams);
  const isControl = path.startsWith('/__emulator/');
  // Another machine never drives the emulator nor reads its records: refused before its body is read.
  if (isControl && !isLoopbackPeer(req.socket.remoteAddress)) {
    return send(res, 403, { error: PEER_REFUSED }, { connection: 'close' });
  }
  const raw = await readBody(req);

  if (isControl) {
    const refused = controlRefusal(req.headers, req.method, raw.length);
    if (refused) return send(res, refused[0], { error: refused[1] });
    return control(state, path, req.method, raw, url, res);
  }

  const record = {
    at: state.clock.now(),
    method: req.method,
    path,
    query,
    contentType: req.headers['content-type'] ?? null,
    body: isMultipart(req) ? `<multipart ${raw.length} bytes>` : raw.toString('utf8'),
  };
  record.json = parseJson(record.body);
  // The routes see the request whole; the records show it without its secrets.
  const shown = shownRecord(record, knownSecrets(state));
  state.records.push(shown);
  try {
    const fault = state.faults.find((f) => f.path === path && f.times > 0);
    let answer;
    if (fault) {
      fault.times -= 1;
      answer = fail(fault.errcode, fault.errmsg ?? 'injected by the emulator');
    } else {
      answer = await route(state, req, path, query, raw, record, res);
    }
    if (answer === undefined) return; // already answered (media/get)
    record.errcode = answer.errcode ?? 0;
    record.response = answer;
    send(res, 200, answer, record.openApi ? { 'x-openapi-seqid': randomBytes(8).toString('hex') } : {});
  } finally {
    const secrets = knownSecrets(state); // with a token issued by this very request
    for (const k of ['errcode', 'response', 'payload', 'openApi']) if (record[k] !== undefined) shown[k] = masked(record[k], secrets);
  }
}

// ---- what the control endpoints accept, and what records show ----------------------------------

/** The host name of a Host header or URL authority (`name[:port]`), or null when malformed. */
function hostOf(authority) {
  try {
    const url = new URL(`http://${authority}`);
    return url.username || url.password || url.pathname !== '/' ? null : url.hostname;
  } catch {
    return null;
  }
}

const PEER_REFUSED = 'control endpoints answer only requests from this machine (a loopback peer address)';

/**
 * Whether a peer address (req.socket.remoteAddress) is a loopback one: 127.0.0.0/8 (also as an
 * IPv4-mapped IPv6 address, ::ffff:127.x.y.z) or ::1. Anything else, undefined included, is not.
 */
export function isLoopbackPeer(address) {
  if (typeof address !== 'string') return false;
  const a = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return a === '::1' || a === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/**
 * Why a control request is refused (status and reason), or null when it is acceptable. (Its
 * peer address is checked before, by isLoopbackPeer, before its body is read.)
 */
export function controlRefusal(headers, method, rawLength) {
  const host = typeof headers.host === 'string' ? hostOf(headers.host) : null;
  if (!host || !isLoopbackName(host)) {
    return [403, 'control endpoints answer only a loopback Host (127.0.0.1, localhost, [::1])'];
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    let ok = false;
    try {
      const u = new URL(origin);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackName(u.hostname);
    } catch {}
    if (!ok) return [403, 'control endpoints refuse requests from a web page of another origin'];
  }
  if (method !== 'GET' && method !== 'HEAD' && rawLength > 0
    && !/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '')) {
    return [415, 'control endpoints take JSON bodies only (content-type: application/json)'];
  }
  return null;
}

/** Whether a push target is a loopback http(s) URL. */
function isLoopbackUrl(url) {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackName(u.hostname);
  } catch {
    return false;
  }
}

/** Field names whose values are secrets wherever they appear (any case, any depth). */
const SECRET_FIELD = /token|secret|passw|aes_?key/i;
const MASK = '***';
const REAL_PATH = Symbol('path');

/**
 * The secrets the emulator knows: its appSecret, its bots' TOKENs and EncodingAESKeys, every
 * access token and cloudbase token it issued (values under 6 characters are left to the field
 * names: masking them everywhere would garble the records).
 */
function knownSecrets(state) {
  const all = [state.config.appSecret, ...state.config.bots.flatMap((b) => [b.token, b.encodingAESKey]),
    ...state.tokens.keys(), ...state.cloudbaseTokens.keys()];
  return [...new Set(all.filter((s) => typeof s === 'string' && s.length >= 6))];
}

/**
 * `value` as the emulator shows it: the one masking function of everything it serves or prints
 * (records, /__emulator/config, error answers, its start line). Fields named like a token, a
 * secret, a password or an AES key become `***` at any depth; in strings, each of `secrets`
 * (as is and URL-encoded) becomes `***`.
 */
export function masked(value, secrets = []) {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) {
      for (const form of new Set([s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)])) {
        if (out.includes(form)) out = out.split(form).join(MASK);
      }
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => masked(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? MASK : masked(v, secrets)]));
  }
  return value;
}

/** A form body (application/x-www-form-urlencoded) masked, or null when it is not one. */
function maskedForm(record, secrets) {
  if (!/^application\/x-www-form-urlencoded/i.test(record.contentType ?? '')) return null;
  const fields = [...new URLSearchParams(record.body)];
  if (!fields.some(([k]) => SECRET_FIELD.test(k))) return null;
  return new URLSearchParams(fields.map(([k, v]) => [k, SECRET_FIELD.test(k) ? MASK : masked(v, secrets)])).toString();
}

/** What /__emulator/requests shows of a request: `masked`, its body text too, the bot's TOKEN path as ***. */
function shownRecord(record, secrets) {
  const shown = masked(record, secrets);
  if (record.json !== undefined && JSON.stringify(shown.json) !== JSON.stringify(record.json)) {
    shown.body = JSON.stringify(shown.json); // a field was masked: the text it came from would show it
  } else {
    shown.body = maskedForm(record, secrets) ?? shown.body;
  }
  if (record.path.startsWith('/openapi/sendmsg/')) {
    shown.path = '/openapi/sendmsg/***';
    shown[REAL_PATH] = record.path;
  }
  return shown;
}

function isMultipart(req) {
  return /multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

// ---- the API --------------------------------------------------------------------------------

// Tokens follow the platform (developers.weixin.qq.com, getStableAccessToken / getAccessToken):
// - /cgi-bin/token issues a new token each call; the previous one stays valid 5 more minutes.
// - stable_token (normal mode) returns the same token until 5 minutes before its expiry; from
//   then on it issues the next one and both stay valid. force_refresh issues a new token and
//   invalidates the previous stable one at once; it is limited to 20 a day (errcode 45009) and
//   30 s apart (errcode 45011). The two kinds of token are independent of each other.
const GRACE_MS = 5 * 60_000;
const FORCE_PER_DAY = 20;
const FORCE_APART_MS = 30_000;

function issueToken(state) {
  const token = `EMU_${randomBytes(12).toString('hex')}`;
  state.tokens.set(token, { expiresAt: state.clock.now() + state.config.tokenTtlSeconds * 1000 });
  return token;
}

function tokenAnswer(state, token) {
  const left = Math.max(0, Math.round((state.tokens.get(token).expiresAt - state.clock.now()) / 1000));
  return { access_token: token, expires_in: left };
}

/** Shortens a replaced token's life to the platform's grace period (never lengthens it). */
function retire(state, token) {
  const info = token && state.tokens.get(token);
  if (info) info.expiresAt = Math.min(info.expiresAt, state.clock.now() + GRACE_MS);
}

function stableToken(state, force) {
  const now = state.clock.now();
  if (force) {
    const today = state.forceRefreshes.filter((t) => now - t < 86_400_000);
    state.forceRefreshes = today;
    if (today.length >= FORCE_PER_DAY) return fail(45009, 'reach max api daily quota limit (force_refresh: 20 a day)');
    if (today.length && now - today[today.length - 1] < FORCE_APART_MS) {
      return fail(45011, 'api minute-quota reach limit, must slower, retry next minute (force_refresh: 30 s apart)');
    }
    today.push(now);
    for (const t of [state.stableToken, state.nextStableToken]) if (t) state.tokens.delete(t);
    state.nextStableToken = null;
    state.stableToken = issueToken(state);
    return tokenAnswer(state, state.stableToken);
  }
  const current = state.stableToken && state.tokens.get(state.stableToken);
  if (!current || now >= current.expiresAt) {
    state.stableToken = state.nextStableToken && state.tokens.get(state.nextStableToken)
      && now < state.tokens.get(state.nextStableToken).expiresAt ? state.nextStableToken : issueToken(state);
    state.nextStableToken = null;
  } else if (current.expiresAt - now <= GRACE_MS) {
    // Near expiry: the next token is issued early; both work until the old one expires.
    if (!state.nextStableToken) state.nextStableToken = issueToken(state);
    return tokenAnswer(state, state.nextStableToken);
  }
  return tokenAnswer(state, state.stableToken);
}

function checkCredentials(state, grantType, appid, secret) {
  if (grantType !== 'client_credential') return fail(40002, 'invalid grant_type');
  if (appid !== state.config.appId) return fail(40013, 'invalid appid');
  if (secret !== state.config.appSecret) return fail(40125, 'invalid appsecret');
  return null;
}

/** Cloud Hosting: a cloudbase_access_token, or (in cloud-hosting mode) no token at all. */
function cloudAccess(state, query, record) {
  const cloudToken = query.cloudbase_access_token;
  if (cloudToken !== undefined && query.access_token === undefined) {
    const info = state.cloudbaseTokens.get(cloudToken);
    if (!info) return fail(40001, 'invalid credential, cloudbase_access_token is invalid');
    if (state.clock.now() >= info.expiresAt) return fail(42001, 'cloudbase_access_token expired');
    return null;
  }
  if (state.options.cloudHosting && query.access_token === undefined) {
    record.openApi = true; // the open API service (开放接口服务) adds the credential itself
    return null;
  }
  return undefined;
}

function checkAccess(state, query, record) {
  const cloud = cloudAccess(state, query, record);
  if (cloud !== undefined) return cloud;
  const token = query.access_token;
  if (!token) return fail(41001, 'access_token missing');
  const info = state.tokens.get(token);
  if (!info) return fail(40001, 'invalid credential, access_token is invalid or not latest');
  if (state.clock.now() >= info.expiresAt) return fail(42001, 'access_token expired');
  return null;
}

async function route(state, req, path, query, raw, record, res) {
  const body = record.json;
  if (path === '/cgi-bin/token' && req.method === 'GET') {
    state.tokenRequests += 1;
    const bad = checkCredentials(state, query.grant_type, query.appid, query.secret);
    if (bad) return bad;
    // a new /cgi-bin/token replaces the previous one, which stays valid for 5 more minutes
    retire(state, state.currentToken);
    state.currentToken = issueToken(state);
    return tokenAnswer(state, state.currentToken);
  }
  if (path === '/cgi-bin/stable_token' && req.method === 'POST') {
    state.tokenRequests += 1;
    if (!body) return fail(47001, 'data format error');
    const bad = checkCredentials(state, body.grant_type, body.appid, body.secret);
    if (bad) return bad;
    return stableToken(state, body.force_refresh === true);
  }
  if (path.startsWith('/openapi/sendmsg/') && req.method === 'POST') {
    return chatbotSend(state, path.slice('/openapi/sendmsg/'.length), raw.toString('utf8'), record);
  }

  if (!state.known.has(path)) {
    send(res, 404, `not found: ${path}`, { 'content-type': 'text/plain' });
    return undefined;
  }
  const denied = checkAccess(state, query, record);
  if (denied) return denied;

  switch (path) {
    case '/cgi-bin/message/custom/send':
    case '/cgi-bin/message/custom/business/send':
      return customSend(state, body, path.includes('/business/'));
    case '/cgi-bin/message/custom/typing':
    case '/cgi-bin/message/custom/business/typing':
      return typing(state, body);
    case '/cgi-bin/customservice/getkflist':
      return { kf_list: kfList(state, query).map(({ status, ...a }) => a) };
    case '/cgi-bin/customservice/getonlinekflist':
      return {
        kf_online_list: kfList(state, query).map((a) => ({
          kf_account: a.kf_account, status: 1, kf_id: a.kf_id, kf_openid: a.kf_openid,
        })),
      };
    case '/customservice/kfaccount/add': {
      if (!body || typeof body.kf_wx !== 'string' || !body.kf_wx) return fail(65409, 'invalid kf_wx');
      const kfOpenid = `kf_${body.kf_wx}`;
      if (state.kf.has(kfOpenid)) return fail(65406, 'kf account exists');
      state.kfSeq += 1;
      state.kf.set(kfOpenid, {
        kf_account: '', kf_headimgurl: '', kf_id: String(state.kfSeq), kf_nick: body.kf_wx,
        kf_wx: body.kf_wx, kf_openid: kfOpenid, admin: false, business_id: body.business_id,
      });
      return ok();
    }
    case '/customservice/kfaccount/del':
    case '/customservice/kfaccount/setadmin':
    case '/customservice/kfaccount/canceladmin': {
      const account = state.kf.get(query.kf_openid);
      if (!account) return fail(65401, 'invalid kf account');
      if (path.endsWith('/del')) state.kf.delete(query.kf_openid);
      else account.admin = path.endsWith('/setadmin');
      return ok();
    }
    case '/cgi-bin/business/register':
      return registerBusiness(state, body);
    case '/cgi-bin/business/update': {
      const info = body && state.businesses.get(Number(body.business_id));
      if (!info) return fail(45071, 'business_id not exist');
      if (body.nickname) info.nickname = body.nickname;
      if (body.icon_media_id) {
        if (!state.media.has(body.icon_media_id)) return fail(40007, 'invalid media_id');
        info.icon_url = `${'http://emulator.invalid/media/'}${body.icon_media_id}`;
      }
      return ok();
    }
    case '/cgi-bin/business/get': {
      const info = body && ('business_id' in body
        ? state.businesses.get(Number(body.business_id))
        : [...state.businesses.values()].find((b) => b.account_name === body.account_name));
      if (!info) return fail(45071, 'business_id / account_name not exist');
      return { ...ok(), business_info: info };
    }
    case '/cgi-bin/business/list': {
      const all = [...state.businesses.values()];
      const offset = Number(body?.offset ?? 0);
      const count = Math.min(200, Number(body?.count ?? 0));
      return { ...ok(), list: all.slice(offset, offset + count) };
    }
    case '/cgi-bin/media/upload':
      return uploadMedia(state, req, query, raw);
    case '/cgi-bin/media/get': {
      const media = state.media.get(query.media_id);
      if (!media) return fail(40007, 'invalid media_id');
      record.errcode = 0;
      res.writeHead(200, {
        'content-type': media.contentType,
        'content-disposition': `attachment; filename="${media.filename}"`,
      });
      res.end(media.data);
      return undefined;
    }
    default:
      return fail(40066, `invalid url: the emulator does not know ${req.method} ${path}`);
  }
}

function kfList(state, query) {
  const all = [...state.kf.values()];
  if (query.business_id === undefined) return all;
  return all.filter((a) => String(a.business_id) === String(query.business_id));
}

const MSG_FIELDS = {
  text: (m) => typeof m.text?.content === 'string' && m.text.content !== '',
  image: (m) => typeof m.image?.media_id === 'string' && m.image.media_id !== '',
  link: (m) => ['title', 'description', 'url', 'thumb_url'].every((k) => typeof m.link?.[k] === 'string' && m.link[k]),
  miniprogrampage: (m) => ['title', 'pagepath', 'thumb_media_id'].every((k) => typeof m.miniprogrampage?.[k] === 'string' && m.miniprogrampage[k]),
};

async function customSend(state, body, business) {
  if (!body || typeof body !== 'object') return fail(47001, 'data format error');
  if (typeof body.touser !== 'string' || !body.touser) return fail(40003, 'invalid openid');
  if (business && body.businessid === undefined) return fail(47001, 'data format error: businessid missing');
  if (business && !state.businesses.has(Number(body.businessid))) return fail(45071, 'businessid not exist');
  const check = MSG_FIELDS[body.msgtype];
  if (!check) return fail(40008, 'invalid message type');
  if (!check(body)) return fail(47001, 'data format error');
  if (body.msgtype === 'image' && !state.media.has(body.image.media_id)) return fail(40007, 'invalid media_id');
  const refused = state.window.consume(body.touser);
  if (refused === WINDOW_CLOSED) return fail(45015, 'response out of time limit or subscription is canceled');
  if (refused === QUOTA_USED) return fail(45047, 'out of response count limit');
  state.interactions.set(body.touser, state.clock.now());
  state.typing.delete(body.touser);
  return ok();
}

function typing(state, body) {
  if (!body || typeof body.touser !== 'string' || !body.touser) return fail(40003, 'invalid openid');
  if (body.command !== 'Typing' && body.command !== 'CancelTyping') return fail(45072, 'command invalid');
  const last = state.interactions.get(body.touser);
  if (last === undefined || state.clock.now() - last > TYPING_INTERACTION_MS) {
    return fail(45080, 'no message interaction with the user in the last 30 seconds');
  }
  if (body.command === 'Typing') {
    if (state.typing.has(body.touser)) return fail(45081, 'already typing');
    state.typing.add(body.touser);
  } else {
    state.typing.delete(body.touser);
  }
  return ok();
}

function registerBusiness(state, body) {
  if (!body) return fail(47001, 'data format error');
  const name = body.account_name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_]{6,30}$/.test(name)) return fail(45091, 'account_name invalid');
  if ([...state.businesses.values()].some((b) => b.account_name === name)) return fail(45070, 'account_name exists');
  if (typeof body.nickname !== 'string' || !body.nickname) return fail(45078, 'nickname invalid');
  if (!state.media.has(body.icon_media_id)) return fail(40007, 'invalid media_id');
  if (state.media.get(body.icon_media_id).type !== 'image') return fail(40004, 'invalid media type');
  state.businessSeq += 1;
  const id = state.businessSeq;
  state.businesses.set(id, {
    business_id: id, account_name: name, nickname: body.nickname,
    icon_url: `http://emulator.invalid/media/${body.icon_media_id}`,
  });
  return { business_id: id };
}

async function uploadMedia(state, req, query, raw) {
  if (query.type !== 'image') return fail(40004, 'invalid media type');
  if (!isMultipart(req)) return fail(41005, 'media data missing');
  const form = await new Request('http://emulator/upload', {
    method: 'POST', headers: { 'content-type': req.headers['content-type'] }, body: raw,
  }).formData().catch(() => null);
  const file = form?.get('media');
  if (!file || typeof file === 'string') return fail(41005, 'media data missing');
  const data = Buffer.from(await file.arrayBuffer());
  if (data.length === 0 || data.length > 10 * 1024 * 1024) return fail(40009, 'invalid image size');
  const mediaId = `EMU_MEDIA_${randomBytes(9).toString('hex')}`;
  const createdAt = Math.floor(state.clock.now() / 1000);
  state.media.set(mediaId, {
    type: 'image', data, contentType: file.type || 'application/octet-stream',
    filename: file.name || 'media', created_at: createdAt,
  });
  return { type: 'image', media_id: mediaId, created_at: createdAt };
}

function chatbotSend(state, token, text, record) {
  const bot = state.bots.get(token);
  if (!bot) return fail(1001, 'TOKEN is not valid');
  if (bot.approved === false) return fail(1002, 'the bot has not passed review');
  try {
    record.payload = openSendmsg(bot, text, state.lib.readFields);
  } catch (e) {
    if (e && e.errcode >= 1001 && e.errcode <= 1008) return fail(e.errcode, e.errmsg);
    throw e;
  }
  return { errcode: 0, msg: 'Success' };
}

// ---- control endpoints ----------------------------------------------------------------------

async function control(state, path, method, raw, url, res) {
  const body = parseJson(raw.toString('utf8') || '{}');
  if (body === undefined || body === null || typeof body !== 'object') return send(res, 400, { error: 'the body is not a JSON object' });
  switch (`${method} ${path}`) {
    case 'GET /__emulator/requests': {
      const only = url.searchParams.get('path');
      return send(res, 200, {
        now: state.clock.now(),
        tokenRequests: state.tokenRequests,
        requests: only ? state.records.filter((r) => r.path === only || r[REAL_PATH] === only) : state.records,
      });
    }
    case 'GET /__emulator/config':
      return send(res, 200, shownConfig(state));
    case 'POST /__emulator/reset':
      reset(state);
      return send(res, 200, { ok: true });
    case 'POST /__emulator/user': {
      if (typeof body.openid !== 'string' || !body.openid) return send(res, 400, { error: 'openid required' });
      const action = body.action ?? 'message';
      const window = state.window.observe(body.openid, action);
      if (action === 'message') state.interactions.set(body.openid, state.clock.now());
      return send(res, 200, { window });
    }
    case 'POST /__emulator/clock': {
      const clock = state.clock;
      if (body.freeze === true && clock.frozenAt === null) clock.frozenAt = clock.now();
      if (body.freeze === false && clock.frozenAt !== null) {
        clock.offsetMs = clock.frozenAt - Date.now();
        clock.frozenAt = null;
      }
      if (typeof body.now === 'number') {
        if (clock.frozenAt !== null) clock.frozenAt = body.now;
        else clock.offsetMs = body.now - Date.now();
      }
      if (typeof body.advanceMs === 'number') {
        if (clock.frozenAt !== null) clock.frozenAt += body.advanceMs;
        else clock.offsetMs += body.advanceMs;
      }
      return send(res, 200, { now: state.clock.now() });
    }
    case 'POST /__emulator/fault': {
      if (typeof body.path !== 'string' || typeof body.errcode !== 'number') {
        return send(res, 400, { error: 'path and errcode required' });
      }
      state.faults.push({ path: body.path, errcode: body.errcode, errmsg: body.errmsg, times: body.times ?? 1 });
      return send(res, 200, { ok: true });
    }
    case 'POST /__emulator/expire-tokens': {
      for (const info of state.tokens.values()) info.expiresAt = state.clock.now();
      return send(res, 200, { ok: true });
    }
    case 'POST /__emulator/cloudbase-token': {
      const token = `CLOUDBASE_${randomBytes(12).toString('hex')}`;
      const ttl = typeof body.ttlSeconds === 'number' && body.ttlSeconds > 0 ? body.ttlSeconds : 1800;
      state.cloudbaseTokens.set(token, { expiresAt: state.clock.now() + ttl * 1000 });
      return send(res, 200, { token, expiresIn: ttl });
    }
    case 'POST /__emulator/push':
      if (!isLoopbackUrl(body.url) && !state.options.allowRemotePush) {
        return send(res, 400, { error: 'push goes only to loopback URLs (http://127.0.0.1:PORT/...); start the emulator with --allow-remote-push for others' });
      }
      try {
        return send(res, 200, await push(state, body));
      } catch (e) {
        // A push that cannot be written (a bad field, type or key) is the caller's: 400; a URL
        // that does not answer: 502. Either way the message says what, with secrets masked.
        const bad = e instanceof PushRefused || e?.name === 'WxkfError';
        return send(res, bad ? 400 : 502, { error: masked(`push ${bad ? 'refused' : 'failed'}: ${e?.message ?? e}`, knownSecrets(state)) });
      }
    default:
      return send(res, 404, { error: `unknown control endpoint ${method} ${path}` });
  }
}

/** The emulator's configuration as /__emulator/config and its start line show it: `masked`. */
export function shownConfig(state) {
  return masked({
    appId: state.config.appId,
    appSecret: state.config.appSecret,
    bots: state.config.bots.map(({ token, encodingAESKey, appId }) => ({ token, encodingAESKey, appId })),
    cloudHosting: !!state.options.cloudHosting,
  }, knownSecrets(state));
}

/** A push request the emulator cannot make (answered 400). */
class PushRefused extends Error {}

/** Pushes a message or event to a developer URL as the platform does, and opens the window. */
async function push(state, { url, token, encodingAESKey, appId, type, message = {}, format = 'xml' }) {
  if (!url || !token || !encodingAESKey) throw new PushRefused('push needs url, token and encodingAESKey');
  if (type !== undefined && !Object.hasOwn(TYPES, type)) {
    throw new PushRefused(`type must be one of ${Object.keys(TYPES).join(', ')}`);
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw new PushRefused('message must be an object of the push\'s fields by their platform names');
  }
  const fields = {
    ToUserName: 'gh_emulator0000',
    FromUserName: 'o_emulator_user',
    CreateTime: Math.floor(state.clock.now() / 1000),
    ...(type === undefined ? { MsgType: 'text' } : TYPES[type]({ format })),
    ...message,
  };
  if (fields.MsgType !== 'event' && fields.MsgId === undefined) {
    fields.MsgId = (BigInt(Date.now()) * 1000n + BigInt(randomBytes(2).readUInt16BE(0))).toString();
  }
  const plaintext = state.lib.writeFields(fields, format);
  const crypt = new state.lib.WXBizMsgCrypt({ token, encodingAESKey, appId: appId ?? state.config.appId });
  const timestamp = String(Math.floor(state.clock.now() / 1000));
  const nonce = String(100000000 + randomBytes(4).readUInt32BE(0) % 900000000);
  const encrypt = crypt.encrypt(plaintext);
  const body = state.lib.writeFields({ ToUserName: fields.ToUserName, Encrypt: encrypt }, format);
  const qs = new URLSearchParams({
    signature: state.lib.signature(token, timestamp, nonce),
    timestamp,
    nonce,
    openid: fields.FromUserName,
    encrypt_type: 'aes',
    msg_signature: crypt.msgSignature(timestamp, nonce, encrypt),
  });
  const action = fields.MsgType === 'event'
    ? (fields.Event === 'user_enter_tempsession' ? 'enter' : null)
    : 'message';
  if (action) state.window.observe(fields.FromUserName, action);
  if (action === 'message') state.interactions.set(fields.FromUserName, state.clock.now());
  const answer = await fetch(`${url}${url.includes('?') ? '&' : '?'}${qs}`, {
    method: 'POST',
    headers: { 'content-type': format === 'json' ? 'application/json' : 'text/xml' },
    body,
    redirect: 'manual', // a loopback URL must not lead elsewhere
    signal: AbortSignal.timeout(5000),
  });
  return { status: answer.status, body: await answer.text(), pushed: fields };
}

// ---- command line ---------------------------------------------------------------------------

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') out.port = Number(argv[++i]);
    else if (a === '--host') out.host = argv[++i];
    else if (a === '--allow-non-loopback') out.allowNonLoopback = true;
    else if (a === '--app-id') out.appId = argv[++i];
    else if (a === '--app-secret') out.appSecret = argv[++i];
    else if (a === '--app-secret-file') out.appSecret = readFileSync(argv[++i], 'utf8').trim();
    else if (a === '--allow-remote-push') out.allowRemotePush = true;
    else if (a === '--cloud-hosting') out.cloudHosting = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node devtools/emulator/server.js [--port 0] [--host 127.0.0.1] [--allow-non-loopback] [--app-id ID] [--app-secret-file PATH] [--allow-remote-push] [--cloud-hosting]\n'
      + '(--app-secret S also works, but shows in process lists and shell history)\n'
      + 'Without the flags, WECHAT_KF_APP_ID and WECHAT_KF_APP_SECRET set the appId and secret (as for the CLI\n'
      + `and the examples, so that all started in one shell agree); unset, the emulator uses its own (${DEFAULTS.appId} /\n`
      + `${DEFAULTS.appSecret}; its dialogue-platform bot: TOKEN ${DEFAULTS.bots[0].token}, EncodingAESKey\n`
      + `${DEFAULTS.bots[0].encodingAESKey}, appId ${DEFAULTS.bots[0].appId}). Secrets are printed as ***.\n`
      + 'A --host other than a loopback one (127.0.0.1, localhost, ::1) needs --allow-non-loopback.');
    process.exit(0);
  }
  // One environment scheme with the CLI and the examples (flags win).
  args.appId ??= process.env.WECHAT_KF_APP_ID || undefined;
  args.appSecret ??= process.env.WECHAT_KF_APP_SECRET || undefined;
  let emu;
  try {
    emu = await start(args);
  } catch (e) {
    console.error(`wechat-kf emulator: ${e?.message ?? e}`);
    process.exit(2);
  }
  console.log(`wechat-kf emulator listening on ${emu.url}`);
  // Never a secret, not even the emulator's own defaults (--help names them).
  console.log(JSON.stringify({ url: emu.url, ...shownConfig(emu.state) }));
  const stop = async () => {
    await emu.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
