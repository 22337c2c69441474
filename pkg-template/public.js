// What users import, whatever the runtime (the entries add `init`).
export { WXBizMsgCrypt, signature, checkSignature, readFields, writeFields, WxkfError } from './api.js';
export { Receiver } from './receiver.js';
export { CloudReceiver, cloudPushBody, cloudProbeBody } from './cloud-receiver.js';
export { MemoryStore } from './store.js';
export { createHandler } from './web-handler.js';
export { createNodeListener, createExpressMiddleware, createKoaMiddleware } from './node-handler.js';
export { requests } from './requests.js';
export { parseResponse } from './response.js';
export { SendWindow } from './send-window.js';
export { chatbot } from './chatbot.js';
export { Client } from './client.js';
// The package's own error codes and endpoint table, generated from the Rust tables.
export { ERR, ENDPOINTS } from './generated/tables.js';
