// One environment-variable scheme (WECHAT_KF_*) for the CLI, the emulator and the examples
// (issue 11): the emulator, as `wechat-kf emulator` and as `node devtools/emulator/server.js`, takes its
// appId and secret from WECHAT_KF_APP_ID / WECHAT_KF_APP_SECRET, so that a CLI, an emulator and
// an example started in one shell agree; the older WECHAT_* names are not read, and a CLI that
// finds only an old name says to rename it. From the packed tarball (node --test js-tests/cli/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { installScratch, killAll, run, start, until } from './helpers.mjs';

const APP_ID = 'wx12345678envscheme';
const APP_SECRET = 'env-scheme-app-secret';
const ENV = { WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: APP_SECRET };

let scratch;
before(async () => { scratch = await installScratch(); });
after(async () => { await killAll(); scratch?.remove(); });

async function token(url, appid, secret) {
  const q = new URLSearchParams({ grant_type: 'client_credential', appid, secret });
  const res = await fetch(`${url}/cgi-bin/token?${q}`, { signal: AbortSignal.timeout(5000) });
  return res.json();
}

/** The emulator at `url` knows APP_ID / APP_SECRET and nothing else. */
async function knowsTheShellsApp(url) {
  assert.equal(typeof (await token(url, APP_ID, APP_SECRET)).access_token, 'string');
  assert.equal((await token(url, 'wx0000000000emulator', 'emulator-app-secret')).errcode, 40013);
  assert.equal((await token(url, APP_ID, 'emulator-app-secret')).errcode, 40125);
}

test('wechat-kf emulator takes WECHAT_KF_APP_ID and WECHAT_KF_APP_SECRET', async () => {
  const emu = start(scratch.bin, ['emulator', '--port', '0'], { cwd: scratch.dir, env: ENV });
  const line = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+) \(appId ([^)]+)\)/.exec(emu.output().stdout), 15_000, 'wechat-kf emulator');
  assert.equal(line[2], APP_ID);
  await knowsTheShellsApp(line[1]);
  assert.equal((await emu.kill()).code, 0, emu.output().stderr);
  assert.ok(!emu.output().stdout.includes(APP_SECRET), 'the secret was printed');
});

test('node devtools/emulator/server.js (standalone, as installed) takes the same variables; flags win', async () => {
  const env = { ...ENV };
  const script = join(scratch.dir, 'node_modules', 'wechat-kf', 'devtools', 'emulator', 'server.js');
  const emu = start(process.execPath, [script, '--port', '0'], { cwd: scratch.dir, env });
  const info = await until(() => {
    const json = emu.output().stdout.split('\n').find((l) => l.startsWith('{'));
    return json && JSON.parse(json);
  }, 15_000, 'standalone emulator');
  assert.equal(info.appId, APP_ID);
  assert.equal(info.appSecret, '***', 'a secret given to it is never printed');
  await knowsTheShellsApp(info.url);
  await emu.kill();

  const flagged = start(process.execPath, [script, '--port', '0', '--app-id', 'wxfromtheflag'], { cwd: scratch.dir, env });
  const info2 = await until(() => {
    const json = flagged.output().stdout.split('\n').find((l) => l.startsWith('{'));
    return json && JSON.parse(json);
  }, 15_000, 'standalone emulator with --app-id');
  assert.equal(info2.appId, 'wxfromtheflag');
  assert.equal(typeof (await token(info2.url, 'wxfromtheflag', APP_SECRET)).access_token, 'string');
  await flagged.kill();
});

test('the CLI reads WECHAT_KF_* only; an old WECHAT_* name set alone is named, never read', async () => {
  const clean = { WECHAT_KF_TOKEN: '', WECHAT_KF_AES_KEY: '', WECHAT_KF_APP_ID: '' };
  let r = await run(scratch.bin, ['sign', '--timestamp', '1', '--nonce', '2'], { cwd: scratch.dir, env: { ...clean, WECHAT_TOKEN: 'old-token-value' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /set WECHAT_KF_TOKEN .*WECHAT_TOKEN is set: .*rename it to WECHAT_KF_TOKEN/);
  assert.ok(!(r.stdout + r.stderr).includes('old-token-value'), 'the old variable\'s value was printed');
  r = await run(scratch.bin, ['sign', '--timestamp', '1', '--nonce', '2'], { cwd: scratch.dir, env: { ...clean, WECHAT_KF_TOKEN: 'new-token-value' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /[0-9a-f]{40}/);
  r = await run(scratch.bin, ['sign', '--help'], { cwd: scratch.dir });
  assert.match(r.stdout, /WECHAT_KF_TOKEN/);
  assert.doesNotMatch(r.stdout, /also WECHAT_TOKEN/);
});
