// Node, Deno and Bun: hands `node:crypto` (OpenSSL, with AES-NI and SHA extensions where the
// CPU has them) to the core for large messages, where software AES in wasm is several times
// slower. Framing, padding and every check stay in the core; each function only runs the raw
// primitive on views of wasm memory and writes its output in place.
//
// node:crypto comes through process.getBuiltinModule (in every Node the package supports, Deno and
// Bun) on the first call, not a static import: this module is part of wechat-kf.js, which Workers
// and browsers load too (loaders/node.js loads node:crypto at import).
let loaded;
const nodeCrypto = () => (loaded ??= process.getBuiltinModule('node:crypto'));

function cbc(make) {
  return (key, iv, data) => {
    const cipher = nodeCrypto()[make]('aes-256-cbc', key, iv);
    cipher.setAutoPadding(false);
    const out = cipher.update(data);
    cipher.final();
    if (out.length !== data.length) return false;
    data.set(out);
    return true;
  };
}

// Decryption of small and mid-sized messages reuses one AES-256-ECB decipher per key (making
// a CBC decipher costs more than decrypting 2 KB): CBC decryption is ECB decryption of each
// block XORed with the block before it (the IV before the first). Larger messages take one
// CBC call, which OpenSSL pipelines better than this XOR loop in JS.
const ECB_MAX = 4096;
let ecbKey = null;
let ecb = null;

function ecbFor(key) {
  if (ecbKey === null || ecbKey.length !== key.length || ecbKey.some((b, i) => b !== key[i])) {
    ecb = nodeCrypto().createDecipheriv('aes-256-ecb', key, null);
    ecb.setAutoPadding(false);
    ecbKey = Uint8Array.from(key);
  }
  return ecb;
}

const cbcDecrypt = cbc('createDecipheriv');

function decrypt(key, iv, data) {
  if (data.length > ECB_MAX) return cbcDecrypt(key, iv, data);
  let plain;
  try {
    plain = ecbFor(key).update(data);
  } catch {
    ecbKey = null;
    return false;
  }
  if (plain.length !== data.length) {
    ecbKey = null; // a decipher out of step is not reused
    return false;
  }
  // In place from the end: data[i - 16] is still ciphertext when byte i is written.
  for (let i = data.length - 1; i >= 16; i--) data[i] = plain[i] ^ data[i - 16];
  for (let i = 0; i < 16 && i < data.length; i++) data[i] = plain[i] ^ iv[i];
  return true;
}

export const nodeHostCrypto = {
  // Below this many bytes the core's own engine is faster than a host call (measured with
  // bench/pipeline-parts.mjs in Node: AES from about 250 bytes, SHA-1 from about 4 KB).
  minLen: 256,
  minSha1Len: 4096,
  aes256CbcDecrypt: decrypt,
  aes256CbcEncrypt: cbc('createCipheriv'),
  sha1(parts, out) {
    const hash = nodeCrypto().createHash('sha1');
    for (const part of parts) hash.update(part);
    out.set(hash.digest());
    return true;
  },
};
