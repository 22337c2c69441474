// The Client's token in WeChat Cloud Hosting mode (`new Client({ cloudHosting: { tokenSource } })`):
//   'open-api'  the open API service (开放接口服务): calls to http://api.weixin.qq.com from the
//               container carry no token at all; the platform adds it on its link.
//   'request'   the X-WX-CLOUDBASE-ACCESS-TOKEN header of the request being handled, passed per
//               call (client.withRequestToken(push.cloud.accessToken)), sent as cloudbase_access_token.
//   'file'      the token file the platform mounts (/.tencentcloudbase/wx/cloudbase_access_token,
//               rewritten every 10 minutes, each token valid 30): read again every recheckMs and
//               after a token error, sent as cloudbase_access_token.
// No appSecret is ever used in this mode.
import { WxkfError, ERR, invalidOption } from '../errors.js';
import { checkOptionNames } from '../options.js';

export const CLOUD_TOKEN_FILE = '/.tencentcloudbase/wx/cloudbase_access_token';
export const CLOUD_TOKEN_PARAM = 'cloudbase_access_token';
const SOURCES = ['open-api', 'request', 'file'];

const badOption = (message, option) => invalidOption(option, message);

/** Reads a text file with what the runtime has (Deno, or Node/Bun's fs via getBuiltinModule). */
async function hostReadFile(path) {
  if (typeof globalThis.Deno?.readTextFile === 'function') return globalThis.Deno.readTextFile(path);
  const fs = globalThis.process?.getBuiltinModule?.('node:fs/promises');
  if (fs) return fs.readFile(path, 'utf8');
  throw new WxkfError('this runtime cannot read files: pass cloudHosting.readFile (path) => Promise<string>', ERR.InvalidOption, 'InvalidOption', { field: 'cloudHosting.readFile' });
}

/**
 * Validates `cloudHosting` for a Client (and that no appSecret/accessToken comes with it) and
 * returns the token source: { kind, param, token(callToken?) -> Promise<string|null>, failed(token) }.
 */
export function cloudTokens(cloudHosting, options, now) {
  if (cloudHosting === null || typeof cloudHosting !== 'object') {
    throw badOption("cloudHosting must be an object { tokenSource: 'open-api' | 'request' | 'file' }", 'cloudHosting');
  }
  checkOptionNames('Client cloudHosting', cloudHosting, ['tokenSource', 'tokenFile', 'recheckMs', 'readFile']);
  for (const name of ['appSecret', 'accessToken']) {
    if (options[name] !== undefined) {
      throw badOption(`${name} cannot be combined with cloudHosting: in Cloud Hosting the platform provides the token `
        + '(open API service, the request header or the mounted file), and fetching one with the appSecret would '
        + 'invalidate it for the other services', name);
    }
  }
  const { tokenSource, tokenFile = CLOUD_TOKEN_FILE, readFile = hostReadFile, recheckMs = 60_000 } = cloudHosting;
  if (!SOURCES.includes(tokenSource)) {
    throw badOption(`cloudHosting.tokenSource must be one of ${SOURCES.map((s) => `'${s}'`).join(', ')}`, 'cloudHosting.tokenSource');
  }
  if (typeof readFile !== 'function') throw badOption('cloudHosting.readFile must be a function (path) => Promise<string>', 'cloudHosting.readFile');
  if (typeof tokenFile !== 'string' || !tokenFile) throw badOption('cloudHosting.tokenFile must be a path', 'cloudHosting.tokenFile');
  if (!(recheckMs >= 0)) throw badOption('cloudHosting.recheckMs must be a non-negative number', 'cloudHosting.recheckMs');

  if (tokenSource === 'open-api') {
    return { kind: tokenSource, param: null, token: async () => null, failed: () => false };
  }
  if (tokenSource === 'request') {
    return {
      kind: tokenSource,
      param: CLOUD_TOKEN_PARAM,
      async token(callToken) {
        if (typeof callToken !== 'string' || !callToken) {
          throw new WxkfError("cloudHosting.tokenSource 'request' needs the request's token: call through "
            + 'client.withRequestToken(push.cloud.accessToken) (the X-WX-CLOUDBASE-ACCESS-TOKEN header)',
          ERR.MissingField, 'MissingField', { field: 'cloudbaseAccessToken' });
        }
        return callToken;
      },
      failed: () => false, // the request's token cannot be renewed here
    };
  }
  let cached = null; // { value, readAt }
  let reading = null;
  const read = () => {
    reading ??= (async () => {
      let text;
      try {
        text = await readFile(tokenFile);
      } catch (e) {
        if (e instanceof WxkfError) throw e; // no way to read files in this runtime
        throw new WxkfError(`cannot read the Cloud Hosting token file ${tokenFile} (${e?.code ?? e?.message ?? e}): `
          + 'is the token file mounted (微信令牌) for this service?', ERR.Transport, 'Transport', { retryable: false });
      }
      const value = String(text ?? '').trim();
      if (!value) throw new WxkfError(`the Cloud Hosting token file ${tokenFile} is empty`, ERR.Transport, 'Transport', { retryable: true });
      cached = { value, readAt: now() };
      return value;
    })().finally(() => { reading = null; });
    return reading;
  };
  return {
    kind: tokenSource,
    param: CLOUD_TOKEN_PARAM,
    async token() {
      if (cached && now() - cached.readAt < recheckMs) return cached.value;
      return read();
    },
    /** After a token error: read the file again; true when it now holds another token. */
    async failed(token) {
      if (cached?.value === token) cached = null;
      return (await read()) !== token;
    },
  };
}
