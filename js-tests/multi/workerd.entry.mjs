// One instance of the multi-instance test in workerd: a worker service (its own isolate)
// whose store is the package's Durable Object, bound as env.STORE from the "store" service.
import * as lib from 'wechat-kf';
import { durableObjectStore } from 'wechat-kf/cloudflare';
import { instanceApp } from './instance-app.js';

export { DurableObjectStore } from 'wechat-kf/cloudflare';

let app;

export default {
  fetch(request, env, ctx) {
    app ??= instanceApp(lib, { store: durableObjectStore(env.STORE, { appId: env.WECHAT_KF_APP_ID, prefix: env.PREFIX }), env });
    return app(request, ctx);
  },
};
