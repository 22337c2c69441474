// Adapters for node:http, Express and Koa. They import nothing from Node: the request and
// response objects are used through their documented methods only.
import { createProcessor, readLimited } from './push-handler.js';
import { WxkfError } from './errors.js';

/** The body of a Node request: already read by a body parser (Buffer/string), or the stream. */
function nodeBody(req, preread) {
  return async (max) => {
    const given = preread !== undefined ? preread : req.body;
    if (typeof given === 'string' || given instanceof Uint8Array) {
      const bytes = typeof given === 'string' ? new TextEncoder().encode(given) : given;
      if (bytes.byteLength > max) throw new WxkfError(`the body is larger than ${max} bytes`, -41002, 'BodyTooLarge');
      return bytes;
    }
    if (given !== undefined && given !== null && req.readableEnded) {
      throw new TypeError(
        'the request body was already parsed into an object by a body parser: mount the wechat-kf ' +
        'handler before express.json()/bodyParser, or use express.raw({ type: () => true }) for its route',
      );
    }
    return readLimited(req, max);
  };
}

function queryOf(url) {
  return new URL(url ?? '/', 'http://localhost').searchParams;
}

async function run(process, req, url, preread) {
  return process({
    method: req.method,
    query: queryOf(url),
    contentType: req.headers['content-type'],
    contentLength: req.headers['content-length'],
    headers: req.headers,
    body: nodeBody(req, preread),
  });
}

function send(res, r) {
  res.statusCode = r.status;
  res.setHeader('content-type', r.contentType);
  res.end(r.body);
}

/** node:http: `http.createServer(createNodeListener(options))`. */
export function createNodeListener(options) {
  const { process } = createProcessor(options);
  return (req, res) => {
    run(process, req, req.url).then((r) => send(res, r), () => send(res, { status: 500, body: 'internal error', contentType: 'text/plain' }));
  };
}

/** Express: `app.all('/wechat', createExpressMiddleware(options))` (before any JSON parser). */
export function createExpressMiddleware(options) {
  const { process } = createProcessor(options);
  return (req, res, next) => {
    run(process, req, req.originalUrl ?? req.url).then((r) => send(res, r), next);
  };
}

/** Koa: `router.all('/wechat', createKoaMiddleware(options))` or `app.use(...)`. */
export function createKoaMiddleware(options) {
  const { process } = createProcessor(options);
  return async (ctx) => {
    const raw = ctx.request.rawBody; // set by koa-bodyparser when it ran first
    const r = await run(process, ctx.req, ctx.originalUrl ?? ctx.url, typeof raw === 'string' ? raw : undefined);
    ctx.status = r.status;
    ctx.type = r.contentType;
    ctx.body = r.body;
  };
}
