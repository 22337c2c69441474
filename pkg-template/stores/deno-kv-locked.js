// Deno KV on a local file: a call refused with "database is locked" (another process or handle
// holds the file's SQLite write lock; nothing was written) is tried again after a short random
// pause, for up to `ms`. Shared by denoKvStore and denoKvQueue (`wechat-kf/deno-kv`).
export const BUSY_MS = 10_000;

const isBusy = (e) => /database is locked|SQLITE_BUSY/i.test(String(e?.message ?? e));

/** fn(), tried again while the local KV file is locked by another process or handle. */
export async function unlocked(fn, ms = BUSY_MS) {
  const until = Date.now() + ms;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() > until) throw e;
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
    }
  }
}
