// Host-side helpers of the tests that run what users get: a scratch project with the packed
// tarball installed, a worker bundled the way wrangler bundles it, and (for the store and
// multi-instance tests) a workerd config with a Durable Object namespace (the package's
// DurableObjectStore) that several worker services (isolates) bind.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './harness.mjs';

/** A fresh scratch project at `dir` with the tarball (default: newest dist/*.tgz) installed. */
export function prepareScratch(dir, tarball) {
  const tgz = resolve(tarball ?? newestTarball());
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'wechat-kf-scratch', private: true, type: 'module' }) + '\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tgz], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return tgz;
}

export function newestTarball() {
  const dist = join(ROOT, 'dist');
  const tgz = existsSync(dist) ? readdirSync(dist).filter((f) => /^wechat-kf-.*\.tgz$/.test(f)) : [];
  if (!tgz.length) throw new Error('no dist/wechat-kf-*.tgz: run `bash scripts/build.sh` first');
  return join(dist, tgz.sort((a, b) => statSync(join(dist, b)).mtimeMs - statSync(join(dist, a)).mtimeMs)[0]);
}

/**
 * Bundles `entry` (relative to `from`) into outDir/worker.js with the conditions wrangler uses;
 * each .wasm import stays a module of its own. Returns the workerd module list.
 */
export async function bundleWorker(from, entry, outDir) {
  const wasm = new Map();
  await build({
    absWorkingDir: from,
    entryPoints: [entry],
    outfile: join(outDir, 'worker.js'),
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'], logLevel: 'silent',
    plugins: [{
      name: 'wasm-modules',
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, (a) => {
          const abs = join(a.resolveDir, a.path);
          wasm.set(basename(abs), abs);
          return { path: `./${basename(abs)}`, external: true };
        });
      },
    }],
  });
  for (const [name, abs] of wasm) copyFileSync(abs, join(outDir, name));
  return ['(name = "worker.js", esModule = embed "worker.js")', ...[...wasm.keys()].map((n) => `(name = "${n}", wasm = embed "${n}")`)];
}

/**
 * A workerd config: a service "store" declaring the DurableObjectStore namespace (storage on
 * local disk under storageDir), and one worker service per instance (its own isolate) with a
 * socket on 127.0.0.1:port, the namespace bound as `storeBinding`, text bindings `vars`, and
 * outbound network to 127.0.0.1 only.
 */
export function workerdConfig({ modules, storageDir, instances }) {
  mkdirSync(storageDir, { recursive: true });
  const worker = (i) => `const instance${i} :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  bindings = [
    (name = "${instances[i].storeBinding}", durableObjectNamespace = (serviceName = "store", className = "DurableObjectStore")),
    ${Object.entries(instances[i].vars ?? {}).map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(String(v))})`).concat(['(name = "INSTANCE", text = "' + i + '")']).join(',\n    ')}
  ],
  globalOutbound = "loopback",
  compatibilityDate = "2025-06-01",
);
`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "store", worker = .storeWorker),
    (name = "do-disk", disk = (path = ${JSON.stringify(storageDir)}, writable = true)),
    (name = "loopback", network = (allow = ["local", "private", "public", "network"])),
    ${instances.map((inst, i) => `(name = "${inst.name}", worker = .instance${i})`).join(',\n    ')}
  ],
  sockets = [
    ${instances.map((inst) => `(name = "http-${inst.name}", address = "127.0.0.1:${inst.port}", http = (), service = "${inst.name}")`).join(',\n    ')}
  ],
);
const storeWorker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  durableObjectNamespaces = [(className = "DurableObjectStore", uniqueKey = "wechat-kf-store-test", enableSql = true)],
  durableObjectStorage = (localDisk = "do-disk"),
  compatibilityDate = "2025-06-01",
);
${instances.map((_, i) => worker(i)).join('')}`;
}
