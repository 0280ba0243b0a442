/** What the figures were measured on. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { CHROMIUM_PATH } from '../../dev/chromium';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  /** 1, 5 and 15 minute load averages when the section started: other jobs share the machine. */
  loadAvg: number[];
}

let chromiumVersion: string | undefined;

function chromium(): string {
  if (chromiumVersion === undefined) {
    try {
      // The Debian wrapper script prints shell noise on stderr; the version is stdout's first line.
      chromiumVersion = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0] ?? 'unknown';
    } catch {
      chromiumVersion = 'unknown';
    }
  }
  return chromiumVersion;
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty}, Linux ${os.release()}`;
  } catch {
    /* not Linux */
  }
  return `${os.type()} ${os.release()}`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: (cpus[0]?.model ?? 'unknown CPU').trim(),
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.version,
    chromium: chromium(),
    loadAvg: os.loadavg(),
  };
}
