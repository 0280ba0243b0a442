/**
 * Témoin's benchmark harness: `npm run bench` (builds first), or `npx tsx bench/run.ts [ids…] [--quick]`
 * to run some sections against the current build. Writes bench/results.json (by section; sections
 * not run keep their last figures) and bench/results.md.
 */
import { snapshotBuild } from './lib/extension';
import { machineInfo } from './lib/machine';
import { writeResults, type SectionResult } from './lib/results';
import type { Section } from './lib/section';
import { consoleSection } from './sections/console';
import { deliverySection } from './sections/delivery';
import { memorySection } from './sections/memory';
import { pageLoadSection } from './sections/pageload';
import { popupSection } from './sections/popup';
import { screenshotSection } from './sections/screenshot';
import { sizeSection } from './sections/size';

/** Run order and the order of results.md. */
const SECTIONS: Section[] = [consoleSection, screenshotSection, pageLoadSection, memorySection, popupSection, deliverySection, sizeSection];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const ids = args.filter((a) => !a.startsWith('--'));
  const unknown = ids.filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.id).join(', ')}`);
  const selected = ids.length ? SECTIONS.filter((s) => ids.includes(s.id)) : SECTIONS;
  await snapshotBuild();

  const started = Date.now();
  const ran: SectionResult[] = [];
  for (const section of selected) {
    const t0 = Date.now();
    const log = (msg: string) => process.stderr.write(`[bench ${section.id}] ${msg}\n`);
    log(quick ? 'start (quick: figures are not meaningful)' : 'start');
    const machine = machineInfo();
    const out = await section.run({ log, quick });
    const result: SectionResult = { id: section.id, title: section.title, ranAt: new Date(t0).toISOString(), durationSec: (Date.now() - t0) / 1000, machine, ...out };
    ran.push(result);
    for (const v of result.verdicts) log(`${v.pass === null ? 'N/A ' : v.pass ? 'PASS' : 'MISS'} ${v.name}: ${v.measured} (goal ${v.goal})`);
    log(`done in ${Math.round(result.durationSec)} s`);
    // Write after each section, so that a later failure keeps what was measured.
    writeResults(ran, SECTIONS.map((s) => s.id));
  }
  process.stderr.write(`[bench] ${ran.length} section(s) in ${Math.round((Date.now() - started) / 1000)} s: bench/results.md, bench/results.json\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
