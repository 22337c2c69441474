// Node, Deno and Bun: hands `node:crypto` (OpenSSL, with AES-NI and SHA extensions where the
// CPU has them) to the core for large messages, where software AES in wasm is several times
// slower. Framing, padding and every check stay in the core; each function only runs the raw
// primitive on views of wasm memory and writes its output in place.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import * as nodeBuffer from 'node:buffer';

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

// Decryption reuses one AES-256-CBC decipher per key and IV (making one costs more than
// decrypting 2 KB). Between messages its chaining value, the last ciphertext block, is set
// back to the IV by decrypting the IV itself as one more block, whose output is dropped: CBC
// chains each block to the ciphertext block before it, whatever the plaintext was.
let decipher = null;
let decipherKey = null;
let decipherIv = null;

function same(kept, bytes) {
  if (kept === null || kept.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (kept[i] !== bytes[i]) return false;
  return true;
}

function decrypt(key, iv, data) {
  try {
    if (decipher !== null && same(decipherKey, key) && same(decipherIv, iv)) {
      if (decipher.update(iv).length !== iv.length) throw new Error('out of step');
    } else {
      decipher = null;
      const fresh = createDecipheriv('aes-256-cbc', key, iv);
      fresh.setAutoPadding(false);
      decipherKey = Uint8Array.from(key);
      decipherIv = Uint8Array.from(iv);
      decipher = fresh;
    }
    const out = decipher.update(data);
    if (out.length !== data.length) throw new Error('out of step');
    data.set(out);
    return true;
  } catch {
    decipher = null; // a decipher out of step is not reused
    return false;
  }
}

// Native (SIMD) UTF-8 validation, where node:buffer has it (Node >= 18.14, Deno, Bun).
const { isUtf8 } = nodeBuffer;

export const nodeHostCrypto = {
  // Below this many bytes the core's own engine is faster than a host call (measured with
  // bench/pipeline-parts.mjs in Node: AES from about 250 bytes, SHA-1 from about 4 KB).
  minLen: 256,
  minSha1Len: 4096,
  // UTF-8 validation of decrypted messages and byte bodies from this size.
  ...(typeof isUtf8 === 'function' ? { utf8Valid: (bytes) => isUtf8(bytes), minUtf8Len: 512 } : {}),
  aes256CbcDecrypt: decrypt,
  aes256CbcEncrypt: cbc(createCipheriv),
  sha1(parts, out) {
    const hash = createHash('sha1');
    for (const part of parts) hash.update(part);
    out.set(hash.digest());
    return true;
  },
};
