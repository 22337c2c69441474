// The send APIs' request builders and their inputs.
import type { WxkfCatalogKind } from '../index.js';

/**
 * Outbound kinds: -42001 MissingField, -42002 InvalidField, -42003 InvalidInput, -42004
 * Transport (JS only: network, HTTP status, not JSON); platform errcodes keep their code and
 * get a catalog kind, e.g. 45015 'SendWindowExpired', 45047 'SendQuotaExceeded', -1
 * 'SystemBusy', 1001..1008 'Chatbot*'; unknown errcodes are 'UnknownApiError'.
 */
export type WxkfOutboundErrorKind =
  | 'MissingField' | 'InvalidField' | 'InvalidInput' | 'Transport' | WxkfCatalogKind;

/** What a builder returns: `body` is the exact JSON text to POST (null for GET/uploads). */
export interface RequestDescriptor {
  method: 'GET' | 'POST';
  path: string;
  query: Record<string, string>;
  body: string | null;
}

/** A sub-merchant id: switches sends and typing to the business endpoints. */
export type BusinessId = number | string;

export interface SendTextInput { touser: string; content: string; businessId?: BusinessId }

export interface SendImageInput { touser: string; mediaId: string; businessId?: BusinessId }

export interface SendLinkInput {
  touser: string; title: string; description: string; url: string; thumbUrl: string; businessId?: BusinessId;
}

export interface SendMiniProgramPageInput {
  touser: string; title: string; pagePath: string; thumbMediaId: string; businessId?: BusinessId;
}

export interface TypingInput { touser: string; command?: 'Typing' | 'CancelTyping'; businessId?: BusinessId }

export interface KfAccountInput { kfOpenid: string; businessId?: BusinessId }

export interface RegisterBusinessInput {
  /** 6-30 letters, digits, underscores. */
  accountName: string;
  /** 4-30 (a Chinese character counts 2) of Chinese, letters, digits. */
  nickname: string;
  iconMediaId: string;
  transferToCommkf?: boolean;
}

export declare const requests: {
  sendText(input: SendTextInput): RequestDescriptor;
  sendImage(input: SendImageInput): RequestDescriptor;
  sendLink(input: SendLinkInput): RequestDescriptor;
  sendMiniProgramPage(input: SendMiniProgramPageInput): RequestDescriptor;
  typing(input: TypingInput): RequestDescriptor;
  getKfList(input?: { businessId?: BusinessId }): RequestDescriptor;
  getOnlineKfList(input?: { businessId?: BusinessId }): RequestDescriptor;
  addKfAccount(input: { kfWx: string; businessId?: BusinessId }): RequestDescriptor;
  deleteKfAccount(input: KfAccountInput): RequestDescriptor;
  setKfAdmin(input: KfAccountInput): RequestDescriptor;
  cancelKfAdmin(input: KfAccountInput): RequestDescriptor;
  registerBusiness(input: RegisterBusinessInput): RequestDescriptor;
  updateBusiness(input: { businessId: BusinessId; nickname?: string; iconMediaId?: string }): RequestDescriptor;
  getBusiness(input: { businessId: BusinessId; accountName?: never } | { accountName: string; businessId?: never }): RequestDescriptor;
  /** offset and count: integers, or strings of digits. */
  listBusiness(input: { offset: number | string; count: number | string }): RequestDescriptor;
  token(input: { appId: string; appSecret: string }): RequestDescriptor;
  stableToken(input: { appId: string; appSecret: string; forceRefresh?: boolean }): RequestDescriptor;
  mediaUpload(input?: { type?: 'image' }): RequestDescriptor;
  mediaGet(input: { mediaId: string }): RequestDescriptor;
};
