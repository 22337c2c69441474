// Adapters for node:http, Express and Koa. They import nothing from Node: the request and
// response objects are used through their documented methods only.
import { INTERNAL_ERROR, NOSNIFF, createProcessor } from './push-handler.js';
import { ERR, wxkfError } from '../errors.js';
import { joinChunks } from '../bytes.js';

/** The body of a Node request: already read by a body parser (Buffer/string), or the stream. */
function nodeBody(req, preread) {
  return async (max) => {
    const given = preread !== undefined ? preread : req.body;
    if (typeof given === 'string' || given instanceof Uint8Array) {
      const bytes = typeof given === 'string' ? new TextEncoder().encode(given) : given;
      if (bytes.byteLength > max) throw wxkfError(ERR.BodyTooLarge, `the body is larger than ${max} bytes`);
      return bytes;
    }
    if (given !== undefined && given !== null && req.readableEnded) {
      throw new TypeError(
        'the request body was already parsed into an object by a body parser: mount the wechat-kf ' +
        'handler before express.json()/bodyParser, or use express.raw({ type: () => true }) for its route',
      );
    }
    return readStream(req, max);
  };
}

/**
 * The body of a Node request stream, up to max bytes (-41002 past it), read through its 'data'
 * and 'end' events (an async iterator costs a few µs a request more); one chunk is returned as
 * it is. A stream that was already read to its end gives an empty body.
 */
function readStream(req, max) {
  if (req.readableEnded) return new Uint8Array(0);
  return new Promise((resolve, reject) => {
    const parts = [];
    let size = 0;
    const done = (fn, value) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      fn(value);
    };
    const onData = (chunk) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > max) {
        done(reject, wxkfError(ERR.BodyTooLarge, `the body is larger than ${max} bytes`));
        req.resume?.(); // let the rest drain: the answer can still be written
        return;
      }
      parts.push(bytes);
    };
    const onEnd = () => done(resolve, joinChunks(parts, size));
    const onError = (e) => done(reject, e);
    const onClose = () => done(reject, new Error('the request was closed before its body was read'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * The query of a request target as a Map (first value of a name wins, as URLSearchParams.get
 * does; a Map because any name may come, `__proto__` too); through URLSearchParams when
 * anything is escaped.
 */
function queryOf(url) {
  const q = new Map();
  const at = typeof url === 'string' ? url.indexOf('?') : -1;
  if (at < 0) return q;
  let text = url.slice(at + 1);
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  if (text.includes('%') || text.includes('+')) {
    for (const [k, v] of new URLSearchParams(text)) if (!q.has(k)) q.set(k, v);
    return q;
  }
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('&', from);
    if (to < 0) to = text.length;
    if (to > from) {
      const eq = text.indexOf('=', from);
      const k = eq < 0 || eq > to ? text.slice(from, to) : text.slice(from, eq);
      if (!q.has(k)) q.set(k, eq < 0 || eq > to ? '' : text.slice(eq + 1, to));
    }
    from = to + 1;
  }
  return q;
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

function write(res, r) {
  res.writeHead(r.status, ['content-type', r.contentType, NOSNIFF[0], NOSNIFF[1]]);
  res.end(r.body);
}

/**
 * Writes the answer; when writing throws (a contentType with a newline: ERR_INVALID_CHAR),
 * reports it, answers 500 if the headers are not sent yet, and never lets it escape (an
 * unhandled rejection would end the process).
 */
function send(res, r, report) {
  try {
    write(res, r);
  } catch (e) {
    report(e, { phase: 'respond' });
    try {
      if (!res.headersSent) write(res, INTERNAL_ERROR);
      else res.destroy?.();
    } catch {}
  }
}

function serve(process, report, req, res, url) {
  run(process, req, url).then(
    (r) => send(res, r, report),
    (e) => {
      report(e, { phase: 'respond' });
      send(res, INTERNAL_ERROR, report);
    },
  );
}

/** node:http: `http.createServer(createNodeListener(options))`. */
export function createNodeListener(options) {
  const { process, report } = createProcessor(options);
  return (req, res) => serve(process, report, req, res, req.url);
}

/**
 * Express: `app.all('/wechat', createExpressMiddleware(options))` (before any JSON parser).
 * When onMessage fails, the error (reported through onError first) goes to `next(error)`, so
 * that Express's error handling sees it and answers; its default answer is a 500, which makes
 * the platform try again (an error middleware that answers 2xx acknowledges the failed push).
 */
export function createExpressMiddleware(options) {
  const { process, report } = createProcessor(options);
  return (req, res, next) => {
    run(process, req, req.originalUrl ?? req.url).then(
      (r) => {
        if (r.error !== undefined && typeof next === 'function' && !res.headersSent) next(r.error);
        else send(res, r, report);
      },
      (e) => {
        report(e, { phase: 'respond' });
        send(res, INTERNAL_ERROR, report);
      },
    );
  };
}

/** Koa: `router.all('/wechat', createKoaMiddleware(options))` or `app.use(...)`. */
export function createKoaMiddleware(options) {
  const { process, report } = createProcessor(options);
  const answer = (ctx, r) => {
    ctx.status = r.status;
    ctx.set(...NOSNIFF);
    ctx.type = r.contentType;
    ctx.body = r.body;
  };
  return async (ctx) => {
    const raw = ctx.request.rawBody; // set by koa-bodyparser when it ran first
    let r;
    try {
      r = await run(process, ctx.req, ctx.originalUrl ?? ctx.url, typeof raw === 'string' ? raw : undefined);
      answer(ctx, r);
    } catch (e) {
      report(e, { phase: 'respond' });
      answer(ctx, INTERNAL_ERROR);
    }
    // A failed onMessage (answered 500, reported through onError first) is also emitted on the
    // app, as Koa does for errors it catches itself: app.on('error') sees it, the answer stays.
    if (r?.error !== undefined && typeof ctx.app?.emit === 'function') {
      try { ctx.app.emit('error', r.error, ctx); } catch (e) { report(e, { phase: 'respond' }); }
    }
  };
}
