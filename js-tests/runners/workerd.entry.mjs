// The worker run by workerd (bundled by esbuild like wrangler does). The suite runs per
// request: workerd forbids random generation at module top level.
import * as lib from 'wechat-kf';
import { runSuite } from './suite.js';
import vectors from './vectors.json';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return new Response('ok');
    if (pathname !== '/run') return new Response('not found', { status: 404 });
    const logs = [];
    try {
      await lib.init();
      const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
      return Response.json({ ...result, logs });
    } catch (e) {
      return Response.json({ error: String((e && e.stack) || e), logs }, { status: 500 });
    }
  },
};
