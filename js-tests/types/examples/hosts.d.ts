// The hosts' own APIs the examples use, declared as loosely as they need: this check is about
// the package's types, which the examples must use as a TypeScript user would (issue 25: `tsc
// --strict --checkJs` on every example, run by scripts/test.sh with ./tsconfig.json). The
// package's declarations come from the built package (pkg/), as in ../tsconfig.json; `koa`,
// `express`, `redis` and `node:*` are mapped to ./shims (no @types/node is installed).
type Listener = (...args: any[]) => unknown;
declare const process: {
  env: Record<string, string | undefined>;
  pid: number;
  on(event: string, listener: Listener): void;
  exit(code?: number): never;
};
declare const Bun: { serve(options: { hostname?: string; port?: number; fetch(request: Request): Response | Promise<Response> }): unknown };
declare const Deno: {
  env: { toObject(): Record<string, string> };
  openKv(path?: string): Promise<any>;
  serve(options: { hostname?: string; port?: number; onListen?: () => void }, handler: (request: Request) => Response | Promise<Response>): unknown;
};
