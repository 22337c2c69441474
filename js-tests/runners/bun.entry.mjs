// Runs inside Bun.
import * as lib from 'wechat-kf';
import { runSuite } from './suite.js';

const vectors = await Bun.file(new URL('./vectors.json', import.meta.url)).json();
const logs = [];
const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
const entry = import.meta.resolve('wechat-kf');
console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...result, logs, entry }));
