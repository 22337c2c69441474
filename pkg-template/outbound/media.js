// What Client.uploadMedia sends: the caller's bytes, Blob or File as a Blob of the checked image
// type. Reading the input is I/O and stays here; the platform's limits (JPEG/PNG/GIF by magic
// number, 2 MB, the declared type) are the core's (__checkImage, src/api/media.rs).
import { outbound } from '../loaders/outbound.js';
import { WxkfError, ERR } from '../errors.js';
import { optionalStringArg } from '../args.js';

const tag = (v) => Object.prototype.toString.call(v);

/** A Blob of `file`, or a -42002 error naming `file` for anything else (a string, above all). */
function toBlob(file, contentType) {
  if (typeof Blob !== 'undefined' && file instanceof Blob) return file;
  if (file instanceof Uint8Array || tag(file) === '[object Uint8Array]' || tag(file) === '[object ArrayBuffer]') {
    return new Blob([file], contentType ? { type: contentType } : {});
  }
  const what = typeof file === 'string'
    ? `a string (${JSON.stringify(file.length > 40 ? `${file.slice(0, 40)}...` : file)}): uploadMedia sends the image's bytes, not a path or a text; read the file first (e.g. await readFile(path))`
    : `${file === null ? 'null' : typeof file === 'object' ? tag(file).slice(8, -1) : typeof file}`;
  throw new WxkfError(`file must be the image's bytes (Uint8Array or ArrayBuffer), a Blob or a File; got ${what}`,
    ERR.InvalidField, 'InvalidField', { field: 'file' });
}

/**
 * The checked upload: { blob, filename }. `filename` and `contentType` (options) win over the
 * File's own name and the Blob's type; without them the name is `image.<ext>` of the format.
 */
export async function imageUpload(file, { filename, contentType } = {}) {
  // The declared type crosses into wasm as a string; the name goes into the form (-42002 for either).
  optionalStringArg(filename, ERR.InvalidField, 'filename');
  optionalStringArg(contentType, ERR.InvalidField, 'contentType');
  const blob = toBlob(file, contentType);
  const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  const declared = contentType ?? blob.type ?? '';
  const image = JSON.parse(outbound().__checkImage(head, blob.size, String(declared)));
  const name = filename ?? (typeof file.name === 'string' && file.name ? file.name : `image.${image.extension}`);
  const typed = blob.type === image.contentType ? blob : new Blob([blob], { type: image.contentType });
  return { blob: typed, filename: String(name) };
}
