/**
 * Launches Debian Chromium headless for a benchmark, driven over a CDP pipe (see cdp.ts).
 * Same flags as the tests (dev/chromium.ts: host-resolver rules, certificates, no background
 * networking), plus flags that keep every tab running at full speed, whether or not it is in
 * front: the benchmark compares tabs, so none may be throttled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumArgs, chromiumEnv, CHROMIUM_PATH } from '../../dev/chromium';
import { CdpConnection, CdpSession } from './cdp';
import { builtExtension } from './extension';

export interface LaunchOptions {
  /** Value for --host-resolver-rules (production hosts → a local server). */
  rules: string;
  /** Unpacked extensions to load; [] for a browser without any. Defaults to the built Témoin (this run's snapshot). */
  extensions?: string[];
  /** Extra Chromium flags (e.g. --js-flags=--expose-gc). */
  extraArgs?: string[];
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export class BenchBrowser {
  private constructor(
    readonly cdp: CdpConnection,
    private readonly proc: ChildProcess,
    private readonly userDataDir: string,
    readonly product: string,
  ) {}

  static async launch(opts: LaunchOptions): Promise<BenchBrowser> {
    const extensions = opts.extensions ?? [builtExtension()];
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-bench-profile-'));
    const base = chromiumArgs({ rules: opts.rules }).filter((a) => !a.startsWith('--load-extension=') && !a.startsWith('--disable-extensions-except='));
    const args = [
      '--headless',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      ...base,
      ...(extensions.length ? [`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`] : ['--disable-extensions']),
      '--no-default-browser-check',
      '--password-store=basic',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-features=CalculateNativeWinOcclusion,IntensiveWakeUpThrottling',
      '--window-size=1280,800',
      ...(opts.extraArgs ?? []),
      'about:blank',
    ];
    const proc = spawn(CHROMIUM_PATH, args, {
      env: chromiumEnv('fr'),
      // stdin, stdout, stderr, then the CDP pipe: fd 3 (Chromium reads), fd 4 (Chromium writes).
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    });
    const cdp = new CdpConnection(proc.stdio[3] as Writable, proc.stdio[4] as Readable);
    const version = await Promise.race([
      cdp.send<{ product: string }>('Browser.getVersion'),
      new Promise<never>((_, reject) => {
        proc.once('exit', (code) => reject(new Error(`Chromium exited early (code ${code})`)));
        setTimeout(() => reject(new Error('Chromium did not answer on the CDP pipe within 30 s')), 30_000);
      }),
    ]);
    // Needed for waitForTarget(): targetCreated/targetInfoChanged events, without attaching to anything.
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    return new BenchBrowser(cdp, proc, userDataDir, version.product);
  }

  /** Opens a tab in a window of its own (so it is visible and in front), without attaching to it. */
  async newTab(url: string): Promise<string> {
    const { targetId } = await this.cdp.send<{ targetId: string }>('Target.createTarget', { url, newWindow: true });
    return targetId;
  }

  activate(targetId: string): Promise<unknown> {
    return this.cdp.send('Target.activateTarget', { targetId });
  }

  closeTab(targetId: string): Promise<unknown> {
    return this.cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
  }

  /** Waits until a target matching pred exists (e.g. an extension's service worker). */
  async waitForTarget(pred: (t: TargetInfo) => boolean, timeoutMs = 20_000): Promise<TargetInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = (await this.targets()).find(pred);
      if (t) return t;
      if (Date.now() > deadline) throw new Error('timed out waiting for a target');
      await sleep(100);
    }
  }

  async attach(targetId: string): Promise<CdpSession> {
    const { sessionId } = await this.cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return new CdpSession(this.cdp, sessionId);
  }

  /** Waits until the extension's background service worker runs. */
  async waitForExtension(extensionId: string): Promise<void> {
    await this.waitForTarget((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  }

  async close(): Promise<void> {
    await this.cdp.send('Browser.close').catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 5000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
