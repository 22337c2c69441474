// Argument checks shared by the shipped stores (the Store contract of index.d.ts): keys and
// values are strings, TTLs are positive numbers of milliseconds. A bad argument is a
// WxkfError -41006 InvalidOption whose message names the argument (never its value).
import { WxkfError } from './errors.js';

const bad = (message) => new WxkfError(message, -41006, 'InvalidOption');

export function checkKey(key) {
  if (typeof key !== 'string' || key === '') throw bad('store key must be a non-empty string');
  return key;
}

export function checkValue(value, what = 'value') {
  if (typeof value !== 'string') throw bad(`store ${what} must be a string`);
  return value;
}

/** ttlMs when given (a positive finite number of milliseconds), else undefined. */
export function checkTtl(ttlMs, required = false) {
  if (ttlMs === undefined && !required) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw bad('store ttlMs must be a positive number of milliseconds');
  }
  return ttlMs;
}

export function checkPrefix(prefix) {
  if (typeof prefix !== 'string') throw badOption('store prefix must be a string');
  return prefix;
}

export { badOption as invalidOption, bad as invalidArgument };
