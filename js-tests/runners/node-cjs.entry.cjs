// Runs inside Node as CommonJS: require() of the ES package (Node >= 20.19).
const lib = require('wechat-kf');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

(async () => {
  const { runSuite } = await import('./suite.js');
  const vectors = JSON.parse(readFileSync(join(__dirname, 'vectors.json'), 'utf8'));
  const logs = [];
  const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
  const entry = require.resolve('wechat-kf');
  console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...result, logs, entry }));
})();
