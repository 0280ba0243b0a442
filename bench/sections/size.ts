/** Section "size": gzip -9 size of the built page hook, the script injected into every Axialys frame. */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { hookFile, hookHasSourceUrl } from '../lib/extension';
import type { Section } from '../lib/section';

const BUDGET = 4096;

export const sizeSection: Section = {
  id: 'size',
  title: 'Page hook size',
  async run() {
    const raw = fs.readFileSync(hookFile());
    const gz = zlib.gzipSync(raw, { level: 9 }).length;
    const pass = gz <= BUDGET;
    return {
      method: [`\`.output/chrome-mv3/content-scripts/page-hook.js\` from \`wxt build\` (as copied at the start of the run), compressed with gzip level 9 (Node's zlib, as \`gzip -9\`).`],
      tables: [
        {
          columns: ['File', 'Bytes', 'gzip -9 bytes', 'Budget', 'Headroom'],
          rows: [['content-scripts/page-hook.js', String(raw.length), String(gz), String(BUDGET), String(BUDGET - gz)]],
        },
      ],
      verdicts: [{ name: 'page-hook.js gzip -9', goal: `≤ ${BUDGET} bytes`, measured: `${gz} bytes, ${(gz / BUDGET).toFixed(3)}× the budget`, pass }],
      notes: [`The built hook ${hookHasSourceUrl() ? 'ends with' : '**lacks**'} its \`//# sourceURL=temoin-page-hook.js\` comment (see the console section).`],
      data: { file: 'content-scripts/page-hook.js', bytes: raw.length, gzip9: gz, budget: BUDGET, sourceUrl: hookHasSourceUrl() },
    };
  },
};
