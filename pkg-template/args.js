// Type checks of the arguments the JS layer hands to wasm as strings or numbers. wasm-bindgen's
// glue checks none of them. For a `&str` or `Option<String>` parameter its passStringToWasm0
// reads `arg.length` and `arg.charCodeAt` of whatever it is given: a number, a boolean, a symbol
// or a bigint has no length, so it asks `__wbindgen_malloc` for `undefined` (0) bytes, gets the
// dangling pointer 1, and then `__wbindgen_realloc`s that pointer, which the allocator never
// handed out: dlmalloc reads its chunk header at 1 - 4 (0xFFFFFFFD) and traps (RuntimeError:
// memory access out of bounds); an object with a `length` (an array, a Uint8Array) has `length`
// bytes allocated and then throws a TypeError from `charCodeAt`, leaking them in wasm memory,
// which never shrinks. Worse, in Node 20.20.2 (V8 11.3, where it was seen) TurboFan's code for passStringToWasm0, once
// it has seen strings and numbers there, loads a string's length field from `arg` before
// checking what `arg` is, so a small integer (a Smi) is dereferenced and the process dies
// with SIGSEGV (a V8 bug: not with --no-turbo-inline-js-wasm-calls or --no-opt). An f64
// parameter turns a Symbol or a BigInt into a TypeError. So every such argument is checked here
// first, with the WxkfError code its method uses for that argument. (Parameters typed `JsValue`
// in src/binding/ are checked in Rust: src/binding/args.rs.)
import { ERR, wxkfError } from './errors.js';

/** What a value is, for a message: 'a number', 'null', 'an array', 'an object (Uint8Array)'. */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'object') {
    let tag = 'Object';
    try {
      tag = Object.prototype.toString.call(value).slice(8, -1);
    } catch {}
    return `an object (${tag})`;
  }
  return type === 'undefined' ? 'undefined' : `a ${type}`;
}

/** The WxkfError `code` naming `field`: "<field> must be <expected>, not <what it is>". */
export function typeError(code, field, expected, value) {
  return wxkfError(code, `${field} must be ${expected}, not ${describe(value)}`, { field });
}

/** `value` when it is a string; otherwise throws the WxkfError `code` naming `field`. */
export function stringArg(value, code, field) {
  if (typeof value !== 'string') throw typeError(code, field, 'a string', value);
  return value;
}

/** `value` when it is a string, undefined when it is undefined or null; otherwise throws as stringArg. */
export function optionalStringArg(value, code, field) {
  if (typeof value === 'string' || value === undefined) return value;
  if (value === null) return undefined;
  throw typeError(code, field, 'a string', value);
}

/**
 * A query parameter or header value as text: a string as it is, a number or a bigint as its
 * digits (what a query parsed by hand may hold); anything else throws the WxkfError `code`.
 */
export function textArg(value, code, field) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw typeError(code, field, 'a string', value);
}

/** `value` when it is a number (NaN included: the core refuses what is out of range). */
export function numberArg(value, code, field) {
  if (typeof value !== 'number') throw typeError(code, field, 'a number', value);
  return value;
}

/**
 * The arguments of a passive transfer reply (`__transferPlaintext`, `transferReply`,
 * `__transferReply`): the user names come from the push's message and cross into wasm as
 * strings, so a message changed since it was received is checked (-40011 GenReturnXml).
 */
export function replyArgs(message, format, timestamp) {
  const to = stringArg(message?.fromUserName, ERR.GenReturnXml, 'message.fromUserName');
  const from = stringArg(message.toUserName, ERR.GenReturnXml, 'message.toUserName');
  return [to, from, format, message.msgType === 'event', timestamp];
}

/**
 * A push body that is not a string, as bytes: a Uint8Array as it is, an ArrayBuffer or another
 * view over the same memory; none (undefined or null) as no bytes (the core refuses an empty
 * body); anything else -40002 ParseXml, as for a body that is not XML.
 */
export function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body === undefined || body === null) return new Uint8Array(0);
  throw typeError(ERR.ParseXml, 'body', 'a string, a Uint8Array or an ArrayBuffer', body);
}
