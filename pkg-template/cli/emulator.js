// `wechat-kf emulator`: the local emulator of the WeChat HTTP API (devtools/emulator/server.js),
// on 127.0.0.1.
import { UsageError, integer, loopbackHost, parse, secretFile, untilStopped } from './options.js';

export const emulator = {
  summary: 'start the local emulator of the WeChat HTTP API (tokens, send window, kf, media, chatbot)',
  help: `usage: wechat-kf emulator [--port 8081] [--host 127.0.0.1] [--allow-non-loopback] [--app-id ID] [--app-secret-file PATH] [--allow-remote-push] [--cloud-hosting]

Serves the WeChat API on http://HOST:PORT for tests and development (--port 0: any free
port): /cgi-bin/token and stable_token, custom/send with the send-window rules (45015,
45047), typing, kf accounts, sub-merchants, media, and the dialogue platform's sendmsg.
Point a Client at it with \`baseUrl\`. Control endpoints: POST /__emulator/user
{openid, action} opens a user's window; GET /__emulator/requests lists what it received;
POST /__emulator/push pushes a message to your URL. Runs until interrupted (Ctrl-C, SIGTERM, SIGHUP)
or until the process that started it ends (npx, a shell): it never outlives it.

Only a loopback --host (127.0.0.1, localhost, ::1) is accepted unless --allow-non-loopback is
given. Control endpoints answer only a loopback peer address and a loopback Host (127.0.0.1,
localhost, [::1]) without a foreign Origin, and POST bodies only as application/json, so neither
another machine nor a web page can drive the emulator (even with --allow-non-loopback).
/__emulator/push goes only to loopback URLs unless --allow-remote-push is given. Recorded
requests and /__emulator/config show *** in place of every secret: secret, appsecret,
access_token, cloudbase_access_token, any other *token* or *secret* field of a query or body,
the dialogue platform's TOKEN and EncodingAESKey.

The appId and secret default to the emulator's own (wx0000000000emulator /
emulator-app-secret). To change them, prefer WECHAT_KF_APP_ID / WECHAT_KF_APP_SECRET or
--app-secret-file PATH: --app-secret S also works, but shows in process lists and shell
history.

--cloud-hosting: as seen from a WeChat Cloud Hosting container with the open API service
(开放接口服务) on: calls without a token are accepted. In every mode cloudbase_access_token
is accepted for tokens from POST /__emulator/cloudbase-token.`,
  async run(argv, { lib, out, env = process.env }) {
    const v = parse(argv, {
      port: { type: 'string' }, host: { type: 'string' }, 'allow-non-loopback': { type: 'boolean' },
      'app-id': { type: 'string' }, 'app-secret': { type: 'string' },
      'app-secret-file': { type: 'string' }, 'allow-remote-push': { type: 'boolean' }, 'cloud-hosting': { type: 'boolean' },
    });
    if (v.help) return out(this.help);
    const port = integer(v, 'port', 8081);
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = loopbackHost(v, 'emulator');
    const { start } = await import('../devtools/emulator/server.js');
    const options = { lib, port, host };
    if (v['allow-non-loopback']) options.allowNonLoopback = true;
    const appId = v['app-id'] ?? env.WECHAT_KF_APP_ID;
    const fromFile = v['app-secret-file'] !== undefined ? secretFile(v['app-secret-file'], 'app-secret-file') : undefined;
    const appSecret = v['app-secret'] ?? fromFile ?? env.WECHAT_KF_APP_SECRET;
    if (v['allow-remote-push']) options.allowRemotePush = true;
    if (appId) options.appId = appId;
    if (appSecret) options.appSecret = appSecret;
    if (v['cloud-hosting']) options.cloudHosting = true;
    let emu;
    try {
      emu = await start(options);
    } catch (e) {
      throw new UsageError(`cannot listen on ${options.host}:${port}: ${e.code ?? e.message}`);
    }
    out(`wechat-kf emulator listening on ${emu.url} (appId ${emu.state.config.appId})`);
    // Ctrl-C, SIGTERM or SIGHUP, or the process that started it gone (npx killed): see untilStopped.
    await untilStopped();
    await emu.close();
  },
};
