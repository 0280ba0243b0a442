#!/usr/bin/env node
// Entry point of `npm start` and `npm test`. Dependency-free on purpose: on a fresh machine it
// installs what is missing (Debian chromium and firefox-esr, node_modules), then hands over.
//   npm start [-- --smoke]   build, start the demo surfaces + Zammad stand-in, launch Chromium
//   npm test                 typecheck, unit, stand-in, build, Chromium e2e, Firefox, web-ext lint, smoke
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const [mode = 'start', ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env, ...opts });
  return r.status ?? 1;
}

function ensureBrowsers() {
  const missing = [
    ['/usr/bin/chromium', 'chromium'],
    // Debian ships Chromium's translations apart; without them the extension UI is English-only.
    ['/usr/lib/chromium/locales/fr.pak', 'chromium-l10n'],
    ['/usr/bin/firefox-esr', 'firefox-esr'],
    // A real STUN server (coturn) for the UDP pre-check tests.
    ['/usr/bin/turnserver', 'coturn'],
  ].filter(([bin]) => !fs.existsSync(bin)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${missing.join(' ')} (Debian)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0 || run('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0) {
    console.error(`apt-get failed: install ${missing.join(' ')} by hand, then retry.`);
    process.exit(1);
  }
}

function ensureDeps() {
  const marker = 'node_modules/.package-lock.json';
  const stale = !fs.existsSync(marker) || fs.statSync('package-lock.json').mtimeMs > fs.statSync(marker).mtimeMs;
  if (stale && run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
  if (!fs.existsSync('.wxt/tsconfig.json') && run('npx', ['wxt', 'prepare']) !== 0) process.exit(1);
}

function build() {
  return run('npx', ['wxt', 'build']) === 0 && run('npx', ['wxt', 'build', '-b', 'firefox']) === 0;
}

ensureBrowsers();
ensureDeps();

if (mode === 'start') {
  if (!build()) process.exit(1);
  process.exit(run('npx', ['tsx', 'dev/start.ts', ...rest]));
}

if (mode !== 'test') {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

// ---- npm test: every suite, then one line "N passed, N failed" ----
const results = [];
const readJson = (f) => {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch {
    return null;
  }
};
fs.rmSync('test-results', { recursive: true, force: true });
fs.mkdirSync('test-results', { recursive: true });

function check(name, ok) {
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

check('typecheck', run('npx', ['tsc', '--noEmit']) === 0);

run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']);
const v = readJson('test-results/vitest.json');
results.push(v ? { name: 'vitest (unit + Zammad stand-in)', passed: v.numPassedTests, failed: v.numFailedTests + (v.numTotalTests === 0 ? 1 : 0) } : { name: 'vitest', passed: 0, failed: 1 });

const built = build();
check('build (chrome-mv3, firefox-mv2)', built);

if (built) {
  run('npx', ['playwright', 'test']);
  const p = readJson('test-results/playwright.json');
  results.push(
    p ? { name: 'playwright (Chromium e2e + Firefox)', passed: p.stats.expected + p.stats.flaky, failed: p.stats.unexpected + (p.stats.expected + p.stats.flaky + p.stats.unexpected === 0 ? 1 : 0) } : { name: 'playwright', passed: 0, failed: 1 },
  );

  const lint = spawnSync('npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv2', '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
  let lintErrors = 1;
  try {
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
    lintErrors = report.summary.errors;
    for (const m of [...report.errors, ...report.warnings]) console.log(`web-ext lint ${m._type}: ${m.code} ${m.file ?? ''} ${m.message}`);
  } catch {
    console.log(lint.stdout, lint.stderr);
  }
  console.log(`web-ext lint: ${lintErrors} errors`);
  check('web-ext lint (0 errors)', lintErrors === 0);

  check('npm start -- --smoke', run('npx', ['tsx', 'dev/start.ts', '--smoke']) === 0);
}

console.log('\nSuites:');
for (const r of results) console.log(`  ${r.failed ? '✗' : '✓'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
