// Type-level usage of WxkfError (tsc --strict): every field the runtime sets is declared, kinds
// narrow to the generated unions, and ERR / ENDPOINTS carry the generated names.
import { WxkfError, ERR, ENDPOINTS, requests, parseResponse } from 'wechat-kf';
import type { WxkfCatalogKind, WxkfErrorKind, WxkfEndpointName, WxkfBuilderName } from 'wechat-kf';

export function advice(e: unknown): string {
  if (!(e instanceof WxkfError)) return 'not ours';
  const hint: string | undefined = e.hint;
  const retryable: boolean | undefined = e.retryable;
  const field: string | undefined = e.field;
  const errmsg: string | undefined = e.errmsg;
  if (e.kind === 'SendWindowExpired' || e.kind === 'SendQuotaExceeded') {
    const narrowed: WxkfCatalogKind = e.kind;
    return `${narrowed}: ${hint ?? ''}`;
  }
  if (e.kind === 'InvalidOption') {
    const own: WxkfErrorKind = e.kind;
    return `${own} ${field ?? '?'} (${e.code === ERR.InvalidOption})`;
  }
  if (e.kind === 'StoreOverBound') return `${e.size ?? 0} > ${e.maxKeys ?? 0}`;
  return `${e.code} ${errmsg ?? ''} ${retryable ? 'retry' : 'give up'}`;
}

/** Exhaustive over the catalog kinds the app cares about; the rest fall to the default. */
export function isRetryLater(kind: WxkfCatalogKind): boolean {
  switch (kind) {
    case 'SystemBusy':
    case 'AccessTokenExpired':
      return true;
    default:
      return false;
  }
}

// @ts-expect-error: not a catalog kind
isRetryLater('SendWindowExpiredTypo');
// @ts-expect-error: not one of the package's own kinds
export const badKind: WxkfErrorKind = 'NoSuchKind';

const code: number = ERR.InvalidOption;
const send: { method: 'GET' | 'POST'; path: string } = ENDPOINTS.customSend;
const endpoint: WxkfEndpointName = 'chatbotSendMsg';
const builders: WxkfBuilderName[] = Object.keys(requests) as (keyof typeof requests)[];
const kinds: WxkfCatalogKind[] = parseResponse.catalog().map((row) => row.kind);
export const used = [code, send, endpoint, builders, kinds];
