// Node, Deno and Bun: hands `node:crypto` (OpenSSL, with AES-NI and SHA extensions where the
// CPU has them) to the core for large messages, where software AES in wasm is several times
// slower. Framing, padding and every check stay in the core; each function only runs the raw
// primitive on views of wasm memory and writes its output in place.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

function cbc(make) {
  return (key, iv, data) => {
    const cipher = make('aes-256-cbc', key, iv);
    cipher.setAutoPadding(false);
    const out = cipher.update(data);
    cipher.final();
    if (out.length !== data.length) return false;
    data.set(out);
    return true;
  };
}

export const nodeHostCrypto = {
  // Below this many bytes the core's own engine is faster than a host call (measured with
  // bench/pipeline-parts.mjs in Node: AES from about 450 bytes, SHA-1 from about 4 KB).
  minLen: 512,
  minSha1Len: 4096,
  aes256CbcDecrypt: cbc(createDecipheriv),
  aes256CbcEncrypt: cbc(createCipheriv),
  sha1(parts, out) {
    const hash = createHash('sha1');
    for (const part of parts) hash.update(part);
    out.set(hash.digest());
    return true;
  },
};
