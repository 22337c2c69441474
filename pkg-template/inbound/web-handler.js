// The Web-standard handler: (request, ctx?) => Promise<Response>, for Deno.serve, Workers
// (`fetch(request, env, ctx)`: pass ctx so slow callbacks finish under ctx.waitUntil),
// Bun.serve and Node (>= 20.19) frameworks that speak Request/Response.
import { INTERNAL_ERROR, NOSNIFF, createProcessor, readLimited } from './push-handler.js';

async function* streamChunks(stream) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** See handlers.d.ts (HandlerOptions). */
export function createHandler(options) {
  const { process, report } = createProcessor(options);
  const respond = (request, r) => new Response(request.method === 'HEAD' ? null : r.body, {
    status: r.status,
    headers: [['content-type', r.contentType], NOSNIFF],
  });
  return async function handle(request, ctx) {
    const url = new URL(request.url);
    const r = await process({
      method: request.method,
      query: url.searchParams,
      contentType: request.headers.get('content-type') ?? undefined,
      contentLength: request.headers.get('content-length') ?? undefined,
      headers: request.headers,
      body: (max) => (request.body ? readLimited(streamChunks(request.body), max) : new Uint8Array(0)),
      waitUntil: ctx && typeof ctx.waitUntil === 'function' ? (p) => ctx.waitUntil(p) : undefined,
    });
    try {
      return respond(request, r);
    } catch (e) {
      // An answer that cannot be written (a contentType with a newline, say): 500, reported.
      report(e, { phase: 'respond' });
      return respond(request, INTERNAL_ERROR);
    }
  };
}
