// What the example tests that run examples against a redis-server share: a scratch directory
// with the packed tarball installed and examples/ copied beside it (`redis` resolves from the
// workspace), the API emulator, a WXBizMsgCrypt for the pushes, and the environment the examples
// read. Everything started is stopped by the test file's `after` hook, registered here.
import { after } from 'node:test';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../runners/harness.mjs';
import { prepareScratch } from '../runners/scratch.mjs';
import { stopAllRedis } from '../faults/redis-server.mjs';

const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APP_ID = 'wx0000000000emulator'; // the emulator's default appId
const APP_SECRET = 'emulator-app-secret';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The harness context of one example test file ({ scratch, defer } for startProcess), its
 * cleanup registered with node:test's `after`. Call `setUp` inside the test.
 */
export function exampleContext(scratchName) {
  const scratch = join(ROOT, 'js-tests', scratchName);
  const pending = [];
  const ctx = { scratch, defer: (fn) => pending.push(fn) };
  after(async () => {
    for (const fn of pending.reverse()) { try { await fn(); } catch {} }
    await stopAllRedis();
    rmSync(scratch, { recursive: true, force: true });
  });
  return ctx;
}

/**
 * Installs the tarball (WECHAT_KF_TARBALL, default the newest dist/*.tgz) into ctx.scratch,
 * copies examples/ beside it and starts the emulator. Returns { lib, emulator, crypt, env }:
 * `env` the WECHAT_KF_* variables for an account with `token`, the emulator as its API.
 */
export async function setUp(ctx, token) {
  prepareScratch(ctx.scratch, process.env.WECHAT_KF_TARBALL);
  cpSync(join(ROOT, 'examples'), join(ctx.scratch, 'examples'), { recursive: true });
  const lib = await import(join(ctx.scratch, 'node_modules', 'wechat-kf', 'loaders', 'node.js'));
  const { start } = await import(join(ctx.scratch, 'node_modules', 'wechat-kf', 'devtools', 'emulator', 'server.js'));
  const emulator = await start({ port: 0, lib });
  ctx.defer(() => emulator.close());
  const crypt = new lib.WXBizMsgCrypt({ token, encodingAESKey: KEY, appId: APP_ID });
  const env = {
    WECHAT_KF_TOKEN: token, WECHAT_KF_AES_KEY: KEY, WECHAT_KF_APP_ID: APP_ID, WECHAT_KF_APP_SECRET: APP_SECRET,
    WECHAT_KF_API_BASE: emulator.url,
  };
  return { lib, emulator, crypt, env };
}
