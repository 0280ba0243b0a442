/**
 * Section "delivery": from Send to the verified ticket on the Zammad stand-in, for a typical
 * report, in the real extension (its service worker delivers); and 100 reports queued while the
 * stand-in refuses tickets, flushed once it is back: time, and tickets counted per marker
 * (0 lost, 0 duplicated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startDevServer, type DevServer } from '../../dev/server';
import { SEED_TOKENS } from '../../dev/zammad/index';
import { BenchBrowser, sleep } from '../lib/browser';
import { bundle } from '../lib/bundle';
import { builtExtension, temoinExtensionId } from '../lib/extension';
import type { Table, Verdict } from '../lib/results';
import { openExtensionPage } from '../lib/screenshot-tools';
import type { Section } from '../lib/section';
import { fmt, fmtSummary, summarize, type Summary } from '../lib/stats';
import type { OutboxCensus, SendSample } from '../page/delivery-page';
import { standInJson } from '../../dev/zammad/standin-client';

const GOAL_MS = 300;
const JPEG_TARGET = 200 * 1024;
const CONTEXT_TARGET = 125 * 1024;
const SEND_TIMEOUT_MS = 30_000;
const FLUSH_TIMEOUT_MS = 150_000;
const OUTAGE_TIMEOUT_MS = 120_000;
const FILENAMES = ['capture-1.jpg', 'context.json', 'report.html'] as const;

/** One request the stand-in served, in node's performance.now() ms. */
interface ServedRequest {
  method: string;
  path: string;
  /** Headers received (the handler called). */
  start: number;
  /** Body fully received. */
  bodyEnd: number;
  /** Answer written. */
  end: number;
  status: number;
}

/** Watches every request the stand-in handles (the dev server calls `zammad.handle` per request). */
function watchStandIn(dev: DevServer): ServedRequest[] {
  const served: ServedRequest[] = [];
  const handle = dev.zammad.handle.bind(dev.zammad);
  dev.zammad.handle = (req: IncomingMessage, res: ServerResponse) => {
    const e: ServedRequest = { method: (req.method ?? 'GET').toUpperCase(), path: new URL(req.url ?? '/', 'https://x.invalid').pathname, start: performance.now(), bodyEnd: NaN, end: NaN, status: 0 };
    req.once('end', () => (e.bodyEnd = performance.now()));
    res.once('finish', () => {
      e.end = performance.now();
      e.status = res.statusCode;
    });
    served.push(e);
    handle(req, res);
  };
  return served;
}

/** A stand-in test route, from node, through the demo server (as test/e2e/delivery.spec.ts does). */
function standIn<T>(dev: DevServer, method: string, pathname: string, body?: unknown): Promise<T> {
  return standInJson<T>(dev.port, method, pathname, body);
}

/** A request of the service worker that failed without an HTTP answer (a network error, or refused by Chromium itself). */
interface WorkerFailure {
  /** Date.now(). */
  at: number;
  route: string;
  error: string;
}

/**
 * Watches the service worker's failed requests over CDP (Network domain on the worker target):
 * Chromium's own refusals (its extension request throttling) never reach the stand-in.
 */
async function watchWorkerFailures(b: BenchBrowser, extId: string): Promise<{ failures: WorkerFailure[]; stop(): Promise<void> }> {
  const sw = await b.waitForTarget((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extId}/`));
  const s = await b.attach(sw.targetId);
  const routes = new Map<string, string>();
  const failures: WorkerFailure[] = [];
  const off = b.cdp.on((e) => {
    if (e.sessionId !== s.id) return;
    const p = e.params as { requestId: string; request?: { method: string; url: string }; errorText?: string };
    if (e.method === 'Network.requestWillBeSent' && p.request) routes.set(p.requestId, `${p.request.method} ${new URL(p.request.url).pathname.replace(/\/\d+$/, '/:id')}`);
    else if (e.method === 'Network.loadingFailed') failures.push({ at: Date.now(), route: routes.get(p.requestId) ?? '?', error: p.errorText ?? '?' });
  });
  // Small buffers: no request or response bodies are kept for DevTools.
  await s.send('Network.enable', { maxTotalBufferSize: 1024, maxResourceBufferSize: 1024, maxPostDataSize: 1 });
  return {
    failures,
    async stop() {
      off();
      await s.detach().catch(() => undefined);
    },
  };
}

/** "Request throttled. Visit https://dev.chromium.org/throttling for more information." → its first sentence. */
const shortError = (e: string): string => e.replace(/\. .*$/, '').replace(/\.$/, '');

const countBy = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
};

interface StoredTicket {
  id: number;
  number: string;
  articles: { body: string; attachments: { filename: string; size: number | string }[] }[];
}

/** Per marker: its tickets on the stand-in, and whether each holds the three files at their sizes. */
async function countTickets(dev: DevServer, ids: readonly string[], sizes: Record<string, number>) {
  const tickets = await standIn<StoredTicket[]>(dev, 'GET', '/__standin/tickets');
  const perMarker = new Map<string, StoredTicket[]>(ids.map((id) => [id, []]));
  for (const t of tickets) {
    for (const id of ids) if (t.articles.some((a) => a.body.includes(id))) perMarker.get(id)!.push(t);
  }
  const counts = [...perMarker.values()].map((ts) => ts.length);
  const complete = (t: StoredTicket) => {
    const files = t.articles.flatMap((a) => a.attachments);
    return FILENAMES.every((f) => files.some((a) => a.filename === f && Number(a.size) === sizes[f]));
  };
  return {
    total: tickets.length,
    withMarker: counts.reduce((a, b) => a + b, 0),
    lost: counts.filter((c) => c === 0).length,
    duplicated: counts.reduce((n, c) => n + Math.max(0, c - 1), 0),
    incomplete: [...perMarker.values()].flat().filter((t) => !complete(t)).length,
  };
}

/** context.json: the bar-fault fixture (schema v2) with its timeline repeated back in time up to ~target bytes. */
function contextJson(target: number): string {
  const base = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/reports/bar-fault.v2.json'), 'utf8')) as { timeline: { t: number }[] };
  const events = base.timeline;
  const timeline = [...events];
  let size = JSON.stringify(base).length;
  for (let i = 0; size < target; i++) {
    const e = events[i % events.length]!;
    const copy = { ...e, t: e.t - (Math.floor(i / events.length) + 1) * 90_000 };
    timeline.unshift(copy);
    size += JSON.stringify(copy).length + 1;
  }
  return JSON.stringify({ ...base, timeline }, null, 0);
}

/** report.html's weight: markup, the context as a JSON data block and the shipped renderer (the screenshot travels as its own file here). */
function reportHtml(context: string): string {
  const renderer = fs.readFileSync(path.join(builtExtension(), 'report-renderer.js'), 'utf8');
  const json = context.replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return (
    '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Signalement Témoin — Bandeau opérateur</title>' +
    '<style>body{font:14px system-ui,sans-serif;margin:0}main{max-width:1100px;margin:auto;padding:16px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}</style></head>' +
    `<body><main id="app"></main><script type="application/json" id="temoin-report">${json}</script><script>${renderer}</script></body></html>\n`
  );
}

/** A private copy of this run's build: another benchmark run may replace bench/.tmp meanwhile. */
function privateBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-bench-delivery-ext-'));
  fs.cpSync(builtExtension(), dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'manifest.json')) || !fs.existsSync(path.join(dir, 'background.js'))) throw new Error(`incomplete copy of ${builtExtension()}`);
  return dir;
}

const kb = (bytes: number): string => `${Math.round(bytes / 1024)} KB`;
const routeOf = (r: ServedRequest): string => `${r.method} ${r.path.replace(/\/\d+$/, '/:id')}`;

export const deliverySection: Section = {
  id: 'delivery',
  title: 'Delivery',
  async run(ctx) {
    const n = ctx.quick ? 4 : 20;
    const warmup = ctx.quick ? 1 : 2;
    const nQueued = ctx.quick ? 10 : 100;
    const pageJs = await bundle('bench/page/delivery-page.ts');
    const extId = temoinExtensionId();
    const context = contextJson(CONTEXT_TARGET);
    const html = reportHtml(context);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-bench-zammad-'));
    const extDir = privateBuild();
    let dev: DevServer | undefined;
    let browser: BenchBrowser | undefined;

    let sizes: Record<string, number> = {};
    const samples: SendSample[] = [];
    /** Per measured sample: the stand-in's requests during it. */
    const sampleRequests: ServedRequest[][] = [];
    let sendCheck: Awaited<ReturnType<typeof countTickets>> | undefined;
    const sendErrors: string[] = [];
    const flushRun: {
      queueMs: number;
      outageMs: number;
      outageCensus?: OutboxCensus;
      outageTickets?: number;
      outageRequests: Record<string, number>;
      dueMs: number;
      madeDue: number;
      recoveredAt: number;
      flushedAt: number;
      allSentAt: number;
      sentAt: number[];
      finalCensus?: OutboxCensus;
      timedOut: boolean;
      requests: Record<string, number>;
      /** ms the stand-in spent on the API requests after the recovery (headers received → answer written), summed. */
      standInMs: number;
      /** The worker's requests that failed without an answer, during the outage and after the recovery. */
      workerFailures: WorkerFailure[];
      check?: Awaited<ReturnType<typeof countTickets>>;
    } = { queueMs: NaN, outageMs: NaN, outageRequests: {}, dueMs: NaN, madeDue: 0, recoveredAt: NaN, flushedAt: NaN, allSentAt: NaN, sentAt: [], timedOut: false, requests: {}, standInMs: NaN, workerFailures: [] };

    try {
      dev = await startDevServer({ dataDir });
      const served = watchStandIn(dev);
      browser = await BenchBrowser.launch({ rules: dev.rules, extensions: [extDir] });
      const b = browser;
      await b.waitForExtension(extId);
      const { session: page } = await openExtensionPage(b, extId, 'viewer.html');
      // The user's settings: the seeded agent token; every other setting at its default (api mode, https://zammad.axialys.net, first group).
      await page.evaluate(`chrome.storage.local.set({ settings: { zammadToken: ${JSON.stringify(SEED_TOKENS.agent)} } }).then(() => true)`);
      // The worker's first pass at start may still be waiting for its settings read (the managed
      // policy takes seconds) begun before the token was there: restart the worker, so that every
      // pass reads the token. The next message wakes it.
      await page.send('ServiceWorker.enable');
      await page.send('ServiceWorker.stopAllWorkers');
      await page.send('ServiceWorker.disable');
      await page.evaluate(`chrome.runtime.sendMessage({ id: 0, type: 'flushOutbox', timestamp: Date.now() }).then(() => true)`);
      await b.waitForExtension(extId);
      await page.evaluate(`${pageJs};true`);
      sizes = await page.evaluate<Record<string, number>>(
        `window.__temoinDelivery.prepare({ jpegTarget: ${JPEG_TARGET}, context: ${JSON.stringify(context)}, html: ${JSON.stringify(html)} }).then((s) => ({ 'capture-1.jpg': s.jpeg, 'context.json': s.context, 'report.html': s.html }))`,
      );
      ctx.log(`report: JPEG ${kb(sizes['capture-1.jpg']!)}, context.json ${kb(sizes['context.json']!)}, report.html ${kb(sizes['report.html']!)}`);
      await sleep(1000);

      // ---- 1. Send → verified ticket, one report at a time ----
      const sentIds: string[] = [];
      for (let i = 0; i < warmup + n; i++) {
        if (i === warmup) ctx.log(`measuring ${n} sends`);
        const from = served.length;
        let s: SendSample;
        try {
          s = await page.evaluate<SendSample>(`window.__temoinDelivery.sendOne(${SEND_TIMEOUT_MS})`);
        } catch (e) {
          // Not sent in time, or needs attention: counted, and the run goes on.
          sendErrors.push(String((e as Error).message ?? e));
          ctx.log(`send failed: ${sendErrors[sendErrors.length - 1]}`);
          await sleep(1000);
          continue;
        }
        // Let the worker finish its pass (badge, alarm) before the next Send.
        await sleep(250);
        sentIds.push(s.id);
        if (i >= warmup) {
          samples.push(s);
          sampleRequests.push(served.slice(from).filter((r) => r.path.startsWith('/api/')));
          ctx.log(`${i - warmup + 1}/${n}: sent (verified) at ${fmt(s.sent, 0)} ms, ticket saved at ${fmt(s.ticket, 0)} ms`);
        }
      }
      sendCheck = await countTickets(dev, sentIds, sizes);

      // ---- 2. nQueued reports while Zammad refuses every create (503), then back ----
      const watch = await watchWorkerFailures(b, extId);
      flushRun.workerFailures = watch.failures;
      ctx.log(`queueing ${nQueued} reports while every POST /api/v1/tickets answers 503`);
      await standIn(dev, 'POST', '/__standin/knobs', { status: 503, times: 1_000_000, path: '/api/v1/tickets', method: 'POST' });
      const outageFrom = served.length;
      const q = await page.evaluate<{ ids: string[]; ms: number }>(`window.__temoinDelivery.queueMany(${nQueued})`);
      flushRun.queueMs = q.ms;
      const ids = q.ids;
      const idsJs = JSON.stringify(ids);
      const outageStart = Date.now();
      await page.evaluate(`window.__temoinDelivery.flush().then(() => true)`);
      // They must all have been tried and kept: queued, each with at least one failed attempt.
      for (;;) {
        const c = await page.evaluate<OutboxCensus>(`window.__temoinDelivery.census(${idsJs})`);
        flushRun.outageCensus = c;
        if (c.states.queued === ids.length && c.minAttempts >= 1) break;
        if (Date.now() - outageStart > OUTAGE_TIMEOUT_MS) throw new Error(`the reports did not all fail once during the outage: ${JSON.stringify(c)}`);
        await sleep(250);
      }
      flushRun.outageMs = Date.now() - outageStart;
      flushRun.outageTickets = (await countTickets(dev, ids, sizes)).withMarker;
      flushRun.outageRequests = countBy(served.slice(outageFrom).filter((x) => x.path.startsWith('/api/')), (x) => `${routeOf(x)} → ${x.status}`);
      ctx.log(`outage: all ${ids.length} tried and kept in ${fmt(flushRun.outageMs / 1000, 1)} s (${JSON.stringify(flushRun.outageCensus?.states)}, attempts ${flushRun.outageCensus?.minAttempts}–${flushRun.outageCensus?.maxAttempts})`);

      // Zammad is back: the stand-in's reset clears its fault knobs (and its tickets: the single
      // sends' were counted above), as the e2e tests do.
      const recoverFrom = served.length;
      flushRun.recoveredAt = Date.now();
      dev.zammad.reset();
      const d0 = Date.now();
      flushRun.madeDue = await page.evaluate<number>(`window.__temoinDelivery.makeDue(${idsJs})`);
      flushRun.dueMs = Date.now() - d0;
      const r = await page.evaluate<{ flushedAt: number; allSentAt: number; sentAt: number[]; census: OutboxCensus; timedOut: boolean }>(
        `window.__temoinDelivery.flushUntilSent(${idsJs}, ${FLUSH_TIMEOUT_MS})`,
      );
      Object.assign(flushRun, { flushedAt: r.flushedAt, allSentAt: r.allSentAt, sentAt: r.sentAt, finalCensus: r.census, timedOut: r.timedOut });
      // Let any straggling request finish before counting.
      await sleep(500);
      const afterRecovery = served.slice(recoverFrom).filter((x) => x.path.startsWith('/api/'));
      flushRun.requests = countBy(afterRecovery, (x) => `${routeOf(x)} → ${x.status}`);
      flushRun.standInMs = afterRecovery.reduce((a, x) => a + (x.end - x.start), 0);
      await watch.stop();
      flushRun.check = await countTickets(dev, ids, sizes);
      ctx.log(
        `flush: ${r.timedOut ? 'TIMED OUT' : `all sent ${fmt((r.allSentAt - r.flushedAt) / 1000, 1)} s after the flush message`}; tickets: ${flushRun.check.lost} lost, ${flushRun.check.duplicated} duplicated, ${flushRun.check.incomplete} incomplete`,
      );
    } finally {
      await browser?.close();
      await dev?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(extDir, { recursive: true, force: true });
    }

    // ---- analysis ----
    const col = (f: (s: SendSample) => number): Summary => summarize(samples.map(f).filter(Number.isFinite));
    const sent = col((s) => s.sent);
    const perReport = (pred: (r: ServedRequest) => boolean, f: (r: ServedRequest) => number): Summary =>
      summarize(sampleRequests.map((rs) => rs.filter(pred).reduce((a, r) => a + f(r), 0)).filter(Number.isFinite));
    const all = () => true;
    const route = (name: string) => (r: ServedRequest) => routeOf(r) === name;
    const standInTotal = perReport(all, (r) => r.end - r.start);
    const standInProcessing = perReport(all, (r) => r.end - r.bodyEnd);
    const shares = sampleRequests.map((rs, i) => rs.reduce((a, r) => a + (r.end - r.start), 0) / samples[i]!.sent).filter(Number.isFinite);
    const share = summarize(shares);
    const routes = [...new Set(sampleRequests.flat().map(routeOf))];
    const requestsPerReport = summarize(sampleRequests.map((rs) => rs.length));

    const tables: Table[] = [
      {
        title: `One typical report (capture-1.jpg ${kb(sizes['capture-1.jpg'] ?? NaN)}, context.json ${kb(sizes['context.json'] ?? NaN)}, report.html ${kb(sizes['report.html'] ?? NaN)}), ms from Send, median (p25 – p75) of ${samples.length} reports sent one after another`,
        columns: ['Milestone', 'ms from Send'],
        rows: [
          ['The outbox holds the report (`enqueue()` resolved: IndexedDB write)', fmtSummary(col((s) => s.enqueued), 0)],
          ['`flushOutbox` message answered by the service worker', fmtSummary(col((s) => s.messaged), 0)],
          ['Record seen `sending` (the worker took it)', fmtSummary(col((s) => s.sending), 0)],
          ['Record seen with its ticket (the stand-in\'s 201 answered and saved)', fmtSummary(col((s) => s.ticket), 0)],
          ['**Record seen `sent`**: the articles read back, every attachment verified at its size', fmtSummary(sent, 0)],
          ['(the worker\'s own clock at its `sent` write, `record.updatedAt`)', fmtSummary(col((s) => s.sentWrite), 0)],
        ],
      },
      {
        title: 'The same reports as the stand-in served them: ms from a request\'s headers received to its answer written (receiving the body included), per report, median (p25 – p75)',
        columns: ['Request', 'total', 'after the body was received (the stand-in\'s own work)'],
        rows: [
          ...routes.map((name) => [`\`${name}\``, fmtSummary(perReport(route(name), (r) => r.end - r.start), 1), fmtSummary(perReport(route(name), (r) => r.end - r.bodyEnd), 1)]),
          ['**All requests of a report**', fmtSummary(standInTotal, 1), fmtSummary(standInProcessing, 1)],
          ['Share of Send → sent spent in the stand-in (per report)', `${fmt(share.median * 100, 0)} % (${fmt(share.p25 * 100, 0)} – ${fmt(share.p75 * 100, 0)} %)`, '—'],
        ],
      },
    ];

    const c = flushRun.check;
    const fc = flushRun.finalCensus;
    const oc = flushRun.outageCensus;
    const flushS = (flushRun.allSentAt - flushRun.flushedAt) / 1000;
    const recoveryS = (flushRun.allSentAt - flushRun.recoveredAt) / 1000;
    /** Seconds from the flush message to each report's `sent` write, in order. */
    const sentRel = flushRun.sentAt.map((t) => (t - flushRun.flushedAt) / 1000).sort((a, b) => a - b);
    /** Seconds between two consecutive reports' `sent` (the worker delivers one at a time). */
    const gaps = summarize(sentRel.slice(1).map((t, i) => (t - sentRel[i]!) * 1000));
    const firstSentS = sentRel[0] ?? NaN;
    const notSent = fc ? flushRun.sentAt.length < nQueued : true;
    const held = !!oc && oc.states.queued === nQueued && oc.minAttempts >= 1 && flushRun.outageTickets === 0;
    const correct = !!c && !flushRun.timedOut && !notSent && c.lost === 0 && c.duplicated === 0 && c.incomplete === 0;
    const fmtCounts = (o: Record<string, number>) =>
      Object.entries(o)
        .sort()
        .map(([k, v]) => `${v}× \`${k}\``)
        .join(', ') || 'none';
    const failuresDuring = flushRun.workerFailures.filter((f) => f.at < flushRun.recoveredAt);
    const failuresAfter = flushRun.workerFailures.filter((f) => f.at >= flushRun.recoveredAt);
    const failKey = (f: WorkerFailure) => `${f.route}: ${shortError(f.error)}`;
    const throttledAfter = failuresAfter.filter((f) => /throttl/i.test(f.error)).length;
    const searchesAfter = Object.entries(flushRun.requests)
      .filter(([k]) => k.startsWith('POST /api/v1/tickets/search'))
      .reduce((a, [, v]) => a + v, 0);
    tables.push({
      title: `${nQueued} reports queued while every ticket create answers 503, flushed once the stand-in is back`,
      columns: ['Step', 'Figure'],
      rows: [
        [`Queue ${nQueued} reports (\`enqueue()\` each, as Send does)`, `${fmt(flushRun.queueMs / 1000, 1)} s`],
        ['Outage: a `flushOutbox` message, until every report had failed at least once and was kept `queued`', `${fmt(flushRun.outageMs / 1000, 1)} s; attempts ${oc?.minAttempts ?? '?'}–${oc?.maxAttempts ?? '?'}; ${oc?.maybeCommitted ?? '?'} of ${nQueued} marked "maybe committed" (marker search before the next create); last errors: ${(oc?.errors ?? []).map((e) => `"${e}"`).join(', ')}`],
        ['Outage: requests the stand-in answered', fmtCounts(flushRun.outageRequests)],
        ['Outage: the worker\'s requests that failed without an answer (CDP Network on the worker)', fmtCounts(countBy(failuresDuring, failKey))],
        ['Outage: tickets on the stand-in with these markers', String(flushRun.outageTickets ?? '?')],
        ['Backoff still to wait when the stand-in came back (skipped: the reports were made due)', oc ? `${fmt(Math.max(0, oc.dueInMin) / 1000, 1)} – ${fmt(Math.max(0, oc.dueInMax) / 1000, 1)} s (at the last census; 0: already due, waiting for its alarm)` : '?'],
        [`Make the ${flushRun.madeDue} queued reports due (one IndexedDB transaction)`, `${fmt(flushRun.dueMs, 0)} ms`],
        [
          '**`flushOutbox` message → all reports `sent`** (verified)',
          flushRun.timedOut ? `not all within ${FLUSH_TIMEOUT_MS / 1000} s` : `**${fmt(flushS, 1)} s**`,
        ],
        ['First report `sent`, after the message', `${fmt(firstSentS, 1)} s`],
        ['Between two consecutive reports\' `sent` (ms, median (p25 – p75))', fmtSummary(gaps, 0)],
        ['After the recovery: the worker\'s requests that failed without an answer', fmtCounts(countBy(failuresAfter, failKey))],
        ['Stand-in back → all reports `sent`', flushRun.timedOut ? '—' : `${fmt(recoveryS, 1)} s`],
        ['Requests the stand-in answered after it came back', fmtCounts(flushRun.requests)],
        ['Share of the flush spent in the stand-in (its requests, summed)', `${fmt(flushRun.standInMs / 1000, 1)} s of ${fmt(recoveryS, 1)} s (${fmt((flushRun.standInMs / 1000 / recoveryS) * 100, 0)} %)`],
        ['Outbox at the end', fc ? JSON.stringify(fc.states) : '?'],
        ['Tickets per marker on the stand-in (`GET /__standin/tickets`)', c ? `${c.withMarker} tickets for ${nQueued} markers: ${c.lost} lost, ${c.duplicated} duplicated, ${c.incomplete} without all three files at their sizes` : '?'],
      ],
    });

    const verdicts: Verdict[] = [
      {
        name: 'Send → the stand-in\'s 201 and verification, typical report, median',
        goal: `≤ ${GOAL_MS} ms (aim)`,
        measured: `${fmt(sent.median, 0)} ms, ${fmt(sent.median / GOAL_MS, 2)}× the aim (p25 – p75 ${fmt(sent.p25, 0)} – ${fmt(sent.p75, 0)}; ${sent.n} reports)`,
        pass: sent.n > 0 && sendErrors.length === 0 ? sent.median <= GOAL_MS : null,
      },
      {
        name: `${nQueued} queued reports flushed after the stand-in comes back`,
        goal: '0 lost, 0 duplicated; time recorded',
        measured: !c
          ? 'not measured'
          : correct
            ? `0 lost, 0 duplicated; all ${nQueued} sent ${fmt(flushS, 1)} s after the flush message`
            : `FAIL: ${c.lost} lost, ${c.duplicated} duplicated, ${c.incomplete} incomplete, ${nQueued - flushRun.sentAt.length} not sent${flushRun.timedOut ? ` within ${FLUSH_TIMEOUT_MS / 1000} s` : ''}`,
        pass: !c || !held ? null : correct,
      },
    ];

    const notes: string[] = [];
    if (sendErrors.length) notes.push(`**${sendErrors.length} single send(s) failed** (not sent within ${SEND_TIMEOUT_MS / 1000} s, or needing attention): ${sendErrors.map((e) => `"${e}"`).join('; ')}.`);
    if (!correct) notes.push(`**FAIL: the flush of ${nQueued} queued reports lost or duplicated tickets** (see the table above): every report must end as exactly one complete ticket.`);
    if (!held) notes.push(`**The outage did not hold the reports as intended** (queued ${oc?.states.queued ?? '?'} of ${nQueued}, tickets during the outage ${flushRun.outageTickets ?? '?'}): the correctness check is not meaningful this run.`);
    if (sendCheck && (sendCheck.lost || sendCheck.duplicated || sendCheck.incomplete))
      notes.push(`**The single sends left ${sendCheck.lost} lost, ${sendCheck.duplicated} duplicated and ${sendCheck.incomplete} incomplete tickets.**`);
    else if (sendCheck) notes.push(`The ${warmup + n} single sends (warm-up included) left exactly one complete ticket each on the stand-in.`);
    notes.push(
      `The service worker delivers one report at a time (lib/delivery/runner.ts: a single-flight pass, reports in order) and each takes ${fmt(requestsPerReport.median, 0)} requests (${routes.map((r) => `\`${r}\``).join(', ')}); after the outage each report also searches its marker first. The stand-in's share of a single send is ${fmt(share.median * 100, 0)} % (median); the rest is the worker: reading the report from IndexedDB, base64-encoding ${kb((sizes['capture-1.jpg'] ?? 0) + (sizes['context.json'] ?? 0) + (sizes['report.html'] ?? 0))} of files into a JSON body, fetch over TLS, the outbox writes between steps, and Chromium's scheduling on a loaded machine.`,
    );
    const throttledDuring = failuresDuring.filter((f) => /throttl/i.test(f.error)).length;
    if (throttledDuring + throttledAfter > 0)
      notes.push(
        `**Chromium throttles an extension's requests after 5xx answers.** During the outage the worker tried every report's create; after a few 503s Chromium's extension request throttling (extensions/renderer/extension_throttle_*; in its source: 2 errors ignored, then a back-off from 0.7 s growing ×1.4 per further 5xx, per URL path, up to 15 min) refused ${throttledDuring} further \`POST /api/v1/tickets\` itself (\`net::ERR_TEMPORARILY_THROTTLED\`, "Request throttled"), without a request reaching the stand-in; \`fetch\` sees "Failed to fetch", an ambiguous failure, so the report searches its marker before its next create.` +
          (throttledAfter > 0
            ? ` The refusal outlives the outage: after the recovery the first ${throttledAfter} create(s) of the flush were still refused by Chromium (the first report was \`sent\` only ${fmt(firstSentS, 1)} s after the message: each refused report still costs its marker search, users/me, groups and the base64 encoding) until the throttle's back-off ran out and a create got through. Those reports went back to their backoff (10–20 s after a second failure) and were sent by a later pass woken by their alarm; here the other reports kept the worker busy until then, but a faster flush would wait for that backoff. With a packed (store-installed) extension Chrome fires alarms at the earliest 30 s after they are set.`
            : ' This run, the throttle had lapsed by the time of the recovery: no create was refused afterwards.') +
          ` Nothing was lost or doubled by it (${searchesAfter} marker searches after the recovery). What would shorten it belongs to lib/delivery (not changed by this benchmark): end a pass at its first 5xx or network failure and defer the other reports (one probe instead of ${nQueued} creates hammering Zammad and feeding the throttle), and after a success retry at once the reports that failed ambiguously in the same pass.`,
      );
    if (!(sent.median <= GOAL_MS))
      notes.push(
        `**Missed: ${fmt(sent.median, 0)} ms against ${GOAL_MS} ms (an aim).** Of that, the IndexedDB write of the report takes ${fmt(col((s) => s.enqueued).median, 0)} ms, the 201 is in at ${fmt(col((s) => s.ticket).median, 0)} ms and the read-back verification ends at ${fmt(sent.median, 0)} ms. On an idle machine these shrink; the machine here had 2 cores and other jobs running.`,
      );
    notes.push(
      'This machine has 2 cores and other jobs (builds, other benchmarks, tests) ran at the same time: absolute times are inflated and noisy; the load average at the section\'s start is in the line above.',
    );

    return {
      method: [
        `Debian Chromium headless with the built extension (a private copy of this run's build) and the demo server with the Zammad stand-in at \`https://zammad.axialys.net\` (dev/server.ts, host-resolver rules); the user's settings hold the seeded agent token (written from an extension page, then the worker restarted so that no pass runs on the settings it read before), everything else at its defaults (api mode, first active group).`,
        `A typical report: a ${kb(sizes['capture-1.jpg'] ?? NaN)} JPEG (a 1920×1080 screenshot-like drawing encoded by Chromium at the quality nearest ${kb(JPEG_TARGET)}), a ${kb(sizes['context.json'] ?? NaN)} context.json (test/fixtures/reports/bar-fault.v2.json with its timeline repeated) and a ${kb(sizes['report.html'] ?? NaN)} report.html (markup, the context as a JSON block and the shipped report-renderer.js). Delivery treats the files as opaque bytes: their sizes are what matter.`,
        "Send is the popup's own code, run in a tab of the extension's viewer.html (`bench/page/delivery-page.ts`, bundled): `enqueue()` from lib/delivery/outbox.ts (the IndexedDB outbox), then the `flushOutbox` message in @webext-core/messaging's wire format. The service worker delivers (lib/delivery/deliver.ts, api mode): users/me, groups, `POST /api/v1/tickets` with the files, then the articles read back and every attachment checked at its size before the record is written `sent` (the verification).",
        `Times are the page's \`performance.now()\` from the start of Send to the moment the record is seen in each state; the page re-reads the record on each of the outbox's change announcements (its BroadcastChannel, as the *Mes signalements* list does). ${warmup} warm-up reports, then ${n}, one after another. The stand-in's share: every request it served during a report, from headers received to answer written, in node (the dev server runs in the benchmark's process).`,
        `Flush after an outage: the stand-in answers 503 to every \`POST /api/v1/tickets\` (knob \`{status: 503, path: '/api/v1/tickets', method: 'POST'}\`: an ambiguous failure, the create's body was sent, so each report must search its marker before creating again — the path where a duplicate could appear). ${nQueued} typical reports are queued and a \`flushOutbox\` message sent; the section waits until every one has failed at least once and is kept \`queued\`. Then the stand-in is reset (knobs cleared: Zammad is back; its earlier tickets go too, the single sends' having been counted).`,
        "Retries normally wait for their backoff (5–10 s after the first failure, doubling) and the `alarms` that wake the worker; this benchmark does not wait for them: right after the recovery it sets every queued report's `nextAttemptAt` to 0 in the outbox (one transaction: their backoff has elapsed) and sends one `flushOutbox` message, the message a popup or the options page sends when opened. Time: from that message until every report is `sent` (polled every 25 ms on the outbox's `byState` index). Then the tickets on the stand-in (`GET /__standin/tickets`) are counted per marker: 0 lost (every marker exactly one ticket, every report `sent`), 0 duplicated, each with its three files at their sizes.",
        'During this second part only, a CDP session on the service worker (Network domain, no bodies kept) records the worker\'s requests that fail without an HTTP answer, with Chromium\'s error text: refusals by Chromium itself never reach the stand-in.',
      ],
      tables,
      verdicts,
      notes,
      data: {
        goalMs: GOAL_MS,
        sizes,
        samples,
        sent,
        standIn: { total: standInTotal, processing: standInProcessing, share, requests: sampleRequests.map((rs) => rs.map((r) => ({ route: routeOf(r), status: r.status, ms: r.end - r.start, afterBodyMs: r.end - r.bodyEnd }))) },
        singleSendsCheck: sendCheck,
        sendErrors,
        flush: { n: nQueued, flushS, recoveryS, ...flushRun, sentAt: flushRun.sentAt.map((t) => t - flushRun.flushedAt) },
      },
    };
  },
};
