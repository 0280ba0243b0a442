/**
 * A small client for Firefox's Remote Debugging Protocol (the one about:debugging and web-ext
 * use), enough to run code in a WebExtension's background page from a test. WebDriver BiDi cannot
 * reach moz-extension:// documents; the devtools server can.
 *
 * Firefox must be started with `-start-debugger-server <port>` and the prefs in RDP_PREFS.
 * Wire format: `<byte length>:<JSON>` packets; every request names an actor (`to`), every reply
 * comes `from` it, in order per actor. Unsolicited packets (events) carry a `type`.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export const RDP_PREFS = {
  'devtools.debugger.remote-enabled': true,
  'devtools.chrome.enabled': true,
  'devtools.debugger.prompt-connection': false,
} as const;

/** A free TCP port on 127.0.0.1 (closed again before Firefox binds it). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

type Packet = { from?: string; type?: string; error?: string; message?: string; [k: string]: unknown };

export class RdpError extends Error {}

export class RdpClient {
  private buf = Buffer.alloc(0);
  private pending = new Map<string, { resolve(p: Packet): void; reject(e: Error): void }[]>();
  private listeners = new Set<(p: Packet) => void>();
  private closed: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      this.closed ??= e;
      for (const queue of this.pending.values()) for (const w of queue) w.reject(e);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new RdpError('RDP connection closed')));
  }

  /** Connects, retrying until `timeoutMs` (the server starts with the browser), and reads the greeting. */
  static async connect(port: number, timeoutMs = 20_000): Promise<RdpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        const client = new RdpClient(socket);
        const greeting = await client.expect('root', 5_000);
        if (greeting.applicationType === undefined) throw new RdpError(`unexpected greeting ${JSON.stringify(greeting)}`);
        return client;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const colon = this.buf.indexOf(0x3a); // ':'
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(len)) {
        this.socket.destroy(new RdpError(`bad RDP frame header: ${this.buf.subarray(0, Math.min(colon, 40)).toString()}`));
        return;
      }
      if (this.buf.length < colon + 1 + len) return;
      const packet = JSON.parse(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8')) as Packet;
      this.buf = this.buf.subarray(colon + 1 + len);
      this.dispatch(packet);
    }
  }

  private dispatch(p: Packet): void {
    for (const l of this.listeners) l(p);
    // Events (a `type` other than an error reply) never answer a request.
    const isEvent = typeof p.type === 'string' && p.error === undefined && !(p.from === 'root' && p.applicationType);
    if (isEvent) return;
    const queue = p.from ? this.pending.get(p.from) : undefined;
    const waiter = queue?.shift();
    if (!waiter) return;
    if (p.error) waiter.reject(new RdpError(`${p.from}: ${p.error}${p.message ? ` (${p.message})` : ''}`));
    else waiter.resolve(p);
  }

  private expect(actor: string, timeoutMs: number): Promise<Packet> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<Packet>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RdpError(`no reply from ${actor} in ${timeoutMs} ms`)), timeoutMs);
      const queue = this.pending.get(actor) ?? [];
      queue.push({
        resolve: (p) => (clearTimeout(timer), resolve(p)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.pending.set(actor, queue);
    });
  }

  /** Sends `{ to, type, ...rest }` and resolves with the actor's reply. */
  request(to: string, type: string, rest: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<Packet> {
    const reply = this.expect(to, timeoutMs);
    const body = Buffer.from(JSON.stringify({ to, type, ...rest }), 'utf8');
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    return reply;
  }

  /** Every packet, as it arrives (returns the unsubscribe). */
  onPacket(l: (p: Packet) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A grip (the protocol's value encoding) back to a plain value, for the kinds a test returns. */
async function fromGrip(client: RdpClient, grip: unknown): Promise<unknown> {
  if (grip === null || typeof grip !== 'object') return grip;
  const g = grip as { type?: string; initial?: string; length?: number; actor?: string; class?: string };
  switch (g.type) {
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    case 'longString': {
      const reply = await client.request(g.actor!, 'substring', { start: 0, end: g.length });
      return reply.substring as string;
    }
    default:
      throw new RdpError(`cannot read back a ${g.type ?? 'value'} ${g.class ?? ''} grip: return JSON from the page instead`);
  }
}

/** A console message or error logged by a target, as the devtools server reports it. */
export interface ConsoleEntry {
  kind: string;
  level: string;
  text: string;
}

function entryText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const g = v as { type?: string; initial?: string; class?: string; preview?: { message?: string; name?: string } };
    if (g.type === 'longString') return `${g.initial ?? ''}…`;
    if (g.preview?.message !== undefined) return `${g.preview.name ?? g.class ?? 'Error'}: ${g.preview.message}`;
    if (g.type) return `[${g.type}${g.class ? ` ${g.class}` : ''}]`;
  }
  return JSON.stringify(v);
}

/**
 * The background page of an installed add-on, reached through the devtools server the way
 * about:debugging does it: `listAddons` on the root actor, `getWatcher` on the add-on's
 * descriptor, `watchTargets('frame')` on the watcher; the background page is the frame target
 * whose URL is the manifest's background page, and evaluation goes through its console actor.
 * (Firefox 153 has no `getTarget` on the descriptor any more.) The watcher also streams the
 * add-on's console messages and errors, kept in `console`.
 */
export class AddonBackground {
  private constructor(
    private readonly client: RdpClient,
    readonly consoleActor: string,
    readonly targetActor: string,
    readonly url: string,
    /** Console messages and uncaught errors of the add-on's documents, in order (still growing). */
    readonly console: ConsoleEntry[],
  ) {}

  static async attach(client: RdpClient, addonId: string, timeoutMs = 20_000): Promise<AddonBackground> {
    const deadline = Date.now() + timeoutMs;
    // A just-installed add-on may be listed before its policy is active (not yet debuggable).
    let addon: { id: string; actor: string; debuggable?: boolean; manifestURL?: string } | undefined;
    for (;;) {
      const { addons } = (await client.request('root', 'listAddons')) as unknown as { addons: (typeof addon & {})[] };
      addon = addons.find((a) => a.id === addonId);
      if (addon?.debuggable) break;
      if (Date.now() > deadline) throw new RdpError(`add-on ${addonId} ${addon ? 'not debuggable' : `not listed (got ${addons.map((a) => a.id).join(', ')})`}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const base = addon.manifestURL!.replace(/manifest\.json$/, '');
    const { actor: watcher } = (await client.request(addon.actor, 'getWatcher', { isServerTargetSwitchingEnabled: true })) as unknown as { actor: string };

    type TargetForm = { actor: string; consoleActor?: string; url?: string };
    const targets: TargetForm[] = [];
    const entries: ConsoleEntry[] = [];
    client.onPacket((p) => {
      if (p.from === watcher && p.type === 'target-available-form') targets.push(p.target as TargetForm);
      if (p.from === watcher && p.type === 'target-destroyed-form') {
        const gone = (p.target as TargetForm).actor;
        targets.splice(0, targets.length, ...targets.filter((t) => t.actor !== gone));
      }
      // Resources come from the target actors (server-side target switching), or the watcher.
      if (p.type === 'resources-available-array' && (p.from === watcher || targets.some((t) => t.actor === p.from))) {
        for (const [kind, list] of p.array as [string, Record<string, any>[]][]) {
          for (const r of list) {
            if (kind === 'console-message') {
              const m = r.message ?? r;
              entries.push({ kind, level: String(m.level), text: (m.arguments ?? []).map(entryText).join(' ') });
            } else if (kind === 'error-message') {
              const m = r.pageError ?? r;
              entries.push({ kind, level: m.warning ? 'warning' : 'error', text: `${entryText(m.errorMessage)}${m.sourceName ? ` (${m.sourceName}:${m.lineNumber})` : ''}` });
            }
          }
        }
      }
    });
    // Every existing target is announced before watchTargets answers.
    await client.request(watcher, 'watchTargets', { targetType: 'frame' });
    await client.request(watcher, 'watchResources', { resourceTypes: ['console-message', 'error-message'] });
    for (;;) {
      const bg = targets.find((t) => t.url?.startsWith(base) && /background/.test(t.url) && t.consoleActor);
      if (bg) return new AddonBackground(client, bg.consoleActor!, bg.actor, bg.url!, entries);
      if (Date.now() > deadline) throw new RdpError(`no background page among ${JSON.stringify(targets.map((t) => t.url))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Evaluates `expression` in the background page and resolves with its value; a promise is
   * awaited (the console's top-level-await mapping). A thrown error rejects with its message; a
   * rejected promise rejects without one (use `call` to get the page's error).
   * Return primitives or JSON strings: objects come back as grips, which this client refuses.
   */
  async evaluate(expression: string, timeoutMs = 30_000): Promise<unknown> {
    // The reply to evaluateJSAsync only carries a resultID; the value comes as an event. Listen
    // before asking, and match on the id once it is known.
    const results: Packet[] = [];
    let wanted: string | null = null;
    let done: ((p: Packet) => void) | null = null;
    const off = this.client.onPacket((p) => {
      if (p.from !== this.consoleActor || p.type !== 'evaluationResult') return;
      if (wanted !== null && p.resultID === wanted) done?.(p);
      else results.push(p);
    });
    try {
      const ack = await this.client.request(this.consoleActor, 'evaluateJSAsync', { text: expression, mapped: { await: true } });
      wanted = ack.resultID as string;
      const early = results.find((p) => p.resultID === wanted);
      const result =
        early ??
        (await new Promise<Packet>((resolve, reject) => {
          const timer = setTimeout(() => reject(new RdpError(`no evaluation result in ${timeoutMs} ms for: ${expression.slice(0, 80)}`)), timeoutMs);
          done = (p) => (clearTimeout(timer), resolve(p));
        }));
      if (result.hasException || result.exceptionMessage) {
        throw new RdpError(`in the background page: ${entryText(result.exceptionMessage ?? result.exception)}`);
      }
      // A rejected promise: the server only says so (call() turns rejections into values).
      if (result.topLevelAwaitRejected) throw new RdpError(`in the background page: the promise was rejected (${expression.slice(0, 80)})`);
      return await fromGrip(this.client, result.result);
    } finally {
      off();
    }
  }

  /**
   * `fn` (a self-contained function, serialized with toString) called in the background page with
   * `arg` (JSON); resolves with its result through JSON. A throw or rejection in the page rejects
   * here with the page's message and stack (the protocol itself only says a top-level await was
   * rejected).
   */
  async call<T>(fn: (arg: any) => Promise<T> | T, arg?: unknown, timeoutMs?: number): Promise<T> {
    const text = `(async () => {
      try {
        const value = await (${fn.toString()})(${JSON.stringify(arg ?? null)});
        return JSON.stringify({ ok: true, value: value === undefined ? null : value });
      } catch (e) {
        return JSON.stringify({ ok: false, error: String(e && e.stack ? e + '\\n' + e.stack : e) });
      }
    })()`;
    const reply = JSON.parse((await this.evaluate(text, timeoutMs)) as string) as { ok: boolean; value?: T; error?: string };
    if (!reply.ok) throw new RdpError(`in the background page: ${reply.error}`);
    return reply.value as T;
  }
}
