// The dialogue open platform (智能对话): payloads and its crypt.
import type { RequestDescriptor } from './requests.js';

export interface ChatbotPayload {
  /** Required for channels 0, 5, 6. */
  appId?: string;
  openid: string;
  /** A string, or a rich msg object (sent as its JSON text). */
  msg: string | object;
  channel: 0 | 2 | 3 | 4 | 5 | 6 | 7;
  event?: 'waiterQualityEvaluate' | 'waiterEnter' | 'waiterSwitch' | 'waiterQuit';
  kefuname?: string;
  kefuavatar?: string;
  ansNodeName?: string;
}

export interface ChatbotOptions { token: string; encodingAESKey: string; appId: string }

declare class ChatbotBot {
  constructor(options: ChatbotOptions);
  readonly appId: string;
  sendmsg(payload: ChatbotPayload, options?: { random?: Uint8Array }): RequestDescriptor;
  encryptPayload(payload: ChatbotPayload, options?: { random?: Uint8Array }): string;
  /** The platform's side (emulator, tests): throws 1004 / 1005 / 1008. */
  openSendmsg(body: string): ChatbotPayload & { msg: string };
  decryptCallback(body: string): string;
  encryptCallback(plaintext: string, options?: { random?: Uint8Array }): string;
}

export declare const chatbot: {
  readonly channels: { Bound: 0; OpenApi: 2; WecomGroup: 3; WecomKf: 4; MenuH5: 5; MiniProgramPlugin: 6; WebH5: 7 };
  readonly events: { waiterQualityEvaluate: 'waiterQualityEvaluate'; waiterEnter: 'waiterEnter'; waiterSwitch: 'waiterSwitch'; waiterQuit: 'waiterQuit' };
  readonly msg: {
    text(content: string): string;
    textWithMenu(text: string, questions: (string | { content: string; id?: string; label?: string })[]): string;
    hyperlink(link: { text: string; url: string; before?: string; after?: string }): string;
    news(articles: { title: string; description?: string; url: string; picUrl?: string; type?: 'h5' | 'mp' }[]): string;
    image(image: { mediaId: string; url?: string }): string;
    miniProgramPage(page: { title: string; appId: string; pagePath: string; thumbMediaId?: string; thumbUrl?: string }): string;
    multimsg(parts: string[]): string;
  };
  readonly Bot: typeof ChatbotBot;
  payloadXml(payload: ChatbotPayload): string;
};

// Declarations above without `export` stay private to this file.
export {};
