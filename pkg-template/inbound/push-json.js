// The push as the core hands it over: JSON text, as a string or (when it is not ASCII) as
// UTF-16 code units in wasm memory. A large push comes without `message.raw`, so that its
// content crosses once: `raw` is taken apart as UTF-8 JSON bytes and decoded only when it is
// first read. Its long top-level strings (the content) come apart too, as UTF-16 code units
// (`takeSpans()`), neither escaped nor parsed as JSON: the JSON is then
// `[push, name, length, name, length, ...]` with `0` in each one's place.

const utf8 = new TextDecoder();

// UTF-16 code units to a string. Node's and Bun's Buffer copy them at memory speed; elsewhere
// TextDecoder('utf-16le') (several times faster than decoding non-ASCII UTF-8 in Node 20).
const NodeBuffer = globalThis.Buffer;
const utf16 = typeof NodeBuffer?.from === 'function'
  ? (units) => NodeBuffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le')
  : ((decoder) => (units) => decoder.decode(units))(new TextDecoder('utf-16le', { ignoreBOM: true }));

/** `[push, name, length, ...]`: the push with its long strings put back in their places. */
function withSpans(parts, inner) {
  const push = parts[0];
  const { message } = push;
  const text = utf16(inner.takeSpans());
  for (let i = 1, at = 0; i < parts.length; i += 2) {
    message[parts[i]] = text.slice(at, (at += parts[i + 1]));
  }
  return push;
}

/**
 * The push object from the core's JSON (a string, or a Uint16Array view of wasm memory to
 * decode at once, before any other call into wasm). When `message.raw` is not in it,
 * `inner.takeRaw()` gives its UTF-8 JSON bytes, parsed on first read; `raw` is an ordinary
 * enumerable property for JSON.stringify, spreading and assignment.
 */
export function pushFromJson(json, inner) {
  let push = JSON.parse(typeof json === 'string' ? json : utf16(json));
  if (Array.isArray(push)) push = withSpans(push, inner);
  const { message } = push;
  if ('raw' in message) return push;
  const rawBytes = inner.takeRaw();
  let parsed;
  const settle = (value) => {
    Object.defineProperty(message, 'raw', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(message, 'raw', {
    enumerable: true,
    configurable: true,
    get() {
      if (parsed === undefined) {
        parsed = JSON.parse(utf8.decode(rawBytes));
        // A frozen message (Object.freeze, immer) keeps the accessor, which answers the same.
        if (Object.isExtensible(message)) settle(parsed);
      }
      return parsed;
    },
    set: settle,
  });
  return push;
}
