// Checking the platform's answers.
import type { WxkfCatalogKind } from '../index.js';

/** Returns the data, or throws WxkfError (code = errcode, kind, errmsg, hint, retryable). */
export declare const parseResponse: {
  <T = any>(json: string | object): T;
  catalog(): { code: number; kind: WxkfCatalogKind; hint: string; retryable: boolean }[];
};
