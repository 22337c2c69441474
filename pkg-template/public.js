// What users import, whatever the runtime (the entries add `init`).
export { WXBizMsgCrypt, signature, WxkfError } from './api.js';
export { requests } from './requests.js';
export { parseResponse } from './response.js';
export { SendWindow, MemoryWindowStore } from './send-window.js';
export { chatbot } from './chatbot.js';
export { Client } from './client.js';
