// The one place the page names the package (two of its modules): its browser entry, as built in the repository
// (pkg/). Copied elsewhere, point this at node_modules/wechat-kf/browser.js instead.
export * from '../../pkg/browser.js';
// The platform's side of a push (shared with `wechat-kf simulate`), also part of the package.
export { TYPES, serialize, pushFields, pushRequest } from '../../pkg/simulated-push.js';
