// The multi-instance properties for the workerd and Deno runs, on the shared driver
// (driver.mjs) and instances serving instance-app.js. Prints the figures with the label.
//
//   await checkProperties({ label, instances: [baseUrl], emulatorUrl, lib, token, encodingAESKey, appId }, check)
//
// 1. 1,000 distinct encrypted pushes, each delivered 3 times to 3 different instances, up to
//    50 requests in flight: every answer 200; counted in the store, every push handled once.
// 2. n instances x 25 concurrent API calls on a cold token cache: 1 token request in all;
//    after the emulator expires every token, the same again: 1 more.
// 3. One user message (a push to one instance), then 12 concurrent sends spread over the
//    instances: 5 reach the emulator, 7 refused locally with 45047.
import { apiStorm, emulator, handledReport, makePushes, pushStorm, sendStorm } from './driver.mjs';

const PUSHES = 1000;

export async function checkProperties(o, check) {
  const { checkAsync, assertEq, assertTrue } = check;
  const say = (s) => console.log(`  [${o.label}] ${s}`);
  const n = o.instances.length;
  const emu = emulator(o.emulatorUrl);
  const keyOf = (p) => `msg:${p.toUser}:${p.id}`;

  await checkAsync(`${o.label}: ${PUSHES} pushes x 3 deliveries to 3 of ${n} instances, 50 in flight: all 200, each handled once`, async () => {
    const pushes = makePushes(o.lib, { token: o.token, encodingAESKey: o.encodingAESKey, appId: o.appId, count: PUSHES });
    const storm = await pushStorm(o.instances, pushes, { copies: 3, concurrency: 50, timeoutMs: 30_000 });
    const counts = [];
    for (let i = 0; i < pushes.length; i += 250) {
      const r = await postJson(`${o.instances[(i / 250) % n]}/__test/handled-in-store`, { keys: pushes.slice(i, i + 250).map(keyOf) });
      counts.push(...r.counts);
    }
    // Each instance's own record of what it handled: separate memories (isolates, processes).
    const perInstance = await Promise.all(o.instances.map(async (url) => (await handledReport([url], pushes)).handled));
    const once = counts.filter((c) => c === '1').length;
    const more = counts.filter((c) => c !== null && c !== '1').length;
    const never = counts.filter((c) => c === null).length;
    say(`pushes: ${PUSHES} x 3 = ${storm.requests} requests to 3 of ${n} instances, 50 in flight, in ${storm.elapsedMs} ms `
      + `(${Math.round(storm.requests / (storm.elapsedMs / 1000))} req/s, slowest ${storm.maxMs} ms): statuses ${JSON.stringify(storm.statuses)}; `
      + `counted in the store: handled once ${once}, more than once ${more}, never ${never}; handled per instance ${perInstance.join(' / ')}`);
    assertEq(storm.statuses[200], storm.requests);
    assertTrue(storm.failures.length === 0, `no failed request, got ${storm.failures.slice(0, 3).join('; ')}`);
    assertEq(once, PUSHES);
    assertEq(perInstance.reduce((a, b) => a + b, 0), PUSHES);
    assertTrue(perInstance.every((h) => h > 0), 'every instance handled some pushes');
  });

  await checkAsync(`${o.label}: ${n} x 25 concurrent calls on a cold cache: one token request; after expiry one more`, async () => {
    const before = (await emu.requests()).tokenRequests;
    const cold = await apiStorm(o.instances, 25);
    const afterCold = (await emu.requests()).tokenRequests;
    await emu.expireTokens();
    const again = await apiStorm(o.instances, 25);
    const afterExpiry = (await emu.requests()).tokenRequests;
    say(`tokens: ${n} x 25 calls on a cold cache -> ${cold.ok} ok, ${cold.failed} failed${cold.codes.length ? ` ${JSON.stringify(cold.codes.slice(0, 5))}` : ''}, `
      + `${afterCold - before} token request(s); after every token expired, ${n} x 25 again -> ${again.ok} ok, ${again.failed} failed`
      + `${again.codes.length ? ` ${JSON.stringify(again.codes.slice(0, 5))}` : ''}, ${afterExpiry - afterCold} more`);
    assertEq(cold.ok, n * 25);
    assertEq(afterCold - before, 1);
    assertEq(again.ok, n * 25);
    assertEq(afterExpiry - afterCold, 1);
  });

  await checkAsync(`${o.label}: one user message, then 12 concurrent sends from ${n} instances: 5 sent, 7 refused with 45047`, async () => {
    const openid = `o_window_${Date.now().toString(36)}`;
    await emu.user(openid, 'message');
    // The user's message, as the platform shows it (emulator) and as one instance saw it (store).
    const seen = await postJson(`${o.instances[0]}/__test/observe`, { openid });
    assertEq(seen.ok, true);
    const sends = await sendStorm(o.instances, openid, 12);
    const reached = await emu.sendsTo(openid);
    say(`window: 12 concurrent sends from ${n} instances -> ${sends.sent} sent, refused ${JSON.stringify(sends.refused)}, ${reached} reached the emulator`);
    assertEq(sends.sent, 5);
    assertEq(reached, 5);
    assertEq(JSON.stringify(sends.refused), JSON.stringify({ 45047: 7 }));
  });
}

async function postJson(url, body) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}
