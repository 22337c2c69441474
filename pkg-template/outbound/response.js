// Platform answers: errcode absent or 0 returns the data; anything else throws the catalogued
// WxkfError (code = errcode, kind, errmsg, hint, retryable).
import { outbound } from '../loaders/outbound.js';
import { ERR, wxkfError } from '../errors.js';

/** @param {string | object} json the answer's text, or the object already parsed */
export function parseResponse(json) {
  const text = typeof json === 'string' ? json : safeStringify(json);
  outbound().__checkResponse(text);
  return typeof json === 'string' ? JSON.parse(json) : json;
}

/** Every catalogued errcode: [{ code, kind, hint, retryable }]. */
parseResponse.catalog = () => JSON.parse(outbound().__apiCatalog());

function safeStringify(value) {
  try {
    const text = JSON.stringify(value);
    if (typeof text === 'string') return text;
  } catch {}
  throw wxkfError(ERR.ParseJson, 'the answer is neither JSON text nor a JSON object');
}
