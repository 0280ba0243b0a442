import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { CHROMIUM_PATH } from '../../dev/chromium';
import type { PrecheckResult } from '../../lib/capture/prechecks';

/**
 * The UDP pre-check against a real STUN server: Debian's coturn (apt package `coturn`), started here
 * on loopback, and lib/capture/prechecks.ts bundled by esbuild and run inside real Chromium.
 * "STUN answered" (coturn's port) must pass; "nothing listening" (a closed port) and an
 * unresolvable STUN host must fail. No extension needed, so no `npm run build`.
 */

const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** Chromium ignores the loopback interface for ICE unless told. Needed on a machine whose only
 *  interface is lo (checked in a network namespace: without it nothing is gathered). */
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--allow-loopback-in-peer-connection'];

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** One RFC 5389 Binding request from Node; resolves true on a Binding success response with our transaction id. */
function stunBinding(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const txn = crypto.randomBytes(12);
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0); // Binding request
    req.writeUInt16BE(0, 2); // no attributes
    req.writeUInt32BE(0x2112a442, 4); // magic cookie
    txn.copy(req, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on('message', (msg) => done(msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(txn)));
    s.on('error', () => done(false));
    s.send(req, port, '127.0.0.1');
  });
}

interface Coturn {
  port: number;
  proc: ChildProcess;
  log: () => string;
  dir: string;
}

async function startCoturn(): Promise<Coturn> {
  if (!fs.existsSync(TURNSERVER)) throw new Error(`${TURNSERVER} is missing: apt-get install -y coturn`);
  const port = await freeUdpPort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-coturn-'));
  const proc = spawn(
    TURNSERVER,
    [
      '-n', // no config file
      '--listening-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--stun-only',
      '--no-tls',
      '--no-dtls',
      '--no-tcp',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--userdb=${path.join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // Ready when it answers a Binding request from Node.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`turnserver exited (${proc.exitCode}):\n${out}`);
    if (await stunBinding(port, 300)) return { port, proc, log: () => out, dir };
  }
  proc.kill('SIGKILL');
  throw new Error(`turnserver did not answer on 127.0.0.1:${port}:\n${out}`);
}

async function stopCoturn(c: Coturn | undefined): Promise<void> {
  if (!c) return;
  if (c.proc.exitCode === null) {
    const exited = new Promise((r) => c.proc.once('exit', r));
    c.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  }
  fs.rmSync(c.dir, { recursive: true, force: true });
}

/** lib/capture/prechecks.ts (and its imports: env.ts, zod) as one IIFE exposing window.__temoinPrechecks. */
async function bundlePrechecks(): Promise<string> {
  const out = await build({
    entryPoints: [path.resolve('lib/capture/prechecks.ts')],
    bundle: true,
    format: 'iife',
    globalName: '__temoinPrechecks',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced nothing');
  return file.text;
}

/** A tiny HTTP origin: the page, and /api/ping answering HEAD requests (counted). */
async function startOrigin(): Promise<{ url: string; pings: string[]; close: () => Promise<void> }> {
  const pings: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/ping')) {
      pings.push(req.method ?? '');
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>stun check</title><p>Témoin pre-checks');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, pings, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function runStun(page: Page, server: string, timeoutMs: number): Promise<{ r: PrecheckResult; ms: number }> {
  return page.evaluate(
    async ({ server, timeoutMs }) => {
      const lib = (window as unknown as { __temoinPrechecks: typeof import('../../lib/capture/prechecks') }).__temoinPrechecks;
      const t0 = performance.now();
      const r = await lib.checkStun({ RTCPeerConnection, server, timeoutMs });
      return { r, ms: performance.now() - t0 };
    },
    { server, timeoutMs },
  );
}

let coturn: Coturn | undefined;
let origin: Awaited<ReturnType<typeof startOrigin>> | undefined;
let bundle = '';

test.beforeAll(async () => {
  bundle = await bundlePrechecks();
  coturn = await startCoturn();
  origin = await startOrigin();
});

test.afterAll(async () => {
  await stopCoturn(coturn);
  await origin?.close();
});

// Two ways Chromium reports candidates: host IPs hidden behind mDNS names (a page without microphone
// permission) or visible (after microphone permission). libwebrtc used to drop a srflx equal to a
// visible host address; Chromium 156 emits it in both modes, and the check accepts either outcome
// ('srflx', or 'bound': gathering complete, no error). Both must still fail on a closed port.
const MODES = [
  // With mDNS, libwebrtc always signals the srflx (the host address is hidden), so it must be seen.
  { name: 'host IPs hidden by mDNS (default)', args: [] as string[], passValues: ['srflx'] },
  { name: 'host IPs visible (as with microphone permission)', args: ['--disable-features=WebRtcHideLocalIpsWithMdns'], passValues: ['srflx', 'bound'] },
];

for (const mode of MODES) {
  test.describe(`STUN pre-check in Chromium, ${mode.name}`, () => {
    let browser: Browser;
    let page: Page;

    test.beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...BASE_ARGS, ...mode.args] });
    });
    test.afterAll(async () => {
      await browser?.close();
    });
    test.beforeEach(async () => {
      page = await browser.newPage();
      await page.goto(`${origin!.url}/`);
      await page.addScriptTag({ content: bundle });
    });
    test.afterEach(async () => {
      await page?.close();
    });

    test('passes when coturn answers the binding request', async () => {
      const { r, ms } = await runStun(page, `stun:127.0.0.1:${coturn!.port}`, 5000);
      expect(r, JSON.stringify(r)).toMatchObject({ id: 'udp', status: 'pass', messageKey: 'precheck_udp_pass' });
      expect(mode.passValues).toContain(r.value);
      if (r.value === 'srflx') expect(r.detail['mappedAddress']).toMatch(/^(127\.0\.0\.1|\d+\.\d+\.\d+\.\d+)$/);
      expect(r.detail['errors']).toBe(0);
      expect(ms).toBeLessThan(4000);
      // The server is still the one that answered: it is alive and answering.
      expect(await stunBinding(coturn!.port, 1000)).toBe(true);
    });

    test('fails (timeout) when nothing listens on the STUN port', async () => {
      const closed = await freeUdpPort();
      expect(await stunBinding(closed, 500)).toBe(false);
      const { r, ms } = await runStun(page, `stun:127.0.0.1:${closed}`, 3000);
      expect(r, JSON.stringify(r)).toMatchObject({ id: 'udp', status: 'fail', value: 'timeout', messageKey: 'precheck_udp_fail_timeout' });
      expect(r.advice).toContain('advice_firewall_udp');
      expect(ms).toBeGreaterThanOrEqual(2900);
    });
  });
}

test.describe('pre-checks in Chromium, other paths', () => {
  let browser: Browser;
  let page: Page;
  test.beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: BASE_ARGS });
    page = await browser.newPage();
    await page.goto(`${origin!.url}/`);
    await page.addScriptTag({ content: bundle });
  });
  test.afterAll(async () => {
    await browser?.close();
  });

  test('fails fast through icecandidateerror 701 when the STUN host does not resolve', async () => {
    const { r, ms } = await runStun(page, 'stun:temoin-no-such-host.invalid:3478', 20_000);
    expect(r, JSON.stringify(r)).toMatchObject({ id: 'udp', status: 'fail', value: 'error', messageKey: 'precheck_udp_fail_error' });
    expect(r.detail['errorCode']).toBe(701);
    expect(ms).toBeLessThan(15_000); // the event, not our timer, decided
  });

  test('measures HTTP latency with three real HEAD requests from the page', async () => {
    const before = origin!.pings.length;
    const r = await page.evaluate(async (o) => {
      const lib = (window as unknown as { __temoinPrechecks: typeof import('../../lib/capture/prechecks') }).__temoinPrechecks;
      return lib.checkLatency({ origin: o, fetchImpl: (u, i) => fetch(u, i), now: () => performance.now() });
    }, origin!.url);
    expect(r, JSON.stringify(r)).toMatchObject({ id: 'latency', status: 'pass', messageKey: 'precheck_latency_pass' });
    expect(typeof r.value).toBe('number');
    expect(r.value as number).toBeLessThan(150);
    expect(origin!.pings.slice(before)).toEqual(['HEAD', 'HEAD', 'HEAD']);
  });

  test('a down origin fails the latency check', async () => {
    const port = await freeUdpPort(); // nothing listens on this TCP port either, most likely
    const r = await page.evaluate(async (o) => {
      const lib = (window as unknown as { __temoinPrechecks: typeof import('../../lib/capture/prechecks') }).__temoinPrechecks;
      return lib.checkLatency({ origin: o, fetchImpl: (u, i) => fetch(u, i), now: () => performance.now(), timeoutMs: 2000 });
    }, `http://127.0.0.1:${port}`);
    expect(r, JSON.stringify(r)).toMatchObject({ id: 'latency', status: 'fail', value: null, messageKey: 'precheck_latency_unreachable' });
  });
});
