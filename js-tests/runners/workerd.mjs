// workerd: bundle the worker with esbuild the way wrangler does (conditions workerd, worker,
// browser; .wasm imports left to the runtime as WebAssembly.Module), serve it with
// `workerd serve` on 127.0.0.1, and GET /run, which runs the suite inside the fetch handler.
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { freePort, resolveBin, startProcess, withTimeout } from './harness.mjs';

export const expectedEntry = 'loaders/workerd.js';

export async function run(ctx) {
  const workerd = resolveBin('workerd');
  const dir = join(ctx.scratch, 'workerd');
  mkdirSync(dir, { recursive: true });

  // Each imported .wasm becomes an external module named by its file name; workerd gets it
  // as a `wasm` module of the same name.
  const wasmModules = new Map();
  const bundle = await build({
    absWorkingDir: ctx.scratch,
    entryPoints: ['workerd.entry.mjs'],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    metafile: true,
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-modules',
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (args) => {
          const abs = join(args.resolveDir, args.path);
          const name = basename(abs);
          wasmModules.set(name, abs);
          return { path: `./${name}`, external: true };
        });
      },
    }],
  });
  for (const [name, abs] of wasmModules) copyFileSync(abs, join(dir, name));
  // Which file of the package the bundler picked for 'wechat-kf' (paths relative to scratch).
  const entry = bundle.metafile.inputs['workerd.entry.mjs'].imports.find((i) => i.original === 'wechat-kf')?.path;

  const port = await freePort();
  const modules = [`(name = "worker.js", esModule = embed "worker.js")`]
    .concat([...wasmModules.keys()].map((n) => `(name = "${n}", wasm = embed "${n}")`));
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .suiteWorker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const suiteWorker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = "2025-06-01",
);
`);

  const proc = startProcess(ctx, workerd, ['serve', 'config.capnp'], { cwd: dir });
  try {
    const base = `http://127.0.0.1:${port}`;
    await withTimeout(waitReady(base, proc), ctx.timeoutMs, 'workerd start');
    const { res, body } = await withTimeout((async () => {
      const res = await fetch(`${base}/run`);
      return { res, body: await res.text() };
    })(), ctx.timeoutMs, 'workerd GET /run');
    let result;
    try { result = JSON.parse(body); } catch { throw new Error(`GET /run: HTTP ${res.status}: ${body.slice(0, 2000)}`); }
    if (result.error) throw new Error(`worker threw: ${result.error}`);
    result.entry = entry;
    result.stderr = proc.output().stderr;
    return result;
  } catch (e) {
    const { stdout, stderr } = proc.output();
    if ((stdout + stderr).trim()) e.message += `\n--- workerd output ---\n${(stdout + stderr).trim().split('\n').slice(-30).join('\n')}`;
    throw e;
  } finally {
    await proc.kill();
  }
}

async function waitReady(base, proc) {
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error('workerd exited before serving');
    try {
      const r = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
}
