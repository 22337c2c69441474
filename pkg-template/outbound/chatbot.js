// Dialogue open platform (chatbot.weixin.qq.com): sendmsg payloads, rich msg forms, the bot's
// encryption ({"encrypt": <ciphertext>}) and callback decryption ({"encrypted": ...}).
import { outbound } from '../loaders/outbound.js';
import { inputJson } from './requests.js';
import { stringArg } from '../args.js';
import { ERR } from '../errors.js';
import { checkOptionNames } from '../options.js';
import { CRYPT_OPTIONS } from '../crypto.js';

const channels = Object.freeze({
  Bound: 0, OpenApi: 2, WecomGroup: 3, WecomKf: 4, MenuH5: 5, MiniProgramPlugin: 6, WebH5: 7,
});
const events = Object.freeze({
  waiterQualityEvaluate: 'waiterQualityEvaluate',
  waiterEnter: 'waiterEnter',
  waiterSwitch: 'waiterSwitch',
  waiterQuit: 'waiterQuit',
});

const build = (kind, input) => outbound().__chatbotMsg(kind, inputJson(input));

const msg = Object.freeze({
  /** Plain text. */
  text: (content) => build('text', { content }),
  /** Text followed by recommended questions (weixin://bizmsgmenu links). */
  textWithMenu: (text, questions = []) => build('textWithMenu', {
    text,
    // Anything but an array goes to the core as it is, which names the field at fault.
    questions: Array.isArray(questions) ? questions.map((q) => (typeof q === 'string' ? { content: q } : q)) : questions,
  }),
  /** before<a href="url">text</a>after */
  hyperlink: (link) => build('hyperlink', link),
  /** News: [{ title, description?, url, picUrl?, type: 'h5' | 'mp' }] */
  news: (articles) => build('news', { articles }),
  /** Official account image: { mediaId, url? } */
  image: (image) => build('image', image),
  /** { title, appId, pagePath, thumbMediaId?, thumbUrl? } */
  miniProgramPage: (page) => build('miniProgramPage', page),
  /** A combined answer from msgs built above (or plain strings). */
  multimsg: (parts) => build('multimsg', { parts }),
});

/** A payload with `msg` given as an object is sent as its JSON text. */
function payloadJson(payload) {
  if (payload && typeof payload.msg === 'object' && payload.msg !== null) {
    payload = { ...payload, msg: JSON.stringify(payload.msg) };
  }
  return inputJson(payload);
}

/** A text argument that crosses into wasm as a string (-42003 InvalidInput naming it otherwise). */
const stringInput = (value, field) => stringArg(value, ERR.InvalidInput, field);
/** The `random` of an options argument (undefined and null: none). */
const randomOf = (options) => options?.random;

/** One bot: { token, encodingAESKey, appId } from the dialogue platform's settings. */
class Bot {
  #crypt;
  constructor(options) {
    checkOptionNames('chatbot.Bot', options, CRYPT_OPTIONS);
    this.#crypt = new (outbound().__ChatbotCrypt)(options);
  }
  get appId() {
    return this.#crypt.appId;
  }
  /** The request to POST to https://chatbot.weixin.qq.com: { method, path, query, body }. */
  sendmsg(payload, options) {
    return JSON.parse(this.#crypt.sendmsg(payloadJson(payload), randomOf(options)));
  }
  /** The bare base64 ciphertext of the payload's XML. */
  encryptPayload(payload, options) {
    return this.#crypt.encryptPayload(payloadJson(payload), randomOf(options));
  }
  /** The platform's side: body -> payload; throws 1004 / 1005 / 1008 like the platform. */
  openSendmsg(body) {
    return JSON.parse(this.#crypt.openSendmsg(stringInput(body, 'body')));
  }
  /** Plaintext of a callback body {"encrypted": ...}. */
  decryptCallback(body) {
    return this.#crypt.decryptCallback(stringInput(body, 'body'));
  }
  /** A callback body as the platform sends it (for tests). */
  encryptCallback(plaintext, options) {
    return this.#crypt.encryptCallback(stringInput(plaintext, 'plaintext'), randomOf(options));
  }
}

export const chatbot = Object.freeze({
  channels,
  events,
  msg,
  Bot,
  /** The payload's XML (appid, openid, msg, channel, event, kefuname, kefuavatar, ans_node_name). */
  payloadXml: (payload) => outbound().__chatbotPayloadXml(payloadJson(payload)),
});
