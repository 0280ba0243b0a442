/** CPU profiles of a matched bench page, for the tools that show where Témoin's time goes. */
import { AXIALYS_BAR_HOST } from '../../dev/hosts';
import { BenchBrowser } from './browser';
import { bundle } from './bundle';
import type { CdpSession } from './cdp';
import { snapshotBuild, temoinExtensionId } from './extension';
import { startBenchServer, type BenchServer } from './server';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** µs per function (`name  file:line:column`): self and inclusive time, and the profile's whole time. */
export function profileTimes(profile: CpuProfile): { self: Map<string, number>; total: Map<string, number>; all: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.split('/').pop() || ''}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const leaf = name(byId.get(id)!);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const k = name(byId.get(p)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + dt);
      seen.add(k);
    }
  });
  return { self, total, all };
}

/** The hottest entries of a time map, highest first. */
export const hottest = (m: Map<string, number>, n = 40): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);

/**
 * The bench console page (bench/page/console-page.ts) on the operator bar's host, in a browser
 * with the built extension; `use` gets the server (to send the page commands, tab "p") and a CDP
 * session on the tab. Everything is closed afterwards.
 */
export async function withMatchedConsolePage(use: (server: BenchServer, session: CdpSession) => Promise<void>): Promise<void> {
  await snapshotBuild();
  const server = await startBenchServer();
  server.route('/__bench/console-page.js', await bundle('bench/page/console-page.ts', { minify: false }), 'text/javascript');
  server.route('/__bench/profile.html', '<!doctype html><meta charset="utf-8"><script src="/__bench/console-page.js"></script><p>profile</p>');
  const browser = await BenchBrowser.launch({ rules: server.rules });
  try {
    await browser.waitForExtension(temoinExtensionId());
    const target = await browser.newTab(`https://${AXIALYS_BAR_HOST}/__bench/profile.html?tab=p`);
    await server.ready('p');
    await use(server, await browser.attach(target));
  } finally {
    await browser.close();
    await server.close();
  }
}
