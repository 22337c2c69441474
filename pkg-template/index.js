// The public API: what users import, whatever the runtime. Each loader (loaders/) instantiates
// the .wasm, then re-exports this module and adds `init`.
export { WXBizMsgCrypt, signature, checkSignature, readFields, writeFields } from './crypto.js';
export { WxkfError } from './errors.js';
export { Receiver } from './inbound/receiver.js';
export { CloudReceiver, cloudPushBody, cloudProbeBody } from './inbound/cloud-receiver.js';
export { MemoryStore } from './stores/memory.js';
export { createHandler } from './inbound/web-handler.js';
export { createNodeListener, createExpressMiddleware, createKoaMiddleware } from './inbound/node-handler.js';
export { requests } from './outbound/requests.js';
export { parseResponse } from './outbound/response.js';
export { SendWindow } from './outbound/send-window.js';
export { chatbot } from './outbound/chatbot.js';
export { Client } from './outbound/client.js';
// The queue mode: the in-memory queue (one process, not durable) and the consumer of any queue.
export { memoryQueue } from './queues/memory.js';
export { createConsumer } from './queues/consumer.js';
// The package's own error codes and endpoint table, generated from the Rust tables.
export { ERR, ENDPOINTS } from './generated/tables.js';
