// Type-level test of the store contract (issue 9): compiled by `tsc -p js-tests/types`.
import { MemoryStore, SendWindow, Client, createHandler, type Store, type SendWindowConsumed } from 'wechat-kf';
import { redisStore } from 'wechat-kf/redis';

// Any object with the five methods, sync or async, is a Store.
const asyncStore: Store = {
  get: async () => null,
  set: async () => {},
  setIfAbsent: async () => true,
  delete: async () => false,
  compareAndSet: async () => false,
};
const memory: Store = new MemoryStore({ prefix: 'app:' });
// @ts-expect-error values are strings
memory.set('k', 5);

const nodeRedisLike = { sendCommand: async (args: string[]) => args.length };
const ioredisLike = { call: async (...args: string[]) => args.length };
const shared: Store = redisStore(nodeRedisLike, { prefix: 'wx:' });
redisStore(ioredisLike);
// node-redis createCluster(): sendCommand(firstKey, isReadonly, args)
const clusterLike = { sendCommand: async (_key: string | undefined, _readonly: boolean | undefined, args: string[]) => args.length };
redisStore(clusterLike, {
  onError: (warning) => {
    const problems: string[] | undefined = warning.problems;
    void problems;
  },
});
// @ts-expect-error onError is a function
redisStore(ioredisLike, { onError: 'console' });
// @ts-expect-error a Redis client is required
redisStore({});

export async function use(): Promise<void> {
  const window = new SendWindow({ store: shared, appId: 'wx1' });
  const slot: SendWindowConsumed = await window.consume('o');
  const back: boolean = await window.refund('o', slot.state);
  void back;
  const client = new Client({
    appId: 'a', appSecret: 's', store: asyncStore, stableToken: false, storeTimeoutMs: 500,
    tokenLockMs: 5000, forceRefreshIntervalMs: 30_000, sendWindow: window,
    onError: (error, info) => void [error, info.phase === 'store' || info.phase === 'sendWindow'],
  });
  await client.invalidateToken();
  // Issues 22-23: SendWindow fails open (a decision says when it could not check), the token budget.
  const guarded = new SendWindow({ store: shared, storeTimeoutMs: 500, onError: (error, info) => void [error, info.phase === 'sendWindow'] });
  const decision = await guarded.check('o');
  if (decision.unchecked) {
    const none: null = decision.remaining;
    const why: 'store' | 'no-state' | 'bad-state' | 'contended' = decision.unchecked;
    void [none, why];
  } else {
    const left: number = decision.remaining;
    void left;
  }
  const taken = await guarded.consume('o');
  await guarded.refund('o', taken.state); // null when nothing was taken
  new Client({ appId: 'a', appSecret: 's', tokenBudgetMs: 20_000, tokenLockMs: 10_000, sendWindow: guarded });
  createHandler({ token: 't', encodingAESKey: 'k', appId: 'a', store: shared, onMessage: () => {} });
  // @ts-expect-error dedup is false or a legacy DedupStore, not a Store
  createHandler({ token: 't', encodingAESKey: 'k', appId: 'a', dedup: true, onMessage: () => {} });
}
