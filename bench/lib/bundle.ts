/**
 * Bundles a browser-side entry (bench/page/*.ts: bench page scripts and the peers' set-up,
 * with their npm packages) into one classic script, with Vite, in memory.
 */
import path from 'node:path';
import { build, type Rollup } from 'vite';

export async function bundle(entry: string, opts: { minify?: boolean } = {}): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'error',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: opts.minify ?? true,
      target: 'es2022',
      lib: { entry: path.resolve(entry), formats: ['iife'], name: 'temoinBench', fileName: () => 'bundle.js' },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o): o is Rollup.OutputChunk => o.type === 'chunk');
  if (!chunk) throw new Error(`bundling ${entry} produced no script`);
  return chunk.code;
}
