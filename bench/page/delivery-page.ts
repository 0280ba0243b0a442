/**
 * Runs in a tab of Témoin's own viewer.html (an extension page, so the extension's IndexedDB and
 * chrome.runtime), for the delivery section (bench/sections/delivery.ts). Sends reports as the
 * popup's Send does (entrypoints/popup/App.tsx): `enqueue()` from lib/delivery/outbox.ts (the
 * same code, bundled), then the `flushOutbox` message in @webext-core/messaging's wire format.
 * Watches the outbox through its own change announcements (the BroadcastChannel every state
 * change posts on), as the "Mes signalements" list does.
 */
import { enqueue, getItem, OUTBOX_CHANNEL, type OutboxItem } from '../../lib/delivery/outbox';
import { database } from '../../lib/db';

interface Files {
  jpeg: Blob;
  context: Blob;
  html: Blob;
}

let files: Files | null = null;

/** A deterministic pseudo-random source (mulberry32), so every run draws the same screenshot. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 1920×1080 screenshot-like picture (panels, rows of text, a chart, some photographic noise),
 * encoded as JPEG at the quality that lands nearest `target` bytes.
 */
async function drawJpeg(target: number): Promise<Blob> {
  const w = 1920;
  const h = 1080;
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext('2d')!;
  const r = rng(7);
  g.fillStyle = '#f4f5f7';
  g.fillRect(0, 0, w, h);
  g.fillStyle = '#1a5fb4';
  g.fillRect(0, 0, w, 56);
  g.fillStyle = '#ffffff';
  g.font = '22px sans-serif';
  g.fillText('Bandeau opérateur — Axialys   ·   Agent Dupont   ·   En communication 00:03:27', 24, 36);
  for (let p = 0; p < 6; p++) {
    const x = 24 + (p % 3) * 628;
    const y = 80 + Math.floor(p / 3) * 490;
    g.fillStyle = '#ffffff';
    g.fillRect(x, y, 604, 466);
    g.strokeStyle = '#d0d4da';
    g.strokeRect(x + 0.5, y + 0.5, 603, 465);
    g.font = '15px sans-serif';
    for (let row = 0; row < 20; row++) {
      g.fillStyle = row % 2 ? '#fafbfc' : '#ffffff';
      g.fillRect(x + 1, y + 40 + row * 21, 602, 21);
      g.fillStyle = `hsl(${Math.floor(r() * 360)}, 40%, 30%)`;
      g.fillText(`${String(10 + row).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}  appel ${Math.floor(r() * 1e6)}  file ${Math.floor(r() * 40)}  ${r() > 0.8 ? 'ÉCHEC SIP 503' : 'ok'}  ${Math.floor(r() * 900)} ms`, x + 12, y + 56 + row * 21);
    }
  }
  // A chart and a photo-like area (gradients plus noise): what makes real screenshots heavy.
  const img = g.getImageData(0, 0, w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if ((x > 700 && x < 1250 && y > 600 && y < 1040) || (x > 1300 && y > 120 && y < 540)) {
        const i = (y * w + x) * 4;
        const n = (r() - 0.5) * 90;
        img.data[i] = Math.max(0, Math.min(255, 120 + 100 * Math.sin(x / 37) + n));
        img.data[i + 1] = Math.max(0, Math.min(255, 140 + 80 * Math.cos(y / 23) + n));
        img.data[i + 2] = Math.max(0, Math.min(255, 160 + 60 * Math.sin((x + y) / 51) + n));
      }
    }
  }
  g.putImageData(img, 0, 0);
  let lo = 0.3;
  let hi = 0.98;
  let best: Blob | null = null;
  for (let step = 0; step < 9; step++) {
    const q = (lo + hi) / 2;
    const b = await canvas.convertToBlob({ type: 'image/jpeg', quality: q });
    if (!best || Math.abs(b.size - target) < Math.abs(best.size - target)) best = b;
    if (b.size > target) hi = q;
    else lo = q;
  }
  return best!;
}

async function prepare(opts: { jpegTarget: number; context: string; html: string }): Promise<{ jpeg: number; context: number; html: number }> {
  // The service worker creates the database at start; wait for it (the popup never races it either).
  for (let i = 0; i < 200 && !(await indexedDB.databases()).some((d) => d.name === 'temoin' && (d.version ?? 0) >= 2); i++) await new Promise((r) => setTimeout(r, 50));
  await database();
  files = {
    jpeg: await drawJpeg(opts.jpegTarget),
    context: new Blob([opts.context], { type: 'application/json' }),
    html: new Blob([opts.html], { type: 'text/html' }),
  };
  return { jpeg: files.jpeg.size, context: files.context.size, html: files.html.size };
}

const newId = (): string => `TMN-${crypto.randomUUID()}`;

/** The popup's Send: the report into the outbox. */
async function enqueueReport(id: string): Promise<void> {
  if (!files) throw new Error('prepare() first');
  await enqueue({
    id,
    createdAt: Date.now(),
    surface: 'bar',
    title: '[Bandeau opérateur] Plus de son après le transfert',
    bodyHtml: '<p>Plus de son après le transfert vers la file support niveau 2.</p><p>Surface : bandeau opérateur · Agent : Dupont · Heure : 14:03:27 (Paris)</p>',
    attachments: [
      { filename: 'capture-1.jpg', mimeType: 'image/jpeg', data: files.jpeg },
      { filename: 'context.json', mimeType: 'application/json', data: files.context },
      { filename: 'report.html', mimeType: 'text/html', data: files.html },
    ],
  });
}

/** The popup's `sendMessage('flushOutbox', undefined)`, in @webext-core/messaging's wire format. */
function flush(): Promise<unknown> {
  return chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type: 'flushOutbox', timestamp: Date.now() });
}

export interface SendSample {
  id: string;
  /** Date.now() when Send started (epoch ms, the machine clock shared with node). */
  startedAt: number;
  /** ms from Send: the outbox holds the report (enqueue resolved). */
  enqueued: number;
  /** ms from Send: the flushOutbox message answered. */
  messaged: number;
  /** ms from Send: the record first seen `sending`. */
  sending: number;
  /** ms from Send: the record first seen with its ticket (the 201 answered and saved). */
  ticket: number;
  /** ms from Send: the record seen `sent` (articles read back, every attachment verified). */
  sent: number;
  /** The worker's own clock at its `sent` write (record.updatedAt), ms from Send. */
  sentWrite: number;
  state: string;
  ticketNumber: string | null;
  attempts: number;
}

/** One report from Send to `sent`, with the milestones seen on the outbox's change channel. */
async function sendOne(timeoutMs: number): Promise<SendSample> {
  const id = newId();
  let t0 = performance.now();
  const marks: { sending: number; ticket: number; sent: number } = { sending: NaN, ticket: NaN, sent: NaN };
  let last: OutboxItem | null = null;
  const ch = new BroadcastChannel(OUTBOX_CHANNEL);
  let check: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${id} not sent within ${timeoutMs} ms (last state ${last?.state ?? 'none'}: ${last?.lastError ?? last?.reason?.key ?? ''})`)), timeoutMs);
    let reading = false;
    let pending = false;
    check = () => {
      if (reading) {
        pending = true;
        return;
      }
      reading = true;
      void getItem(id)
        .then((item) => {
          const t = performance.now() - t0;
          last = item;
          if (!item) return;
          if (item.state !== 'queued' && Number.isNaN(marks.sending)) marks.sending = t;
          if (item.ticket && Number.isNaN(marks.ticket)) marks.ticket = t;
          if (item.state === 'sent') {
            marks.sent = t;
            clearTimeout(timer);
            resolve();
          } else if (item.state === 'needs-attention') {
            clearTimeout(timer);
            reject(new Error(`${id} needs attention: ${item.reason?.key} ${item.reason?.detail}`));
          }
        })
        .finally(() => {
          reading = false;
          if (pending) {
            pending = false;
            check();
          }
        });
    };
  });
  ch.onmessage = () => check();
  const startedAt = Date.now();
  t0 = performance.now();
  try {
    await enqueueReport(id);
    const enqueued = performance.now() - t0;
    await flush();
    const messaged = performance.now() - t0;
    check();
    await done;
    const item = last as OutboxItem | null;
    return {
      id,
      startedAt,
      enqueued,
      messaged,
      sending: marks.sending,
      ticket: marks.ticket,
      sent: marks.sent,
      sentWrite: item ? item.updatedAt - startedAt : NaN,
      state: item?.state ?? 'missing',
      ticketNumber: item?.ticket?.number ?? null,
      attempts: item?.attempts ?? -1,
    };
  } finally {
    ch.close();
  }
}

/** Queues n reports (each a Send, without its flush message); returns their markers. */
async function queueMany(n: number): Promise<{ ids: string[]; ms: number }> {
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newId();
    await enqueueReport(id);
    ids.push(id);
  }
  return { ids, ms: performance.now() - t0 };
}

export interface OutboxCensus {
  /** How many of the ids are in each state (missing: not in the outbox). */
  states: Record<string, number>;
  minAttempts: number;
  maxAttempts: number;
  /** Reports whose next attempt will search their marker first (an ambiguous failure). */
  maybeCommitted: number;
  /** The distinct last errors. */
  errors: string[];
  /** ms from now until the last queued report falls due (its backoff), max over them. */
  dueInMax: number;
  dueInMin: number;
}

async function census(ids: string[]): Promise<OutboxCensus> {
  const db = await database();
  const all = new Map((await db.getAll('outbox')).map((i) => [i.id, i]));
  const states: Record<string, number> = {};
  let minAttempts = Infinity;
  let maxAttempts = 0;
  let maybeCommitted = 0;
  const errors = new Set<string>();
  const now = Date.now();
  let dueInMax = -Infinity;
  let dueInMin = Infinity;
  for (const id of ids) {
    const item = all.get(id);
    const s = item?.state ?? 'missing';
    states[s] = (states[s] ?? 0) + 1;
    if (!item) continue;
    minAttempts = Math.min(minAttempts, item.attempts);
    maxAttempts = Math.max(maxAttempts, item.attempts);
    if (item.maybeCommitted) maybeCommitted++;
    if (item.lastError) errors.add(item.lastError);
    if (item.state === 'queued') {
      dueInMax = Math.max(dueInMax, item.nextAttemptAt - now);
      dueInMin = Math.min(dueInMin, item.nextAttemptAt - now);
    }
  }
  return { states, minAttempts, maxAttempts, maybeCommitted, errors: [...errors], dueInMax, dueInMin };
}

/**
 * Every queued report of `ids` made due now (nextAttemptAt = 0, in one transaction): stands for
 * their backoff having elapsed. Returns how many were changed.
 */
async function makeDue(ids: string[]): Promise<number> {
  const db = await database();
  const tx = db.transaction('outbox', 'readwrite');
  let n = 0;
  for (const id of ids) {
    const item = await tx.store.get(id);
    if (item && item.state === 'queued' && item.nextAttemptAt > 0) {
      await tx.store.put({ ...item, nextAttemptAt: 0 });
      n++;
    }
  }
  await tx.done;
  return n;
}

/**
 * Sends flushOutbox, then waits until every id is `sent` (or `timeoutMs`). Times are Date.now()
 * (epoch ms). `sentAt` per report is the worker's write of its `sent` state (record.updatedAt).
 */
async function flushUntilSent(ids: string[], timeoutMs: number): Promise<{ flushedAt: number; allSentAt: number; sentAt: number[]; census: OutboxCensus; timedOut: boolean }> {
  const db = await database();
  const want = new Set(ids);
  const flushedAt = Date.now();
  await flush();
  const deadline = flushedAt + timeoutMs;
  let allSentAt = NaN;
  for (;;) {
    const sentKeys = await db.getAllKeysFromIndex('outbox', 'byState', 'sent');
    const n = sentKeys.filter((k) => want.has(k)).length;
    if (n === want.size) {
      allSentAt = Date.now();
      break;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const sentAt: number[] = [];
  for (const id of ids) {
    const item = await getItem(id);
    if (item?.state === 'sent') sentAt.push(item.updatedAt);
  }
  return { flushedAt, allSentAt, sentAt, census: await census(ids), timedOut: Number.isNaN(allSentAt) };
}

declare global {
  interface Window {
    __temoinDelivery: {
      prepare: typeof prepare;
      sendOne: typeof sendOne;
      queueMany: typeof queueMany;
      census: typeof census;
      makeDue: typeof makeDue;
      flush: typeof flush;
      flushUntilSent: typeof flushUntilSent;
    };
  }
}

window.__temoinDelivery = { prepare, sendOne, queueMany, census, makeDue, flush, flushUntilSent };
