// Numeric options of the JS layer (the handlers, the Client, SendWindow): a finite number within
// a stated range, or a WxkfError -41006 InvalidOption whose `field` names the option and whose
// message says the range (and why, where the range comes from the platform).
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
