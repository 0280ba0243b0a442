import { URLS } from '../../dev/hosts';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { expect, test } from './fixtures';
import { fault, of, openBar } from './timeline';

test('every fault trigger on the operator bar lands in the snapshot with the right fields', async ({ context, tabIdOf, callBackground }) => {
  test.setTimeout(90_000);
  const page = await context.newPage();
  page.on('pageerror', () => undefined);
  await openBar(page);
  const tabId = await tabIdOf('/operateurs/index.htm');

  // A call comes in: pick it up, the WebRTC loopback connects.
  await page.locator('#bouton-decrocher').click({ timeout: 20_000 });
  await expect(page.locator('#webrtc-etat')).toHaveAttribute('data-etat', 'connected', { timeout: 20_000 });

  const idAppel = await page.locator('#appel-id').innerText();
  for (const f of ['exception', 'http500', 'ws-drop', 'failed-resource', 'csp', 'rejection', 'console-warn']) await fault(page, f);
  await fault(page, 'slow-api');
  await page.waitForTimeout(4500);

  const snap = await callBackground<TabSnapshot>('getSnapshot', { tabId });
  expect(snap.unreachable).toEqual([]);
  expect(snap.frames).toHaveLength(1);
  expect(snap.frames[0]).toMatchObject({ frameId: 0, surface: 'bar', url: URLS.bar });
  // The surface's own fields, read from its DOM at snapshot time.
  const fields = snap.frames[0]!.fields;
  expect(fields.surface).toBe('bar');
  if (fields.surface === 'bar') {
    expect(fields.agent?.login).toBe(await page.locator('#operateur-login').innerText());
    expect(fields.call?.idAppel).toBe(idAppel.trim());
    expect(fields.call?.direction).toBe('entrant');
  }
  const times = snap.timeline.map((e) => e.t);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(snap.timeline.every((e) => e.frameId === 0 && e.surface === 'bar')).toBe(true);

  const [err] = of(snap, 'error');
  expect(err?.m).toContain("Cannot read properties of undefined (reading 'id_appel')");
  expect(err?.src).toMatch(/^https:\/\/voice-management\.axialys\.com\/.+\.js$/);
  expect(err?.line).toBeGreaterThan(0);
  expect(err?.st).toContain('TypeError');

  const nets = of(snap, 'net');
  expect(nets).toContainEqual(expect.objectContaining({ method: 'POST', status: 500, failed: false, url: expect.stringContaining('/api/operateur/statut') }));
  const slow = nets.find((n) => n.status === 200);
  expect(slow?.ms).toBeGreaterThan(3000);
  expect(snap.frames[0]!.stats.okRequests).toBeGreaterThan(0);

  const closes = of(snap, 'ws').filter((w) => w.e === 'close');
  expect(closes).toContainEqual(expect.objectContaining({ url: 'wss://voice-management.axialys.com/cti', code: 1006, clean: false }));
  expect(closes[0]!.rx).toBeGreaterThan(0);
  expect(closes[0]!.tx).toBeGreaterThan(0);

  const resources = of(snap, 'resource');
  // The two 404s of the failed-resource trigger, and the image the CSP blocked.
  expect(resources.map((r) => [r.tag, new URL(r.url).host]).sort()).toEqual([
    ['img', 'cdn.example.test'],
    ['img', 'voice-management.axialys.com'],
    ['script', 'voice-management.axialys.com'],
  ]);
  expect(of(snap, 'csp')).toContainEqual(expect.objectContaining({ url: 'https://cdn.example.test/x.png', dir: 'img-src' }));
  expect(of(snap, 'rejection')).toHaveLength(1);
  expect(of(snap, 'console').some((c) => c.l === 'warn')).toBe(true);

  const rtc = of(snap, 'rtc');
  expect(rtc).toContainEqual(expect.objectContaining({ e: 'connection', s: 'connected' }));
  const stats = of(snap, 'rtcstats');
  expect(stats.length).toBeGreaterThan(0);
  const withAudioIn = stats.find((s) => s.s.in);
  expect(withAudioIn?.s.in?.received).toBeGreaterThan(0);
  expect(typeof withAudioIn?.s.pair?.rtt).toBe('number');
  expect(withAudioIn?.s.pair?.local?.type).toBe('host');
  expect(stats.some((s) => (s.s.out?.bytes ?? 0) > 0)).toBe(true);

  const clicks = of(snap, 'click');
  expect(clicks).toContainEqual(expect.objectContaining({ tag: 'button', name: 'Décrocher' }));
  // Never input values or keystrokes: nothing captured carries a "value" field.
  expect(JSON.stringify(snap)).not.toMatch(/"value"/);
});

test('the bar inside the CRM iframe is captured as its own frame, with token_session scrubbed everywhere', async ({ context, tabIdOf, callBackground }) => {
  const page = await context.newPage();
  page.on('pageerror', () => undefined);
  await page.goto(URLS.crm);
  const tabId = await tabIdOf('/operateurs/index.htm');
  const bar = page.frameLocator('#bandeau-axialys');
  const token = new URL(page.frames().find((f) => f.url().includes('token_session'))!.url()).searchParams.get('token_session')!;
  expect(token).toMatch(/^[0-9a-f]{32}$/);
  await fault(bar, 'exception');
  await fault(bar, 'http500');

  await expect
    .poll(async () => of(await callBackground<TabSnapshot>('getSnapshot', { tabId }), 'error').length)
    .toBe(1);
  const snap = await callBackground<TabSnapshot>('getSnapshot', { tabId });
  expect(snap.frames).toHaveLength(1);
  expect(snap.frames[0]).toMatchObject({ surface: 'bar', topOrigin: 'https://crm.example.test' });
  expect(snap.frames[0]!.frameId).not.toBe(0);
  expect(snap.timeline.every((e) => e.frameId === snap.frames[0]!.frameId)).toBe(true);
  expect(JSON.stringify(snap)).not.toContain(token);
});
