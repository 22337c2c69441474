// Request builders: validated in the core, returned as { method, path, query, body } where
// body is the exact JSON text the platform expects (null for GET and for media uploads).
// Nothing here touches the network; Client sends these.
import { outbound } from '../loaders/outbound.js';
import { ERR, wxkfError } from '../errors.js';
import { BUILDER_NAMES } from '../generated/tables.js';

// The builder names come from the Rust table (src/api/builders.rs) via generated/tables.js.

/** JSON text of an input object; what JSON cannot carry is an InvalidInput error (-42003). */
export function inputJson(input) {
  let text;
  try {
    text = JSON.stringify(input ?? {});
  } catch (e) {
    throw wxkfError(ERR.InvalidInput, `invalid input: ${e && e.message}`);
  }
  if (typeof text !== 'string') throw wxkfError(ERR.InvalidInput, 'invalid input: expected an object');
  return text;
}

/** Builds the request `name` (one of the names above) from its input. */
export function buildRequest(name, input) {
  return JSON.parse(outbound().__request(String(name), inputJson(input)));
}

export const requests = Object.freeze(
  Object.fromEntries(BUILDER_NAMES.map((name) => [name, (input) => buildRequest(name, input)])),
);
