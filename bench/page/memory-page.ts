/** Memory benchmark page: floods console.error on command, spread over many tasks. */
import { consoleIsNative, nestedObject, serve, type Command } from './client';

const channel = new MessageChannel();
/** Yields to the event loop (a macrotask, without setTimeout's 4 ms clamping). */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

/** `calls` console.error calls, `perTask` per task, cycling string / new Error / new nested object. */
async function flood(calls: number, perTask: number): Promise<{ ms: number }> {
  const t0 = performance.now();
  let n = 0;
  while (n < calls) {
    for (let j = 0; j < perTask && n < calls; j++, n++) {
      const k = n % 3;
      if (k === 0) console.error(`Échec de la requête n°${n} (HTTP 500)`);
      else if (k === 1) console.error(new Error(`Cannot read properties of undefined (reading 'id_appel') #${n}`));
      else console.error(nestedObject(n));
    }
    await nextTask();
  }
  return { ms: performance.now() - t0 };
}

void serve(async (cmd: Command) => {
  if (cmd.op === 'info') return { native: consoleIsNative() };
  if (cmd.op === 'flood') return flood(cmd['calls'] as number, cmd['perTask'] as number);
  throw new Error(`unknown command ${cmd.op}`);
});
