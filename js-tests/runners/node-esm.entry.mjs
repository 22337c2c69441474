// Runs inside Node as an ES module, from the scratch project.
import * as lib from 'wechat-kf';
import { readFileSync } from 'node:fs';
import { runSuite } from './suite.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const logs = [];
const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
const entry = import.meta.resolve('wechat-kf');
console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...result, logs, entry }));
