// Holds a write lock on a Deno KV file from another process, as another program writing to the
// same SQLite file would (deno-kv.entry.mjs starts it): opens the file with node:sqlite, begins
// an EXCLUSIVE transaction, prints LOCKED, and commits when its stdin closes (or after 60 s, so
// that it never outlives a test that died), then prints RELEASED and exits.
//   deno run --allow-read=<file's dir> --allow-write=<file's dir> deno-kv-locker.mjs <kv file>
import { DatabaseSync } from 'node:sqlite';

const db = new DatabaseSync(Deno.args[0]);
db.exec('BEGIN EXCLUSIVE');
console.log('LOCKED');
const stdinClosed = (async () => { for await (const _ of Deno.stdin.readable) { /* until closed */ } })();
let timer;
await Promise.race([stdinClosed, new Promise((resolve) => { timer = setTimeout(resolve, 60_000); })]);
clearTimeout(timer);
db.exec('COMMIT');
db.close();
console.log('RELEASED');
