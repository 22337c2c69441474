// Checks of a shipped store on its real engine, beside the shared conformance suite
// (conformance.js): a second handle on the same data, expiry that the engine itself applies
// late (Deno KV) or by alarm (Durable Object) seen by every operation, and the argument
// errors of the less common arguments. Standard JS; runs in workerd and Deno.
//
//   await storeEngineChecks({ makeStore, makeStoreOn? }, check)
//     makeStore(options?) -> a Store on a fresh namespace of the engine (options passed to the
//       store factory, merged over a unique prefix)
//     makeStoreOn(prefix) -> a second Store over the same data with that prefix (another handle)
//     check: makeChecker() of js-tests/check.js
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function storeEngineChecks({ makeStore, makeStoreOn, label }, check) {
  const { checkAsync, assertEq, assertTrue } = check;
  const name = (s) => `${label}: ${s}`;

  await checkAsync(name('a second handle on the same data sees the same keys'), async () => {
    const { store, prefix } = makeStore();
    const other = makeStoreOn(prefix);
    await store.set('k', 'v1');
    assertEq(await other.get('k'), 'v1');
    assertEq(await other.setIfAbsent('k', 'v2', 10_000), false);
    assertEq(await other.compareAndSet('k', 'v1', 'v3'), true);
    assertEq(await store.get('k'), 'v3');
  });

  await checkAsync(name('an expired key is absent for every operation (lazy engine expiry)'), async () => {
    const { store } = makeStore();
    await store.set('t', 'old', 150);
    await store.set('d', 'old', 150);
    await store.set('c', 'old', 150);
    await sleep(400);
    assertEq(await store.get('t'), null);
    assertEq(await store.delete('d'), false);
    assertEq(await store.compareAndSet('c', 'old', 'new'), false);
    assertEq(await store.compareAndSet('c', null, 'new'), true);
    assertEq(await store.setIfAbsent('t', 'fresh', 10_000), true);
    assertEq(await store.get('t'), 'fresh');
  });

  await checkAsync(name('a set without TTL drops an earlier TTL'), async () => {
    const { store } = makeStore();
    await store.set('k', 'short', 150);
    await store.set('k', 'forever');
    await sleep(400);
    assertEq(await store.get('k'), 'forever');
  });

  await checkAsync(name('30 concurrent compare-and-set increments from two handles: none lost'), async () => {
    const { store, prefix } = makeStore();
    const other = makeStoreOn(prefix);
    // Each value carries the id of its increment (the contract: values unique to the attempt).
    const increment = async (s, id) => {
      for (let attempt = 0; attempt < 10_000; attempt++) {
        const cur = await s.get('n');
        if (await s.compareAndSet('n', cur, `${Number((cur ?? '0').split(':')[0]) + 1}:${id}`, 60_000)) return;
      }
      throw new Error(`increment ${id} gave up`);
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => increment(i % 2 ? store : other, `inc${i}`)));
    assertEq((await store.get('n')).split(':')[0], '30');
  });

  await checkAsync(name('bad arguments: WxkfError -43003 InvalidStoreArgument'), async () => {
    const { store } = makeStore();
    const calls = [
      () => store.get(''), () => store.set('k', 1), () => store.set('k', 'v', -5),
      () => store.setIfAbsent('k', 'v'), () => store.setIfAbsent('k', 'v', Number.NaN),
      () => store.delete('k', 3), () => store.compareAndSet('k', undefined, 'v'),
    ];
    for (const call of calls) {
      let error;
      try { await call(); } catch (e) { error = e; }
      assertTrue(error && error.code === -43003 && error.kind === 'InvalidStoreArgument', `-43003 from ${call}, got ${error && (error.code ?? error.message)}`);
    }
  });
}
