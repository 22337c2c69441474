// Bytes read in chunks (a request body, a platform answer), joined once: the one copy of the
// loop the readers share.

/** `parts` (Uint8Arrays, `size` bytes in all) as one Uint8Array; a single part is not copied. */
export function joinChunks(parts, size) {
  if (parts.length === 1) return new Uint8Array(parts[0].buffer, parts[0].byteOffset, parts[0].byteLength);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
