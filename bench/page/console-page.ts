/**
 * Console benchmark page: times batches of console.error calls in-page with performance.now().
 * Loaded after the variant's hook (Témoin's content script at document_start, or a peer's script).
 */
import { consoleIsNative, nestedObject, serve, type Command } from './client';

type Kind = 'string' | 'error' | 'object';

const NESTED = nestedObject();
const makers: Record<Kind, () => unknown> = {
  string: () => 'Échec de la mise à jour du statut (HTTP 500)',
  // A new Error each call: V8 formats a stack lazily, once per Error, as in real code.
  error: () => new Error("Cannot read properties of undefined (reading 'id_appel')"),
  object: () => NESTED,
};

const channel = new MessageChannel();
let resume: (() => void) | null = null;
channel.port1.onmessage = () => resume?.();
/** A task boundary: resolves in a new task, after the tasks already queued (e.g. a hook's posted batch). */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    resume = resolve;
    channel.port2.postMessage(null);
  });
const zeroTimer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * `calls` console.error calls, `every` calls per task, then a task boundary: what a call costs
 * in microtasks or in tasks a hook posts meanwhile (a MessageChannel batch) is inside the timed
 * region, and so is a zero-delay timer at the end. every=1 is an error now and then, every=50 a burst.
 * Returns µs per call, in total and within the callers' tasks (the calls alone, summed per task).
 */
async function sample(kind: Kind, calls: number, every: number): Promise<{ us: number; inTaskUs: number }> {
  const make = makers[kind];
  await nextTask();
  let inTask = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; ) {
    const end = Math.min(calls, i + every);
    const a = performance.now();
    for (; i < end; i++) console.error(make());
    inTask += performance.now() - a;
    await nextTask();
  }
  await zeroTimer();
  const t1 = performance.now();
  return { us: ((t1 - t0) * 1000) / calls, inTaskUs: (inTask * 1000) / calls };
}

void serve(async (cmd: Command) => {
  if (cmd.op === 'info') return { native: consoleIsNative(), visibility: document.visibilityState, peer: (window as { __benchPeer?: string }).__benchPeer ?? null };
  if (cmd.op === 'spin') {
    // A fixed amount of work (about 0.2–0.5 s of CPU), so that the harness can tell which
    // renderer process runs this tab, however loaded the machine is.
    let x = 0;
    for (let i = 0; i < (cmd['iterations'] as number); i++) x += Math.sqrt(i) % 7;
    return { x };
  }
  if (cmd.op === 'paced') {
    // One call per timer task, `intervalMs` apart: an error now and then, slower than Témoin's rate
    // limit (50 a second per kind), so every call is serialized, validated, scrubbed and kept.
    const make = makers[cmd['kind'] as Kind];
    for (let i = 0; i < (cmd['calls'] as number); i++) {
      console.error(make());
      await new Promise((r) => setTimeout(r, cmd['intervalMs'] as number));
    }
    return { visibility: document.visibilityState };
  }
  if (cmd.op === 'sample') return { ...(await sample(cmd['kind'] as Kind, cmd['calls'] as number, cmd['every'] as number)), visibility: document.visibilityState };
  throw new Error(`unknown command ${cmd.op}`);
});
