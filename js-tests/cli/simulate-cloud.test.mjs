// `wechat-kf simulate --cloud-hosting` and `wechat-kf emulator --cloud-hosting` as real
// processes over 127.0.0.1, from the packed tarball, against examples/cloud-hosting: the probe
// and pushes the way the platform sends them (JSON and XML, with and without x-wx-source), and
// the example's token-less send accepted by the emulator as the open API service.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../runners/harness.mjs';
import { ROOT, installScratch, killAll, run, start, until } from './helpers.mjs';

let scratch;
let emulatorUrl;
const servers = {};

async function startExample(publicAccess) {
  const port = await freePort();
  const proc = start(process.execPath, ['examples/cloud-hosting/server.mjs'], {
    cwd: scratch.dir,
    env: { HOST: '127.0.0.1', PORT: String(port), PUBLIC_ACCESS: String(publicAccess), WECHAT_KF_API_BASE: emulatorUrl },
  });
  await until(() => {
    if (proc.child.exitCode !== null) throw new Error(`the example exited: ${JSON.stringify(proc.output())}`);
    return proc.output().stdout.includes('listening on');
  }, 30_000, 'examples/cloud-hosting');
  return { url: `http://127.0.0.1:${port}/wechat`, proc };
}

before(async () => {
  scratch = await installScratch();
  mkdirSync(join(scratch.dir, 'examples', 'cloud-hosting'), { recursive: true });
  copyFileSync(join(ROOT, 'examples', 'cloud-hosting', 'server.mjs'), join(scratch.dir, 'examples', 'cloud-hosting', 'server.mjs'));
  const emulator = start(scratch.bin, ['emulator', '--port', '0', '--cloud-hosting'], { cwd: scratch.dir });
  emulatorUrl = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output().stdout)?.[1], 15_000, 'wechat-kf emulator');
  servers.public = await startExample(true);
  servers.private = await startExample(false);
});

after(async () => {
  await killAll();
  scratch?.remove();
});

const simulate = (url, args) => run(scratch.bin, ['simulate', '--url', url, '--cloud-hosting', ...args], { cwd: scratch.dir, timeoutMs: 60_000 });
const openWindow = (openid) => fetch(`${emulatorUrl}/__emulator/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) });
const sends = async () => (await (await fetch(`${emulatorUrl}/__emulator/requests?path=/cgi-bin/message/custom/send`)).json()).requests;

for (const format of ['json', 'xml']) {
  test(`simulate --cloud-hosting --format ${format} --check-public-access against a public service`, async () => {
    const from = `o_cloud_sim_${format}`;
    await openWindow(from);
    const r = await simulate(servers.public.url, ['--format', format, '--check-public-access', '--from', from, '--content', `hi ${format}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`CheckContainerPath probe \\(${format.toUpperCase()}\\): answered 'success'`));
    assert.match(r.stdout, /push without x-wx-source: refused with HTTP 401/);
    assert.match(r.stdout, /attempt 1\/3: answered in \d+ ms: 'success'/);
    // the example answered through the send API, token-less (open API service in the emulator)
    const sent = await until(async () => (await sends()).find((s) => s.json?.touser === from), 15_000, 'the send');
    assert.equal(sent.errcode, 0);
    assert.equal(sent.json.text.content, `收到: hi ${format}`);
    assert.deepEqual(sent.query, {});
  });
}

test('simulate --cloud-hosting --without-source: a public service refuses, a private one accepts', async () => {
  await openWindow('o_simulate_user');
  const refused = await simulate(servers.public.url, ['--without-source', '--attempts', '1']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr + refused.stdout, /CheckContainerPath probe: HTTP 401/);
  const accepted = await simulate(servers.private.url, ['--without-source', '--format', 'json']);
  assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
  assert.match(accepted.stdout, /Cloud Hosting, without x-wx-source\), attempt 1\/3: answered/);
});

test('simulate --cloud-hosting --check-public-access fails against a service that trusts everyone', async () => {
  await openWindow('o_simulate_user');
  const r = await simulate(servers.private.url, ['--check-public-access']);
  assert.equal(r.code, 1);
  assert.match(r.stderr + r.stdout, /a push without x-wx-source got HTTP 200/);
});

test('simulate --cloud-hosting refuses --encrypt (usage error)', async () => {
  const r = await simulate(servers.private.url, ['--encrypt']);
  assert.equal(r.code, 2);
});
