/**
 * A minimal Chrome DevTools Protocol client over Chromium's --remote-debugging-pipe
 * (fd 3: we write, fd 4: Chromium writes; messages are JSON terminated by a NUL byte).
 *
 * The benchmark drives Chromium itself instead of through Playwright because Playwright attaches
 * to every page of its contexts and enables the Runtime domain there, which makes every
 * console call several times slower (shared/docs/measured-baselines.md). Here a page is only
 * attached when a section asks for it, and only the domains it sends are used.
 */
import type { Readable, Writable } from 'node:stream';

/** Loose JSON shape of CDP results and event parameters. */
export type CdpParams = Record<string, unknown>;

interface Pending {
  method: string;
  resolve(v: CdpParams): void;
  reject(e: Error): void;
}

export interface CdpEvent {
  method: string;
  params: CdpParams;
  sessionId?: string;
}

export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: CdpEvent) => void>();
  private chunks: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.on('close', () => this.onClose());
    out.on('error', () => this.onClose());
  }

  send<T = CdpParams>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`CDP connection closed (${method})`));
    const id = this.nextId++;
    const msg = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: CdpParams) => void, reject });
      this.out.write(msg + '\0');
    });
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  on(fn: (e: CdpEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the first event of that method (and session) matching the predicate. */
  waitFor(method: string, pred: (p: CdpParams) => boolean = () => true, timeoutMs = 30_000, sessionId?: string): Promise<CdpParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const off = this.on((e) => {
        if (e.method !== method || (sessionId && e.sessionId !== sessionId) || !pred(e.params)) return;
        clearTimeout(timer);
        off();
        resolve(e.params);
      });
    });
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (let i = chunk.indexOf(0); i !== -1; i = chunk.indexOf(0, start)) {
      this.chunks.push(chunk.subarray(start, i));
      const text = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      start = i + 1;
      this.dispatch(text);
    }
    if (start < chunk.length) this.chunks.push(chunk.subarray(start));
  }

  private dispatch(text: string): void {
    const msg = JSON.parse(text) as { id?: number; result?: CdpParams; error?: { message: string }; method?: string; params?: CdpParams; sessionId?: string };
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (msg.method) {
      const e: CdpEvent = { method: msg.method, params: msg.params ?? {}, ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) };
      for (const fn of [...this.listeners]) fn(e);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error(`CDP connection closed (${p.method})`));
    this.pending.clear();
  }
}

/** A flat-mode session attached to one target. */
export class CdpSession {
  constructor(
    readonly cdp: CdpConnection,
    readonly id: string,
  ) {}

  send<T = CdpParams>(method: string, params: object = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.id);
  }

  /**
   * Evaluates an expression in the target's main world and returns its JSON value (promises
   * awaited). Does not enable the Runtime domain: no console events are subscribed to.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  detach(): Promise<unknown> {
    return this.cdp.send('Target.detachFromTarget', { sessionId: this.id });
  }
}
