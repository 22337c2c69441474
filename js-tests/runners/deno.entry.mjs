// Runs inside Deno 2 (npm package from the scratch project's node_modules).
import * as lib from 'wechat-kf';
import { runSuite } from './suite.js';

const vectors = JSON.parse(await Deno.readTextFile(new URL('./vectors.json', import.meta.url)));
const logs = [];
const result = await runSuite(lib, { vectors, log: (s) => logs.push(String(s)) });
const entry = import.meta.resolve('wechat-kf');
console.log('@@WECHAT_KF_RESULT@@' + JSON.stringify({ ...result, logs, entry }));
