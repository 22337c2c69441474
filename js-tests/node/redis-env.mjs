// What the tests on a real redis-server share: the package under test (WECHAT_KF_PKG: its
// directory or its loaders/node.js, as a path or a file: URL; default pkg/), the two Redis
// clients users run (ioredis and node-redis, from the workspace), and a list of closers run,
// with every redis-server stopped, by node:test's `after` hook of the importing file.
import { after } from 'node:test';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { stopAllRedis } from '../faults/redis-server.mjs';

/** The package's directory as a file: URL ending with '/'. */
export const pkg = (() => {
  const given = process.env.WECHAT_KF_PKG;
  if (!given) return new URL('../../pkg/', import.meta.url).href;
  const url = /^file:/.test(given) ? given : pathToFileURL(given).href;
  return url.endsWith('.js') ? new URL('..', url).href : `${url.replace(/\/$/, '')}/`;
})();

const require = createRequire(import.meta.url);
export const IORedis = require('ioredis');
export const nodeRedis = require('redis');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The closers of what a test file opens (clients, proxies), run last first after its tests,
 * then every redis-server stopped; `beforeClose` runs first (e.g. killing child processes).
 */
export function closeAfterTests(beforeClose = () => {}) {
  const opened = [];
  after(async () => {
    beforeClose();
    for (const close of opened.reverse()) { try { await close(); } catch {} }
    await stopAllRedis();
  });
  return opened;
}
