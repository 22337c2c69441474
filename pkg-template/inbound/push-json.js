// The push as the core hands it over: JSON text. A large push comes without `message.raw`,
// so that its content crosses once: `raw` is taken apart as UTF-8 JSON bytes and decoded only
// when it is first read.

const utf8 = new TextDecoder();

/**
 * The push object from the core's JSON. When `message.raw` is not in it, `inner.takeRaw()`
 * gives its UTF-8 JSON bytes, parsed on first read; `raw` is an ordinary enumerable property
 * for JSON.stringify, spreading and assignment.
 */
export function pushFromJson(json, inner) {
  const push = JSON.parse(json);
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
