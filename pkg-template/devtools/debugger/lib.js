// The one place the page names the package (two of its modules): its browser entry and the
// platform's side of a push (shared with `wechat-kf simulate`), by paths relative to this folder
// (the package's devtools/debugger/, served by `wechat-kf debugger`).
export * from '../../loaders/browser.js';
export { TYPES, serialize, pushFields, pushRequest } from '../simulated-push.js';
