// GENERATED from the Rust tables (src/error.rs, src/api/catalog.rs, src/api/paths.rs,
// src/api/builders.rs) by tests/generated.rs. Do not edit: change the Rust table and run
// `WXKF_WRITE_GENERATED=1 cargo test --test generated`.

/** The package's own error kinds (WXBizMsgCrypt -400xx, inbound -410xx, outbound -420xx, stores -430xx). */
export type ErrorKind =
  | 'ValidateSignature' // -40001
  | 'ParseXml' // -40002
  | 'ComputeSignature' // -40003
  | 'IllegalAesKey' // -40004
  | 'ValidateAppId' // -40005
  | 'EncryptAes' // -40006
  | 'DecryptAes' // -40007
  | 'IllegalBuffer' // -40008
  | 'EncodeBase64' // -40009
  | 'DecodeBase64' // -40010
  | 'GenReturnXml' // -40011
  | 'ParseJson' // -40012
  | 'TimestampOutOfWindow' // -41001
  | 'BodyTooLarge' // -41002
  | 'JsonTooDeep' // -41003
  | 'InvalidQuery' // -41004
  | 'PlaintextRefused' // -41005
  | 'InvalidOption' // -41006
  | 'LateReply' // -41007
  | 'UntrustedSource' // -41008
  | 'PassiveReplyRefused' // -41009
  | 'MissingField' // -42001
  | 'InvalidField' // -42002
  | 'InvalidInput' // -42003
  | 'Transport' // -42004
  | 'StoreOverBound' // -43001
  | 'StoreUnavailable' // -43002
  | 'InvalidStoreArgument' // -43003
  | 'StoreMisconfigured' // -43004
  | 'LeaseLost' // -43005
  | 'QueueUnavailable' // -44001
  | 'DeadLettered' // -44002
  | 'HandlerTimeout'; // -44003

/** Kinds of platform errcodes (the error's code is the errcode). */
export type CatalogKind =
  | 'SystemBusy' // -1
  | 'InvalidCredential' // 40001
  | 'InvalidAccessToken' // 40014
  | 'AccessTokenExpired' // 42001
  | 'InvalidAppId' // 40013
  | 'InvalidAppSecret' // 40125
  | 'IpNotWhitelisted' // 40164
  | 'InvalidGrantType' // 40002
  | 'InvalidOpenId' // 40003
  | 'SendWindowExpired' // 45015
  | 'SendQuotaExceeded' // 45047
  | 'ApiUnauthorized' // 48001
  | 'InvalidTypingCommand' // 45072
  | 'TypingWithoutInteraction' // 45080
  | 'AlreadyTyping' // 45081
  | 'KfApiUnavailable' // 65400
  | 'InvalidKfAccount' // 65401
  | 'KfAccountNotBound' // 65402
  | 'InvalidKfNickname' // 65403
  | 'InvalidKfAccountName' // 65404
  | 'KfAccountLimitReached' // 65405
  | 'KfAccountExists' // 65406
  | 'KfAlreadyMember' // 65407
  | 'KfInvitationExists' // 65408
  | 'InvalidKfWechatId' // 65409
  | 'KfInviteeBindLimit' // 65410
  | 'KfInvitationPending' // 65411
  | 'KfAccountAlreadyBound' // 65412
  | 'NoUserSession' // 65413
  | 'UserServedByOtherKf' // 65414
  | 'InvalidMediaType' // 40004
  | 'UnsupportedFileType' // 40005
  | 'InvalidMediaId' // 40007
  | 'InvalidImageSize' // 40009
  | 'BusinessAccountNameTaken' // 45070
  | 'BusinessNotFound' // 45071
  | 'BusinessLimitReached' // 45077
  | 'InvalidBusinessNickname' // 45078
  | 'BusinessNicknameForbidden' // 45079
  | 'InvalidBusinessAccountName' // 45091
  | 'ChatbotTokenInvalid' // 1001
  | 'ChatbotNotApproved' // 1002
  | 'ChatbotSignatureNoUserId' // 1003
  | 'ChatbotSignatureEmpty' // 1004
  | 'ChatbotSignatureInvalid' // 1005
  | 'ChatbotSignatureCheckFailed' // 1006
  | 'ChatbotMissingFields' // 1007
  | 'ChatbotMissingMessageFields' // 1008
  | 'UnknownApiError'; // 0

/** Every endpoint the package calls. */
export type EndpointName =
  | 'token' // GET /cgi-bin/token
  | 'stableToken' // POST /cgi-bin/stable_token
  | 'customSend' // POST /cgi-bin/message/custom/send
  | 'businessSend' // POST /cgi-bin/message/custom/business/send
  | 'typing' // POST /cgi-bin/message/custom/typing
  | 'businessTyping' // POST /cgi-bin/message/custom/business/typing
  | 'getKfList' // GET /cgi-bin/customservice/getkflist
  | 'getOnlineKfList' // GET /cgi-bin/customservice/getonlinekflist
  | 'addKfAccount' // POST /customservice/kfaccount/add
  | 'deleteKfAccount' // GET /customservice/kfaccount/del
  | 'setKfAdmin' // GET /customservice/kfaccount/setadmin
  | 'cancelKfAdmin' // GET /customservice/kfaccount/canceladmin
  | 'registerBusiness' // POST /cgi-bin/business/register
  | 'updateBusiness' // POST /cgi-bin/business/update
  | 'getBusiness' // POST /cgi-bin/business/get
  | 'listBusiness' // POST /cgi-bin/business/list
  | 'mediaUpload' // POST /cgi-bin/media/upload
  | 'mediaGet' // GET /cgi-bin/media/get
  | 'chatbotSendMsg'; // POST /openapi/sendmsg/

/** The request builders of `requests`. */
export type BuilderName =
  | 'sendText' // builder
  | 'sendImage' // builder
  | 'sendLink' // builder
  | 'sendMiniProgramPage' // builder
  | 'typing' // builder
  | 'getKfList' // builder
  | 'getOnlineKfList' // builder
  | 'addKfAccount' // builder
  | 'deleteKfAccount' // builder
  | 'setKfAdmin' // builder
  | 'cancelKfAdmin' // builder
  | 'registerBusiness' // builder
  | 'updateBusiness' // builder
  | 'getBusiness' // builder
  | 'listBusiness' // builder
  | 'token' // builder
  | 'stableToken' // builder
  | 'mediaUpload' // builder
  | 'mediaGet'; // builder

export declare const ERR: { readonly [K in ErrorKind]: number };
export declare const CATALOG_KINDS: { readonly [K in CatalogKind]: number };
export declare const ENDPOINTS: {
  readonly [K in EndpointName]: { readonly method: 'GET' | 'POST'; readonly path: string };
};
export declare const BUILDER_NAMES: readonly BuilderName[];
