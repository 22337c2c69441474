// Argument checks of the Durable Object and Deno KV stores, on those of store.js (shared by
// every shipped store): a bad key, value or TTL is a WxkfError -43003 InvalidStoreArgument, a
// bad store option -41006 InvalidOption. Messages name the argument, never its value.
import { ERR, wxkfError, invalidOption } from '../errors.js';
import { checkKey as keyOk, checkValue as valueOk, checkTtl } from './memory.js';

/** key, when it is a non-empty string. */
export const checkKey = (key) => (keyOk(key), key);
/** value, when it is a string. */
export const checkValue = (value) => (valueOk(value), value);
/** ttlMs rounded up to whole milliseconds, or undefined when omitted and not required. */
export { checkTtl };

export { invalidOption };
export const invalidArgument = (message) => wxkfError(ERR.InvalidStoreArgument, message);

export function checkPrefix(prefix) {
  if (typeof prefix !== 'string') throw invalidOption('prefix', 'store option prefix must be a string');
  return prefix;
}
