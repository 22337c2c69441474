// `wechat-kf debugger`: serves the browser debugger (the package's devtools/debugger/ folder) on
// 127.0.0.1. Only the page's own files, the browser entry with the modules it imports, and the
// .wasm are served; every response carries `Content-Security-Policy: default-src 'self'` (the
// page itself narrows it further), so nothing the page holds is sent anywhere.
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, integer, isLoopbackName, loopbackHost, parse, untilStopped } from './options.js';

export { isLoopbackName };

// The package root (this file is cli/debugger.js).
const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8',
  wasm: 'application/wasm', png: 'image/png',
};
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The host name of a Host header (`name[:port]`), or null when malformed. */
function hostOf(authority) {
  try {
    const url = new URL(`http://${authority}/`);
    return url.username || url.password || url.pathname !== '/' ? null : url.hostname;
  } catch {
    return null;
  }
}

/** Package-relative paths of a module and every module it imports by a relative path. */
function importClosure(start, seen = new Set()) {
  if (seen.has(start)) return seen;
  seen.add(start);
  const source = readFileSync(join(PKG, start), 'utf8');
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const next = join(dirname(start), m[1]).replaceAll('\\', '/');
    if (!next.startsWith('..')) importClosure(next, seen);
  }
  return seen;
}

/** URL path -> package-relative file: the debugger folder, what its modules import, both .wasm. */
export function servedFiles() {
  const files = new Map();
  for (const name of readdirSync(join(PKG, 'devtools', 'debugger'))) {
    const rel = `devtools/debugger/${name}`;
    if (name.endsWith('.js')) for (const f of importClosure(rel)) files.set(`/${f}`, f);
    else files.set(`/${rel}`, rel);
  }
  files.set('/devtools/debugger/', 'devtools/debugger/index.html');
  files.set('/wasm/wechat_kf_bg.wasm', 'wasm/wechat_kf_bg.wasm');
  files.set('/wasm/wechat_kf_outbound_bg.wasm', 'wasm/wechat_kf_outbound_bg.wasm');
  return files;
}

/** Starts the server: { url, close() }. */
export async function serveDebugger({ port = 0, host = '127.0.0.1' } = {}) {
  const files = servedFiles();
  const server = createServer((req, res) => {
    const plain = (status, text, headers = {}) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
    const hostName = typeof req.headers.host === 'string' ? hostOf(req.headers.host) : null;
    if (!hostName || (!isLoopbackName(hostName) && hostName !== host)) {
      return plain(403, 'the debugger answers only a loopback Host (127.0.0.1, localhost, [::1])');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'only GET', { allow: 'GET, HEAD' });
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/' || path === '/debugger' || path === '/debugger/' || path === '/devtools/debugger') {
      return plain(302, 'see /devtools/debugger/', { location: '/devtools/debugger/' });
    }
    const file = files.get(path);
    if (!file) return plain(404, 'not found');
    const body = readFileSync(join(PKG, file));
    res.writeHead(200, {
      'content-type': TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
      'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const name = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${name}:${server.address().port}/devtools/debugger/`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export const debuggerCommand = {
  summary: 'open the browser debugger (inspect, decrypt and build pushes in a page) on 127.0.0.1',
  help: `usage: wechat-kf debugger [--port 0] [--host 127.0.0.1] [--allow-non-loopback]

Serves the browser debugger on http://HOST:PORT/devtools/debugger/ and prints its URL (--port 0, the
default: any free port). Open it in a browser: paste a push's query and body with the Token,
EncodingAESKey and appId to see each check, the decrypted message and, on failure, the likely
causes; or build pushes, replies and dialogue-platform payloads. Everything runs in the page
(WebAssembly): nothing typed into it is sent anywhere, and the server serves only the page's
own files (Content-Security-Policy: default-src 'self').

Only a loopback --host (127.0.0.1, localhost, ::1) is accepted unless --allow-non-loopback is
given; requests whose Host header is not a loopback name are refused (403), so another site
cannot reach the page through DNS rebinding. Runs until interrupted (Ctrl-C, SIGTERM, SIGHUP)
or until the process that started it ends (npx, a shell): it never outlives it.`,
  async run(argv, { out }) {
    const v = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, 'allow-non-loopback': { type: 'boolean' } });
    if (v.help) return out(this.help);
    const port = integer(v, 'port', 0);
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = loopbackHost(v, 'debugger');
    let server;
    try {
      server = await serveDebugger({ port, host });
    } catch (e) {
      throw new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`);
    }
    out(`wechat-kf debugger: open ${server.url}  (everything runs in the page; Ctrl-C stops)`);
    // Ctrl-C, SIGTERM or SIGHUP, or the process that started it gone (npx killed): see untilStopped.
    await untilStopped();
    await server.close();
  },
};
