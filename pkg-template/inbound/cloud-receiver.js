// CloudReceiver: pushes delivered to a WeChat Cloud Hosting (微信云托管) service over the
// platform's internal link: no signature, no encryption. The core decides trust (x-wx-source
// under public access), recognises the CheckContainerPath probe, and parses the push into the
// same typed message and dedup key as every other push; this file reads headers only.
import { CloudReceiver as WasmCloudReceiver } from '../wasm/wechat_kf.js';
import { outbound } from '../loaders/outbound.js';
import { WxkfError, ERR, invalidOption } from '../errors.js';
import { bodyBytes, optionalStringArg, replyArgs, stringArg, textArg } from '../args.js';
import { checkOptionNames } from '../options.js';

const XML_TYPE = 'text/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** push.cloud fields and the headers they come from (header names are case-insensitive). */
export const CLOUD_HEADERS = Object.freeze({
  openid: 'x-wx-openid',
  appid: 'x-wx-appid',
  unionid: 'x-wx-unionid',
  fromOpenid: 'x-wx-from-openid',
  fromAppid: 'x-wx-from-appid',
  fromUnionid: 'x-wx-from-unionid',
  env: 'x-wx-env',
  source: 'x-wx-source',
  forwardedFor: 'x-original-forwarded-for',
});
/** The temporary token the platform adds to requests over its link (`cloudbase_access_token`). */
export const CLOUD_TOKEN_HEADER = 'x-wx-cloudbase-access-token';
const MAX_HEADER = 2048;
const NO_REQUEST = Object.freeze({});

const badOption = (message, option) => invalidOption(option, message);
/** The documented options of cloudHosting (cloud-receiver.d.ts CloudHostingOptions). */
const CLOUD_OPTIONS = ['publicAccess', 'clientSources', 'passiveReplies'];

/** A header from a Web Headers object, a Node headers object (lowercase keys), or a Map. */
export function headerOf(headers, name) {
  if (!headers) return undefined;
  let v = typeof headers.get === 'function' ? headers.get(name) : headers[name] ?? headers[name.toUpperCase()];
  if (Array.isArray(v)) v = v[0];
  if (v === undefined || v === null) return undefined;
  const text = textArg(v, ERR.InvalidQuery, name); // crosses into wasm as a string (args.js)
  if (text.length > MAX_HEADER) {
    throw new WxkfError(`the ${name} header is longer than ${MAX_HEADER} characters`, ERR.InvalidQuery, 'InvalidQuery', { field: name });
  }
  return text;
}

/**
 * Checks a handler's options for Cloud Hosting mode: `cloudHosting: { publicAccess: boolean,
 * passiveReplies?: boolean }`, and no signing keys (the platform signs nothing there).
 */
export function cloudOptions(options) {
  const c = options.cloudHosting;
  if (c === null || typeof c !== 'object') {
    throw badOption('cloudHosting must be an object { publicAccess: boolean }', 'cloudHosting');
  }
  checkOptionNames('cloudHosting', c, CLOUD_OPTIONS);
  if (typeof c.publicAccess !== 'boolean') {
    throw badOption('cloudHosting.publicAccess must be true or false: whether the Cloud Hosting service has public '
      + 'access (then only requests carrying x-wx-source are trusted as pushes)', 'cloudHosting.publicAccess');
  }
  if (c.passiveReplies !== undefined && typeof c.passiveReplies !== 'boolean') {
    throw badOption('cloudHosting.passiveReplies must be true or false', 'cloudHosting.passiveReplies');
  }
  checkClientSources(c.clientSources, 'cloudHosting.clientSources');
  for (const name of ['token', 'encodingAESKey', 'receiver', 'allowPlaintext']) {
    if (options[name] !== undefined) {
      throw badOption(`${name} cannot be combined with cloudHosting: Cloud Hosting pushes arrive unsigned and `
        + `unencrypted over the platform's internal link (use a separate handler for a signed push URL)`, name);
    }
  }
  return { publicAccess: c.publicAccess, passiveReplies: c.passiveReplies === true, clientSources: c.clientSources };
}

/** clientSources, when given: an array of at most 64 non-empty strings of at most 64 characters. */
function checkClientSources(list, field) {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length > 64 || !list.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 64)) {
    throw badOption(`${field} must be an array of x-wx-source values (non-empty strings of at most 64 characters, `
      + 'at most 64 of them) that name a mini program client rather than the platform', field);
  }
}

export class CloudReceiver {
  #inner;
  #now;
  #passiveReplies;

  /**
   * @param {{ publicAccess: boolean, passiveReplies?: boolean, maxBodyBytes?: number,
   *   maxJsonDepth?: number, clientSources?: string[], now?: () => number }} options
   */
  constructor(options = {}) {
    checkOptionNames('CloudReceiver', options, [...CLOUD_OPTIONS, 'maxBodyBytes', 'maxJsonDepth', 'now']);
    const { now = Date.now, passiveReplies = false, publicAccess, maxBodyBytes, maxJsonDepth, clientSources } = options ?? {};
    if (typeof now !== 'function') throw badOption('now must be a function returning milliseconds, like Date.now', 'now');
    if (typeof publicAccess !== 'boolean') throw badOption('publicAccess must be true or false', 'cloudHosting.publicAccess');
    checkClientSources(clientSources, 'clientSources');
    this.#inner = new WasmCloudReceiver({ publicAccess, maxBodyBytes, maxJsonDepth, clientSources });
    this.#now = now;
    this.#passiveReplies = !!passiveReplies;
  }

  get maxBodyBytes() {
    return this.#inner.maxBodyBytes;
  }

  /** No timestamp is signed: no replay window (handlers size dedup memory by their default). */
  get maxSkewSeconds() {
    return 0;
  }

  get hasKey() {
    return false;
  }

  /** Cloud Hosting has no URL verification GET. */
  verifyUrl() {
    throw new WxkfError('a Cloud Hosting service gets no URL verification GET: the platform probes it with a '
      + 'CheckContainerPath POST', ERR.InvalidQuery, 'InvalidQuery');
  }

  /**
   * One request: `{ probe: true, format }` for the platform's CheckContainerPath probe, else the
   * push (as Receiver.receive returns, mode 'cloud') with `cloud`: the x-wx-* headers.
   * @param {{ headers, body: string | Uint8Array | ArrayBuffer, contentType?: string }} request
   */
  receive(request) {
    let { headers, body, contentType } = request ?? NO_REQUEST;
    // The content type crosses into wasm as a string: checked first (see args.js).
    contentType = optionalStringArg(contentType, ERR.InvalidQuery, 'contentType');
    // Who the headers say sent it: the core refuses a client's call (-41008) before the body.
    const source = headerOf(headers, CLOUD_HEADERS.source);
    const openid = headerOf(headers, CLOUD_HEADERS.openid);
    const fromOpenid = headerOf(headers, CLOUD_HEADERS.fromOpenid);
    const max = this.#inner.maxBodyBytes;
    let json;
    if (typeof body === 'string') {
      if (body.length > max) throw new WxkfError(`the body is ${body.length} bytes or more, more than the limit of ${max}`, ERR.BodyTooLarge, 'BodyTooLarge');
      json = this.#inner.receiveText(body, contentType, source, openid, fromOpenid);
    } else {
      const bytes = bodyBytes(body);
      if (bytes.byteLength > max) throw new WxkfError(`the body is ${bytes.byteLength} bytes, more than the limit of ${max}`, ERR.BodyTooLarge, 'BodyTooLarge');
      json = this.#inner.receiveBytes(bytes, contentType, source, openid, fromOpenid);
    }
    const push = JSON.parse(json);
    if (push.probe) return push;
    const cloud = {};
    for (const [field, name] of Object.entries(CLOUD_HEADERS)) {
      const v = headerOf(headers, name);
      if (v !== undefined) cloud[field] = v;
    }
    // The token is a credential: kept out of JSON.stringify and console listings.
    Object.defineProperty(cloud, 'accessToken', { value: headerOf(headers, CLOUD_TOKEN_HEADER), enumerable: false });
    push.cloud = cloud;
    const { message, format } = push;
    const inner = this.#inner;
    const seconds = () => String(Math.floor(Number(this.#now()) / 1000));
    const passive = this.#passiveReplies;
    /** The plaintext transfer_customer_service reply (only with cloudHosting.passiveReplies). */
    push.transferReply = () => {
      if (!passive) throw passiveRefused();
      return {
        body: inner.transferReply(...replyArgs(message, format, seconds())),
        contentType: format === 'json' ? JSON_TYPE : XML_TYPE,
      };
    };
    /** Refuses a passive reply unless passiveReplies is on (the handler reports and answers success). */
    push.checkReply = (value) => {
      if (!passive && value !== undefined && value !== null && value !== '' && value !== 'success') throw passiveRefused();
    };
    return push;
  }

  free() {
    this.#inner.free();
  }
}

function passiveRefused() {
  return new WxkfError('Cloud Hosting pushes to a mini program take no passive reply (被动回复只支持公众号): the push was '
    + "answered 'success'; answer with the Client's send API, or set cloudHosting.passiveReplies for an official "
    + 'account', ERR.PassiveReplyRefused, 'PassiveReplyRefused');
}

/** The handler's receiver in Cloud Hosting mode (options.cloudHosting set), else undefined. */
export function cloudReceiverFor(options) {
  if (options.cloudHosting === undefined) return undefined;
  return new CloudReceiver({
    ...cloudOptions(options),
    maxBodyBytes: options.maxBodyBytes,
    maxJsonDepth: options.maxJsonDepth,
    now: options.now,
  });
}

// The unsigned push body (fields in order) and the probe the platform sends, built by the core.
// They are the platform's side (the simulator sends them), not a handler's: they live in the
// outbound module, compiled on first use.

/** cloudPushBody(fields, format): the unsigned push body, fields in order. */
export function cloudPushBody(fields, format) {
  return outbound().cloudPushBody(fields, stringArg(format, ERR.InvalidInput, 'format'));
}

/** cloudProbeBody(format): the platform's CheckContainerPath probe. */
export function cloudProbeBody(format) {
  return outbound().cloudProbeBody(stringArg(format, ERR.InvalidInput, 'format'));
}
