// Driving a running API emulator from the Node tests: its control endpoints (/__emulator/...)
// and the credentials a Client needs to reach it. Not a test file itself.

/** GET (no body) or POST JSON to `${emu.url}/__emulator/${path}`; resolves to the JSON answer. */
export async function control(emu, path, body) {
  const res = await fetch(`${emu.url}/__emulator/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return res.json();
}

/** The requests the emulator recorded, all or those to one path. */
export async function recorded(emu, path) {
  return (await control(emu, `requests${path ? `?path=${encodeURIComponent(path)}` : ''}`)).requests;
}

/** Client options that point at the emulator with its own appId and appSecret. */
export function creds(emu) {
  return { appId: emu.state.config.appId, appSecret: emu.state.config.appSecret, baseUrl: emu.url };
}
