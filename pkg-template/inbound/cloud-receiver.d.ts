// WeChat Cloud Hosting (微信云托管) pushes: options, the receiver, test bodies.
import type { Push, PushFormat } from './receiver.js';
import type { FieldValue } from '../crypto.js';

/** createHandler / Node adapters: `cloudHosting`. */
export interface CloudHostingOptions {
  /**
   * Whether the service has public access. true: only requests carrying the `x-wx-source`
   * header (added by the platform's internal link) are pushes; others get 401
   * (-41008 UntrustedSource). false: requests without it are taken as the platform's too.
   * In both modes a request is refused (401, -41008) when something in it says a mini program
   * client sent it: an empty `x-wx-source`, one of `clientSources`, or a caller openid
   * (`x-wx-openid` / `x-wx-from-openid`) other than the push's FromUserName. The platform adds
   * these headers to a user's own `wx.cloud.callContainer` calls too: keep the push path off
   * the routes the mini program calls.
   */
  publicAccess: boolean;
  /**
   * `x-wx-source` values that name a mini program client rather than the platform (compared
   * without regard to ASCII case). Default `['wx_client', 'wx_devtools', 'wx_localdebug']`.
   */
  clientSources?: string[];
  /**
   * Passive replies ('transfer' or { body } from onMessage) are only for official accounts
   * (被动回复只支持公众号). Default false: such a return is reported through onError
   * (-41009 PassiveReplyRefused, phase 'reply') and the push answered 'success'; answer mini
   * program users with the Client's send API. true: plaintext passive replies are sent.
   */
  passiveReplies?: boolean;
}

/** `push.cloud`: the x-wx-* headers of a Cloud Hosting push (absent headers are undefined). */
export interface CloudPushInfo {
  /** x-wx-openid */
  openid?: string;
  /** x-wx-appid */
  appid?: string;
  /** x-wx-unionid */
  unionid?: string;
  /** x-wx-from-openid (resource sharing) */
  fromOpenid?: string;
  /** x-wx-from-appid (resource sharing) */
  fromAppid?: string;
  /** x-wx-from-unionid (resource sharing) */
  fromUnionid?: string;
  /** x-wx-env: the cloud environment id */
  env?: string;
  /** x-wx-source: what triggered the request */
  source?: string;
  /** x-original-forwarded-for */
  forwardedFor?: string;
  /**
   * X-WX-CLOUDBASE-ACCESS-TOKEN, for `client.withRequestToken(...)`. Not enumerable (kept out of
   * JSON.stringify and logs): a credential.
   */
  readonly accessToken?: string;
}

/** The receiver of createHandler({ cloudHosting }): probe, trust rule, parsing. */
export declare class CloudReceiver {
  constructor(options: CloudHostingOptions & { maxBodyBytes?: number; maxJsonDepth?: number; now?: () => number });
  readonly maxBodyBytes: number;
  /**
   * One request: `{ probe: true, format }` for the CheckContainerPath probe, else the push
   * (mode 'cloud', with `cloud`). headers: a Headers object or a Node headers object.
   * @throws WxkfError -41008 UntrustedSource, -41002 too large, -41003 too deep, -40002/-40012 parse.
   */
  receive(params: { headers?: unknown; body: string | Uint8Array | ArrayBuffer; contentType?: string }): Push | { probe: true; format: PushFormat };
  free(): void;
}

/** The unsigned push body the platform sends to Cloud Hosting (CreateTime, MsgId, BusinessId as bare numbers). */
export declare function cloudPushBody(fields: Record<string, FieldValue | undefined>, format: PushFormat): string;

/** The CheckContainerPath probe body. */
export declare function cloudProbeBody(format: PushFormat): string;
