// `wechat-kf simulate --cloud-hosting`: the platform's side of WeChat Cloud Hosting message
// push. The CheckContainerPath probe (expects 200 with `success` or an empty body), then one
// unsigned push with the platform's x-wx-* headers, retried like the platform (3 attempts of
// 5 s). --check-public-access first sends the push without x-wx-source and requires a refusal;
// --without-source sends everything without it (a service without public access).
import { CheckFailed } from './options.js';
import { cloudRequest } from '../devtools/simulated-push.js';
import { judgeAnswer } from './reply.js';

export const CLOUD_FLAGS = {
  'cloud-hosting': { type: 'boolean' },
  'check-public-access': { type: 'boolean' },
  'without-source': { type: 'boolean' },
  'cloudbase-token': { type: 'string' },
};

export const CLOUD_HELP = `Cloud Hosting (微信云托管; no token or key needed):
  --cloud-hosting        probe (CheckContainerPath), then an unsigned push with x-wx-* headers
  --check-public-access  first the same push without x-wx-source: it must be refused (401/403)
  --without-source       send without x-wx-source (a service without public access)
  --cloudbase-token T    add X-WX-CLOUDBASE-ACCESS-TOKEN: T to the push`;

/** o: { url, format, fields, attempts, timeoutMs, appId?, attempt(url, init, timeoutMs), snippet } */
export async function simulateCloud(v, lib, out, o) {
  const source = !v['without-source'];
  const { format, fields, attempts, timeoutMs, attempt, snippet } = o;
  const send = (req) => attempt(o.url, { method: 'POST', body: req.body, headers: req.headers }, timeoutMs);

  const probe = cloudRequest(lib, 'probe', { format, source });
  const p = await send(probe);
  if (p.error) throw new CheckFailed(`CheckContainerPath probe failed: ${p.error}`);
  if (p.status !== 200 || !['', 'success'].includes(p.body.trim())) {
    throw new CheckFailed(`CheckContainerPath probe: HTTP ${p.status} ${snippet(p.body)}; the platform needs 200 with 'success' or an `
      + 'empty body before it enables message push');
  }
  out(`CheckContainerPath probe (${format.toUpperCase()}): answered '${p.body.trim() || '(empty)'}' (${p.ms} ms)`);

  const headerOptions = { format, appId: o.appId, accessToken: v['cloudbase-token'] };
  if (v['check-public-access']) {
    const r = await send(cloudRequest(lib, fields, { ...headerOptions, source: false }));
    if (r.error) throw new CheckFailed(`push without x-wx-source: ${r.error}`);
    if (r.status !== 401 && r.status !== 403) {
      throw new CheckFailed(`a push without x-wx-source got HTTP ${r.status} ${snippet(r.body)}: with public access on, requests without `
        + 'x-wx-source come from the internet, not from the platform; refuse them (cloudHosting: { publicAccess: true })');
    }
    out(`push without x-wx-source: refused with HTTP ${r.status}, as it must be under public access`);
  }

  const req = cloudRequest(lib, fields, { ...headerOptions, source });
  const label = `${fields.Event ?? fields.MsgType} push (${format.toUpperCase()}, Cloud Hosting${source ? '' : ', without x-wx-source'})`;
  const problems = [];
  for (let i = 1; i <= attempts; i++) {
    const r = await send(req);
    const problem = r.error ?? (r.status !== 200 ? `HTTP ${r.status} ${snippet(r.body)}` : undefined);
    if (problem) {
      out(`${label}, attempt ${i}/${attempts}: ${problem}`);
      problems.push(problem);
      continue;
    }
    const verdict = judgeAnswer(lib, r.body, { encrypted: false, format, fields }, {});
    out(`${label}, attempt ${i}/${attempts}: answered in ${r.ms} ms: ${verdict}`);
    out('OK: the server answered as the platform expects');
    return;
  }
  throw new CheckFailed(`no valid answer to the ${label} after ${attempts} attempt(s): ${problems.at(-1)}; `
    + 'the platform gives up after three attempts of 5 s (acknowledge fast, work in the background)');
}
