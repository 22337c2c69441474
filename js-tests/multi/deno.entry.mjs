// One instance of the multi-instance test in Deno: its own process serving on 127.0.0.1:PORT,
// with a denoKvStore on the KV file WECHAT_KF_KV_PATH shared by every instance (--unstable-kv).
import * as lib from 'wechat-kf';
import { denoKvStore } from 'wechat-kf/deno-kv';
import { instanceApp } from './instance-app.js';

const env = Deno.env.toObject();
const kv = await Deno.openKv(env.WECHAT_KF_KV_PATH);
const app = instanceApp(lib, { store: denoKvStore(kv, { prefix: env.PREFIX }), env });
Deno.serve({ hostname: '127.0.0.1', port: Number(env.PORT), onListen: () => console.log('listening') }, (request) => app(request));
