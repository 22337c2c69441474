// The one place the page names the package: its browser entry, as built in the repository
// (pkg/). Copied elsewhere, point this at node_modules/wechat-kf/browser.js instead.
export * from '../../pkg/browser.js';
