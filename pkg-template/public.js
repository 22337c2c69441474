// What users import, whatever the runtime (the entries add `init`).
export { WXBizMsgCrypt, signature, WxkfError } from './api.js';
