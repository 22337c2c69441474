// `wechat-kf simulate --url URL`: behaves like the platform against a developer server. The
// URL verification GET first, then one signed (optionally encrypted) push, each attempt given
// 5 s, three attempts in all, and the answer judged as the platform would.
import { CheckFailed, SECRET_FLAGS, SECRETS_HELP, UsageError, choice, integer, parse, required, secret } from './options.js';
import { TYPES, pushFields, pushRequest, verificationQuery } from '../devtools/simulated-push.js';
import { judgeAnswer } from './reply.js';
import { CLOUD_FLAGS, CLOUD_HELP, simulateCloud } from './simulate-cloud.js';

export const simulate = {
  summary: 'act as the platform: verification GET, then a signed push, retried like the platform',
  help: `usage: wechat-kf simulate --url URL [--type TYPE] [--format xml|json] [--encrypt] [options]

Like the platform: a URL verification GET (expects the echostr back), then a POST push of
one message signed with the token (and with --encrypt, encrypted in safe mode with
encrypt_type=aes and msg_signature). Each attempt waits --timeout-ms (5000, as the platform);
on no answer, a failed connection or an HTTP error the same push is sent again, up to
--attempts (3) in all. A 200 answer must be 'success', empty, or a transfer_customer_service
reply (encrypted pushes: correctly signed and decrypting for the appId). Exit code 0 when the
server answered well, 1 when not, 2 on bad usage.

  --type T         ${Object.keys(TYPES).join(', ')}
                   (default text; voice and location_select are types this version does not
                   type: the server sees an UnknownMessage, known false)
  --format F       xml (default) or json, as the console's 数据格式
  --encrypt        encrypted push (safe mode); needs --key and --app-id
  --content TEXT   text of a text message
  --from OPENID    the user (default o_simulate_user)
  --to ID          the account's original id (default gh_simulate0000)
  --business-id N  a sub-merchant id (adds BusinessId)
  --timeout-ms MS  per attempt (default 5000)
  --attempts N     attempts in all (default 3)
  --skip-verify    no verification GET
  --emulator URL   a local \`wechat-kf emulator\` to tell that the user acted (POST
                   /__emulator/user): a user message opens the user's 48 h window there, a
                   user_enter_tempsession its 1-minute one, so that a server answering
                   through the Client is allowed to send (without it the emulator answers 45015)

${CLOUD_HELP}

${SECRETS_HELP}`,
  async run(argv, { lib, out }) {
    const v = parse(argv, {
      ...SECRET_FLAGS, url: { type: 'string' }, type: { type: 'string' }, format: { type: 'string' },
      encrypt: { type: 'boolean' }, content: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      'business-id': { type: 'string' }, 'timeout-ms': { type: 'string' }, attempts: { type: 'string' },
      'skip-verify': { type: 'boolean' }, emulator: { type: 'string' }, ...CLOUD_FLAGS,
    });
    if (v.help) return out(this.help);
    const url = required(v, 'url', "your server's message push URL");
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--url is not a URL: '${url}'`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new UsageError('--url must be http:// or https://');
    const type = choice(v, 'type', Object.keys(TYPES), 'text');
    const format = choice(v, 'format', ['xml', 'json'], 'xml');
    const timeoutMs = Math.max(1, integer(v, 'timeout-ms', 5000));
    const attempts = Math.max(1, integer(v, 'attempts', 3));
    const businessId = v['business-id'] === undefined ? undefined : integer(v, 'business-id');
    const encrypted = Boolean(v.encrypt);
    const emulator = v.emulator === undefined ? undefined : emulatorBase(v.emulator);
    if (v['cloud-hosting']) {
      if (encrypted) throw new UsageError('--encrypt does not apply to --cloud-hosting: Cloud Hosting pushes are unencrypted');
      const fields = pushFields({ type, from: v.from ?? 'o_simulate_user', to: v.to ?? 'gh_simulate0000', content: v.content, businessId, now: Math.floor(Date.now() / 1000), format });
      if (emulator) await tellEmulator(emulator, fields, out, timeoutMs);
      return simulateCloud(v, lib, out, { url, format, fields, attempts, timeoutMs, appId: v['app-id'], attempt, snippet });
    }
    const keys = { token: secret(v, 'token') };
    if (encrypted) Object.assign(keys, { encodingAESKey: secret(v, 'key'), appId: secret(v, 'appId') });
    const now = () => Math.floor(Date.now() / 1000);

    if (!v['skip-verify']) {
      const { query, echostr } = verificationQuery(lib, keys.token, now());
      const r = await attempt(withQuery(url, query), { method: 'GET' }, timeoutMs);
      if (r.error) throw new CheckFailed(`URL verification GET failed: ${r.error}`);
      if (r.status !== 200) throw new CheckFailed(`URL verification GET failed: HTTP ${r.status} ${snippet(r.body)} (expected 200 and the echostr)`);
      if (r.body !== echostr) {
        throw new CheckFailed(`URL verification GET failed: expected the echostr '${echostr}' back as the whole body, got ${snippet(r.body)}`
          + ' (check the signature over token, timestamp and nonce, and answer echostr as received)');
      }
      out(`verification GET: echostr answered (${r.ms} ms)`);
    }

    const fields = pushFields({ type, from: v.from ?? 'o_simulate_user', to: v.to ?? 'gh_simulate0000', content: v.content, businessId, now: now(), format });
    const req = pushRequest(lib, fields, { format, encrypted, keys, now: now() });
    if (emulator) await tellEmulator(emulator, fields, out, timeoutMs);
    const label = `${type} push (${format.toUpperCase()}, ${encrypted ? 'encrypted' : 'plaintext'})`;
    const problems = [];
    for (let i = 1; i <= attempts; i++) {
      const r = await attempt(withQuery(url, req.query), {
        method: 'POST', body: req.body, headers: { 'content-type': req.contentType },
      }, timeoutMs);
      const problem = r.error ?? (r.status !== 200 ? `HTTP ${r.status} ${snippet(r.body)}` : undefined);
      if (problem) {
        out(`${label}, attempt ${i}/${attempts}: ${problem}`);
        problems.push(problem);
        continue;
      }
      const verdict = judgeAnswer(lib, r.body, { encrypted, format, fields }, keys);
      out(`${label}, attempt ${i}/${attempts}: answered in ${r.ms} ms: ${verdict}`);
      out('OK: the server answered as the platform expects');
      return;
    }
    throw new CheckFailed(`no valid answer to the ${label} after ${attempts} attempt(s): ${problems.at(-1)}; `
      + 'the platform gives up after three attempts of 5 s (acknowledge fast, work in the background)');
  },
};

/** The emulator's base URL from --emulator (http(s), no trailing slash). */
function emulatorBase(text) {
  let u;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`--emulator is not a URL: '${text}'`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new UsageError('--emulator must be http:// or https://');
  return u.href.replace(/\/+$/, '');
}

/**
 * The user action a push stands for, as the emulator's POST /__emulator/user takes it: a user
 * message ('message'), entering from the contact button ('enter'); other events none.
 */
export function userAction(fields) {
  if (fields.MsgType !== 'event') return 'message';
  return fields.Event === 'user_enter_tempsession' ? 'enter' : undefined;
}

/** Tells the emulator the simulated user acted, before the push, so the server may answer. */
async function tellEmulator(base, fields, out, timeoutMs) {
  const action = userAction(fields);
  if (!action) return;
  const openid = fields.FromUserName;
  let res;
  try {
    res = await fetch(`${base}/__emulator/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid, action }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (e) {
    throw new CheckFailed(`cannot reach the emulator at ${base} (${e?.cause?.code ?? e?.message ?? e}): start it with \`wechat-kf emulator\` and pass the URL it prints`);
  }
  const text = await res.text();
  if (res.status !== 200) {
    throw new CheckFailed(`the emulator at ${base} refused POST /__emulator/user: HTTP ${res.status} ${snippet(text)} (is it a \`wechat-kf emulator\`?)`);
  }
  out(`emulator: ${openid} ${action === 'enter' ? 'entered the session (1-minute window)' : 'sent a message (48 h window)'}`);
}

function withQuery(url, query) {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function snippet(body) {
  const t = String(body ?? '');
  return t.length > 120 ? `'${t.slice(0, 120)}…'` : `'${t}'`;
}

/** One HTTP exchange: { status, body, ms } or { error } for timeouts and network failures. */
async function attempt(url, init, timeoutMs) {
  const t0 = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal, redirect: 'manual' });
    const body = await res.text();
    return { status: res.status, body, ms: Date.now() - t0 };
  } catch (e) {
    if (signal.aborted) return { error: `no answer within ${timeoutMs} ms` };
    const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e);
    return { error: `cannot reach the server (${cause})` };
  }
}
