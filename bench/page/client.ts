/**
 * Browser side of the bench server's command channel (bench/lib/server.ts): long-polls for
 * commands and posts each result with the next poll. No debugger is attached to the page.
 */
export type Command = { op: string; [k: string]: unknown };
export type Handler = (cmd: Command) => unknown;

export async function serve(handler: Handler): Promise<void> {
  const tab = new URLSearchParams(location.search).get('tab') ?? 'default';
  let body = '';
  for (;;) {
    let cmd: Command;
    try {
      const r = await fetch(`/__bench/poll?tab=${encodeURIComponent(tab)}`, { method: 'POST', body, cache: 'no-store' });
      cmd = (await r.json()) as Command;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    body = '';
    if (cmd.op === 'noop') continue;
    let result: unknown;
    try {
      result = await handler(cmd);
    } catch (e) {
      result = { error: String((e as Error | undefined)?.stack ?? e) };
    }
    body = JSON.stringify(result ?? null);
  }
}

/**
 * True when console.error is the browser's own function (no hook installed). Uses a fresh
 * realm's Function.prototype.toString: Sentry patches this realm's to hide its wrappers, and
 * Témoin's wrapper is a Proxy, which any realm's toString shows as `function () { [native code] }`
 * (without the name): only the browser's own function reads `function error() { [native code] }`.
 */
export const NATIVE_CONSOLE_ERROR = 'function error() { [native code] }';

export function consoleIsNative(): boolean {
  const frame = document.createElement('iframe');
  document.documentElement.appendChild(frame);
  try {
    const toString = (frame.contentWindow as (Window & typeof globalThis) | null)?.Function.prototype.toString ?? Function.prototype.toString;
    return toString.call(console.error) === NATIVE_CONSOLE_ERROR;
  } finally {
    frame.remove();
  }
}

/** A nested object of 3 levels and about 20 keys, as an app would log its state. */
export function nestedObject(n = 0): Record<string, unknown> {
  return {
    status: 'error',
    code: 503,
    retry: true,
    at: 1732700000000 + n,
    user: { id: 42, login: 'agent.dupont', roles: ['agent', 'superviseur'], prefs: { lang: 'fr', tz: 'Europe/Paris', theme: 'sombre' } },
    call: { id: `c-${n}`, direction: 'entrant', queue: { id: 7, name: 'support niveau 1', waiting: 3 } },
  };
}
