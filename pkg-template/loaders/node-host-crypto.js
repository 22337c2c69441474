// Node, Deno and Bun: hands `node:crypto` (OpenSSL, with AES-NI and SHA extensions where the
// CPU has them) to the core for large messages, where software AES in wasm is several times
// slower. Framing, padding and every check stay in the core; each function only runs the raw
// primitive on views of wasm memory and writes its output in place.
//
// node:crypto and node:buffer come through process.getBuiltinModule (in every Node the package
// supports, Deno and Bun), not static imports: this module is part of wechat-kf.js, which Workers
// and browsers load too.
//
// Loading node:crypto takes about 5 ms in Node 20.20, more than it saves on the first pushes, so it
// is kept off the start's path: loaders/node.js calls loadNodeCrypto() on a timer once the import
// is over, and until then each primitive answers false, which makes the core use its own engine
// (the first push after the import, received in the same turn of the event loop, never waits
// for the load). A program that never yields to the event loop (a synchronous loop over many
// pushes) loads it on the call that takes the core's own work past LOAD_AFTER_BYTES, about half
// of what the load is worth (the core's AES took 9.7 µs per KB more than node:crypto's at 64 KB:
// 5 ms for about 500 KB). A runtime whose node:crypto
// cannot be loaded (a Node built without OpenSSL) keeps the core's engine.
const LOAD_AFTER_BYTES = 256 * 1024;
let loadedCrypto; // undefined: not loaded yet; null: unavailable
let loadedBuffer;
let coreBytes = 0;

/** Loads node:crypto for the primitives (idempotent; never throws). */
export function loadNodeCrypto() {
  if (loadedCrypto !== undefined) return;
  try {
    loadedCrypto = process.getBuiltinModule('node:crypto') ?? null;
  } catch {
    loadedCrypto = null;
  }
}

/** node:crypto, or null while it is not loaded or where it is unavailable (the caller then answers false). */
function nodeCrypto(bytes) {
  if (loadedCrypto === undefined) {
    coreBytes += bytes;
    if (coreBytes < LOAD_AFTER_BYTES) return null;
    loadNodeCrypto();
  }
  return loadedCrypto;
}
const nodeBuffer = () => (loadedBuffer ??= process.getBuiltinModule('node:buffer'));

function cbc(make) {
  return (key, iv, data) => {
    const crypto = nodeCrypto(data.length);
    if (crypto === null) return false;
    const cipher = crypto[make]('aes-256-cbc', key, iv);
    cipher.setAutoPadding(false);
    const out = cipher.update(data);
    cipher.final();
    if (out.length !== data.length) return false;
    data.set(out);
    return true;
  };
}

// Decryption reuses one AES-256-CBC decipher per key (making one costs more than decrypting
// 2 KB). CBC decrypts each block and XORs it with the ciphertext block before it, and a reused
// decipher chains the first block of a message to the last ciphertext block of the one before
// (`chain`) instead of to the IV: that block is put right by XORing it with chain ^ iv.
let decipher = null;
let decipherKey = null;
const chain = new Uint8Array(16);

function sameKey(key) {
  if (decipherKey === null || decipherKey.length !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (decipherKey[i] !== key[i]) return false;
  return true;
}

function decrypt(key, iv, data) {
  const n = data.length;
  if (n === 0 || n % 16 !== 0 || iv.length !== 16) return false;
  const crypto = nodeCrypto(n);
  if (crypto === null) return false;
  try {
    if (decipher === null || !sameKey(key)) {
      decipher = null;
      const fresh = crypto.createDecipheriv('aes-256-cbc', key, iv);
      fresh.setAutoPadding(false);
      decipherKey = Uint8Array.from(key);
      chain.set(iv);
      decipher = fresh;
    }
    const out = decipher.update(data);
    if (out.length !== n) throw new Error('out of step');
    for (let i = 0; i < 16; i++) out[i] ^= chain[i] ^ iv[i];
    chain.set(data.subarray(n - 16)); // the next message chains to this block
    data.set(out);
    return true;
  } catch {
    decipher = null; // a decipher out of step is not reused
    return false;
  }
}

// node:buffer's UTF-8 check (SIMD in Node and Bun; Deno's costs about what the core's does): true
// or false, or undefined without it (the core then checks itself, as it does after a false).
function utf8Valid(bytes) {
  const { isUtf8 } = nodeBuffer();
  return typeof isUtf8 === 'function' ? isUtf8(bytes) : undefined;
}

// SHA-1 of the whole input (the core hands over its parts concatenated) by node:crypto's
// one-shot `hash`, which costs less than a Hash object (every runtime the package supports has
// it; where it is missing the call throws and the core hashes). Its digest is taken as hex and
// written into `out` here: making the digest's Buffer costs more than that (measured per call in
// Node 20.20 at 0.3-1.6 KB: 0.7-1.9 µs against 1.4-2.5 µs; in Deno 2.9 1.2-3.9 µs against
// 3.1-7 µs; Bun the same either way).
// Bun writes the digest straight into `out` with Bun.SHA1.hash (0.2-0.25 µs a call less than
// the hex at 0.3-2.9 KB).
const nibble = (c) => (c <= 57 ? c - 48 : c - 87); // '0'-'9', 'a'-'f'
const bunSha1 = typeof globalThis.Bun?.SHA1?.hash === 'function' ? globalThis.Bun.SHA1 : null;
function sha1(bytes, out) {
  if (bunSha1 !== null && out.length === 20) {
    bunSha1.hash(bytes, out);
    return true;
  }
  const crypto = nodeCrypto(bytes.length);
  if (crypto === null) return false;
  const hex = crypto.hash('sha1', bytes, 'hex');
  if (hex.length !== 40) return false;
  for (let i = 0; i < 20; i++) out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  return true;
}

// Below this many bytes of input the core's SHA-1 is faster than a host call, by runtime
// (Receiver.receive with each setting, interleaved in one process: host SHA-1 for every size
// against none, for 1, 2 and 4 KB pushes: 1.00, 1.05 and 1.08x in Node; 1.11, 1.19 and 1.27x
// in Bun (1.04x at 256 B); in Deno 0.95x at 1 KB, 1.09 and 1.12x at 4 and 16 KB). With the digest
// taken as hex, Node's threshold moved from 2048 to 1024 (1 KB and 1.5 KB pushes, whose signed
// input is 1.4-2.1 KB, four runs each way: 0.97-1.19x, seven of eight faster; Deno at 1024 no faster).
const MIN_SHA1_LEN = globalThis.Bun !== undefined ? 256 : globalThis.Deno !== undefined ? 4096 : 1024;

// Standard base64 decoded into wasm memory by the runtime's own decoder, where it has
// Uint8Array.prototype.setFromBase64 (Deno, Bun; not Node 20.19): about 15 times faster than the
// core's at 64 KB, latin1 string included. Its 'strict' mode refuses what the core refuses
// (characters outside the alphabet, '=' before the end, missing padding, non-zero trailing
// bits) except ASCII whitespace, which it skips: all of src must then fill all of out (out has
// exactly the length src decodes to without whitespace), else the core decodes and reports.
function base64Decode(src, out) {
  const bytes = nodeBuffer().Buffer.from(src.buffer, src.byteOffset, src.length);
  // latin1Slice (Buffer's, in Node, Deno and Bun) is twice as fast as toString('latin1') here.
  const text = typeof bytes.latin1Slice === 'function' ? bytes.latin1Slice(0, bytes.length) : bytes.toString('latin1');
  try {
    const { read, written } = out.setFromBase64(text, { lastChunkHandling: 'strict' });
    return read === text.length && written === out.length;
  } catch {
    return false;
  }
}
const hasSetFromBase64 = typeof Uint8Array.prototype.setFromBase64 === 'function';

export const nodeHostCrypto = {
  // Below this many bytes the core's own engine is faster than a host call (measured with
  // bench/pipeline-parts.mjs in Node: AES from about 250 bytes).
  minLen: 256,
  minSha1Len: MIN_SHA1_LEN,
  // UTF-8 validation of byte bodies and decrypted JSON messages from this size (decrypted XML is
  // checked by the core's XML reader as it reads, in the same pass).
  utf8Valid,
  minUtf8Len: 512,
  // base64 of an Encrypt value from this length (where the runtime has a decoder).
  base64Decode: hasSetFromBase64 ? base64Decode : undefined,
  minBase64Len: 2048,
  aes256CbcDecrypt: decrypt,
  aes256CbcEncrypt: cbc('createCipheriv'),
  sha1,
};
