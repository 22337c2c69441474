// A queue engine's onError (queue.consume's option, which engines call bare): one that throws
// or rejects, or none, never escapes into the engine's loop and never goes unheard: its failure
// and the error it was given are written to console.error (stores/guarded.js reporter).
// Uses the built package (pkg/; WECHAT_KF_PKG overrides the entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const entry = process.env.WECHAT_KF_PKG ?? new URL('../../pkg/loaders/node.js', import.meta.url).href;
const { default: internal } = await import(new URL('../wechat-kf.js', entry).href);
const { consumeOptions } = internal;

async function consoleLines(fn) {
  const lines = [];
  const original = console.error;
  console.error = (...args) => lines.push(args.join(' '));
  const rejections = [];
  const onRejection = (e) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    console.error = original;
    process.off('unhandledRejection', onRejection);
  }
  return { lines, rejections };
}

test('consume onError that throws, rejects or is missing: reported on console.error, never thrown', async () => {
  const handle = async () => {};
  const cases = {
    throws: () => { throw new Error('onError broke'); },
    rejects: async () => { throw new Error('onError broke'); },
    missing: undefined,
  };
  for (const [name, onError] of Object.entries(cases)) {
    const { onError: call } = consumeOptions(handle, { onError });
    const { lines, rejections } = await consoleLines(() => {
      assert.doesNotThrow(() => call(new Error('the engine lost its connection')), name);
    });
    assert.deepEqual(rejections, [], name);
    // The error it was given, in its phase; and, when onError itself failed, that failure.
    assert.equal(lines.filter((l) => l.includes('in phase queue')).length, 1, `${name}: ${lines.join(' | ')}`);
    assert.equal(lines.filter((l) => l.includes('in phase onError')).length, name === 'missing' ? 0 : 1, `${name}: ${lines.join(' | ')}`);
  }
  // One that works is called with the error and the phase, and nothing is written.
  const seen = [];
  const { onError: call } = consumeOptions(handle, { onError: (e, info) => seen.push(`${info.phase}:${e.message}`) });
  const { lines } = await consoleLines(() => call(new Error('e')));
  assert.deepEqual(seen, ['queue:e']);
  assert.deepEqual(lines, []);
});
