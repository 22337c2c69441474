// Options of the JS layer. Numeric ones (the handlers, the Client, SendWindow): a finite number within
// a stated range, or a WxkfError -41006 InvalidOption whose `field` names the option and whose
// message says the range (and why, where the range comes from the platform). Names: an option
// spelled like a documented one but not as documented (`appid`) is refused with "did you mean
// appId?" (checkOptionNames), by every constructor and factory that takes options.
import { invalidOption } from './errors.js';

/**
 * `value` when it is a number (not NaN, not ±Infinity) within [min, max] (a whole number when
 * `whole`); otherwise throws -41006 naming `name`. `owner` starts the message ('Client').
 */
export function numberOption(owner, name, value, { min, max, whole = false, unit = 'milliseconds', why = '' }) {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
    && (!whole || Number.isInteger(value));
  if (!ok) {
    const kind = whole ? `a whole number of ${unit}` : `a number of ${unit}`;
    throw invalidOption(name, `${owner} option ${name} must be ${kind} from ${min} to ${max}${why ? ` (${why})` : ''}`);
  }
  return value;
}

/**
 * The documented option `key` is a near miss of, or undefined: the same letters once case, `_`
 * and `-` are ignored (`appid`, `app_id` and `AppId` for `appId`; `encodingAesKey` for
 * `encodingAESKey`; `Token` for `token`), the rule of the request builders' fields
 * (src/api/validate.rs `near_miss`); else, for names of 5 letters or more, one letter added,
 * dropped, changed or two swapped (`tokne`, `appScret`). `secret` is `appSecret` (the
 * platform's own name for it in the token URL).
 */
export function nearMiss(key, names) {
  const letters = (s) => s.replace(/[_-]/g, '').toLowerCase();
  const wanted = letters(key);
  const same = names.find((name) => letters(name) === wanted);
  if (same !== undefined) return same;
  if (wanted === 'secret' && names.includes('appSecret')) return 'appSecret';
  if (wanted.length < 5) return undefined;
  return names.find((name) => oneEditApart(wanted, letters(name)));
}

/** Whether a and b differ by one insertion, deletion, substitution or swap of neighbours. */
function oneEditApart(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1)
      || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Refuses an option spelled like a documented one but not as documented: -41006 InvalidOption
 * whose `field` is the name as given and whose message says "did you mean <name>?". Other
 * names the owner does not take are left alone (an object of settings may carry more).
 * `owner` starts the message ('Client'); `names` are the owner's documented options.
 */
export function checkOptionNames(owner, options, names) {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const meant = nearMiss(key, names);
    if (meant !== undefined) {
      throw invalidOption(key, `${owner} option ${key} is not an option: did you mean ${meant}? Options are spelled exactly as documented`);
    }
  }
}
