// The push as the core hands it over: JSON text, as a string (ASCII) or as a view of wasm
// memory to decode at once: UTF-16 code units where the receiver was told to (`crossUtf16`, in
// Node: see UTF16_PREFERRED), UTF-8 bytes elsewhere. A large push comes without `message.raw`,
// so that its content crosses once: `raw` is taken apart as UTF-8 JSON bytes and decoded only
// when it is first read. Its long top-level strings (the content) come apart too
// (`takeSpans()`), neither escaped nor parsed as JSON: the JSON is then
// `[push, name, length, name, length, ...]` with `0` in each one's place.

// Node (measured with 20.20) decodes UTF-8 holding non-ASCII text at about 4-5 ns a byte
// (TextDecoder and Buffer alike), so there the core hands such text over as UTF-16 code
// units, which Buffer copies into a string at memory speed. Bun's and Deno's TextDecoder
// decode UTF-8 several times faster (64 KB of Chinese text: about 26 and 29 µs, against 60 and
// 101 µs for their Buffer#toString('utf8') and 360 µs in Node), so UTF-8 is decoded by
// TextDecoder everywhere.
const NodeBuffer = typeof globalThis.Buffer?.from === 'function' ? globalThis.Buffer : null;
export const UTF16_PREFERRED = NodeBuffer !== null && typeof globalThis.process?.versions?.node === 'string'
  && globalThis.Bun === undefined && globalThis.Deno === undefined;

// Both keep a leading U+FEFF, which a long string can start with.
const utf16Decoder = new TextDecoder('utf-16le', { ignoreBOM: true });
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const decodeUtf16 = NodeBuffer
  ? (view) => NodeBuffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf16le')
  : (view) => utf16Decoder.decode(view);
const decode = (view) => (view.BYTES_PER_ELEMENT === 2 ? decodeUtf16(view) : utf8Decoder.decode(view));

/** `[push, name, length, ...]`: the push with its long strings put back in their places. */
function withSpans(parts, inner) {
  const push = parts[0];
  const { message } = push;
  const texts = inner.takeSpans();
  for (let i = 1, at = 0; i < parts.length; i += 2) {
    message[parts[i]] = decode(texts.subarray(at, (at += parts[i + 1])));
  }
  return push;
}

/**
 * A text message of the platform's six fields, from its values (`[0, mode, format, dedupKey,
 * msgType, toUserName, fromUserName, createTime, msgId, rawCreateTime]`, a NUL, then the content;
 * see the core's push/compact.rs): the object its full JSON gives, members in the same order.
 */
function textPush(text) {
  const end = text.indexOf('\0');
  const v = JSON.parse(text.slice(0, end));
  const content = text.slice(end + 1);
  return {
    mode: v[1],
    format: v[2],
    dedupKey: v[3],
    known: true,
    message: {
      msgType: v[4],
      toUserName: v[5],
      fromUserName: v[6],
      createTime: v[7],
      msgId: v[8],
      known: true,
      content,
      raw: { ToUserName: v[5], FromUserName: v[6], CreateTime: v[9], MsgType: v[4], Content: content, MsgId: v[8] },
    },
  };
}

/**
 * The push object from the core's JSON (a string, or a view of wasm memory to decode at
 * once, before any other call into wasm). When `message.raw` is not in it,
 * `inner.takeRaw()` gives its UTF-8 JSON bytes, parsed on first read; `raw` is an ordinary
 * enumerable property for JSON.stringify, spreading and assignment.
 */
export function pushFromJson(json, inner) {
  const text = typeof json === 'string' ? json : decode(json);
  // `[0,` starts a text message's values (a push's JSON starts with `{`, with spans `[{`).
  if (text.charCodeAt(1) === 0x30) return textPush(text);
  let push = JSON.parse(text);
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
        parsed = JSON.parse(decode(rawBytes));
        // A frozen message (Object.freeze, immer) keeps the accessor, which answers the same.
        if (Object.isExtensible(message)) settle(parsed);
      }
      return parsed;
    },
    set: settle,
  });
  return push;
}
