// Request builders: validated in the core, returned as { method, path, query, body } where
// body is the exact JSON text the platform expects (null for GET and for media uploads).
// Nothing here touches the network; Client sends these.
import { __request } from './wechat_kf.js';
import { WxkfError } from './errors.js';

const NAMES = [
  'sendText', 'sendImage', 'sendLink', 'sendMiniProgramPage', 'typing',
  'getKfList', 'getOnlineKfList', 'addKfAccount', 'deleteKfAccount', 'setKfAdmin', 'cancelKfAdmin',
  'registerBusiness', 'updateBusiness', 'getBusiness', 'listBusiness',
  'token', 'stableToken', 'mediaUpload', 'mediaGet',
];

/** JSON text of an input object; what JSON cannot carry is an InvalidInput error (-42003). */
export function inputJson(input) {
  let text;
  try {
    text = JSON.stringify(input ?? {});
  } catch (e) {
    throw new WxkfError(`invalid input: ${e && e.message}`, -42003, 'InvalidInput');
  }
  if (typeof text !== 'string') throw new WxkfError('invalid input: expected an object', -42003, 'InvalidInput');
  return text;
}

/** Builds the request `name` (one of the names above) from its input. */
export function buildRequest(name, input) {
  return JSON.parse(__request(String(name), inputJson(input)));
}

export const requests = Object.freeze(
  Object.fromEntries(NAMES.map((name) => [name, (input) => buildRequest(name, input)])),
);
