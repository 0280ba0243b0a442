import type { TabSnapshot } from '../capture/snapshot';
import { issueCounts } from '../replay/model';
import { scrubDeep, scrubUrl } from '../capture/scrub';
import type { Surface } from '../surfaces/rules';
import { CHECKLISTS, prefill } from './checklist';
import { faultMs, type Draft } from './draft';
import type { OwnSide } from './own-side';
import { REPORT_SCHEMA_VERSION, ReportSchema, type Report, type ReportScreenshot } from './schema';
import { moment, type Lang } from './time';

/**
 * Freezes what the user confirmed (the draft), what the tab told Témoin (the snapshot) and the
 * own-side checks into the one report (`schema.ts`): what the preview shows, what is filed, and
 * what report.html renders. Pure: the caller supplies the clock, the ids and the labels.
 */

/** What the user chose to send, from the preview's toggles. */
export interface Include {
  /** Console messages (the page's logs) in the timeline. */
  console: boolean;
  /** Request details (method, URL, status) in the timeline. */
  network: boolean;
  /** The public IP address the STUN check saw (the workstation's internet exit). */
  publicIp: boolean;
}
export const DEFAULT_INCLUDE: Include = { console: true, network: true, publicIp: true };

export interface AssembleInput {
  id: string;
  version: string;
  lang: Lang;
  userZone: string;
  now: number;
  draft: Draft;
  snap: TabSnapshot;
  ownSide: OwnSide | null;
  include: Include;
  screenshots: ReportScreenshot[];
  /** The checklist's labels in the reporter's language (`check_<id>`). */
  label(id: string): string;
}

/** Checklist items whose value names the reporter (first found wins). */
const USER_ITEMS = ['agentLogin', 'supervisorLogin', 'adminLogin', 'agentName'];

/** The live frame that shows the surface (the top frame first), else the top frame. */
export function surfaceFrame(snap: Pick<TabSnapshot, 'frames'>, surface: Surface): TabSnapshot['frames'][number] | null {
  const live = snap.frames.filter((f) => f.live);
  return (
    live.find((f) => f.surface === surface && f.frameId === 0) ??
    live.find((f) => f.surface === surface) ??
    live.find((f) => f.frameId === 0) ??
    live[0] ??
    null
  );
}

/** Which timeline kinds a toggle removes. */
function kept(e: { k: string }, inc: Include): boolean {
  if (e.k === 'console') return inc.console;
  if (e.k === 'net') return inc.network;
  return true;
}

function withoutPublicIp(own: OwnSide): OwnSide {
  return {
    ...own,
    prechecks: own.prechecks.map((p) => {
      if (!('mappedAddress' in p.detail)) return p;
      const { mappedAddress: _dropped, ...detail } = p.detail;
      return { ...p, detail };
    }),
  };
}

/** The public IP the STUN check saw, if any (shown in the preview, removable). */
export function publicIpOf(own: OwnSide | null): string | null {
  const v = own?.prechecks.find((p) => p.id === 'udp')?.detail.mappedAddress;
  return typeof v === 'string' && v ? v : null;
}

export function assembleReport(inp: AssembleInput): Report {
  const { draft, snap, include } = inp;
  const skew = inp.ownSide?.skew.ok ? inp.ownSide.skew.offsetMs : null;
  const at = (ms: number) => moment(ms, inp.userZone, skew);
  const frame = surfaceFrame(snap, draft.surface);
  const fields = frame?.fields ?? null;
  const pre = prefill(draft.surface, fields);
  const checklist = CHECKLISTS[draft.surface].map((item) => {
    const value = draft.checklist[item.id] ?? '';
    return { id: item.id, label: inp.label(item.id), required: item.required, value, prefilled: value !== '' && pre[item.id] === value };
  });
  const user = USER_ITEMS.map((id) => draft.checklist[id]?.trim()).find((v) => v) ?? null;
  const fault = draft.faultTime;
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: inp.id,
    generator: { name: 'Témoin', version: inp.version },
    lang: inp.lang,
    kind: draft.kind ?? 'fault',
    surface: draft.surface,
    detectedSurface: draft.detectedSurface,
    embeddedIn: frame && frame.frameId !== 0 ? frame.topOrigin : null,
    url: frame ? scrubUrl(frame.url) : '',
    user,
    openedAt: at(draft.openedAt),
    createdAt: at(inp.now),
    fault: {
      at: at(faultMs(draft) ?? draft.openedAt),
      mode: fault.mode,
      label: fault.mode === 'event' ? fault.label : fault.mode === 'typed' ? fault.text : '',
    },
    description: draft.description,
    checklist,
    fields: (fields ?? { surface: draft.surface }) as Report['fields'],
    env: snap.env,
    ownSide: inp.ownSide ? { ...(include.publicIp ? inp.ownSide : withoutPublicIp(inp.ownSide)) } : null,
    include: { ...include },
    frames: snap.frames.map((f) => ({
      frameId: f.frameId,
      url: f.url,
      topOrigin: f.topOrigin,
      surface: f.surface,
      life: f.life,
      startedAt: f.startedAt,
      endedAt: f.endedAt,
      live: f.live,
      stats: f.stats,
    })),
    timeline: snap.timeline.filter((e) => kept(e, include)),
    screenshots: inp.screenshots,
  };
  // One scrubber over everything the user typed or the page showed (secrets in URLs, tokens,
  // JWTs). Contact-data masking is a capture setting, already applied to the page's logs: the
  // checklist's caller number is information support asks for.
  return ReportSchema.parse(scrubDeep(report));
}

/**
 * The counts the preview shows: the same definitions as the ticket summary and report.html
 * (`issueCounts`), plus the totals the toggles act on.
 */
export interface TimelineCounts {
  total: number;
  errors: number;
  consoleErrors: number;
  failedRequests: number;
  wsDrops: number;
  clicks: number;
}

export function timelineCounts(timeline: readonly { k: string }[]): TimelineCounts {
  const c = issueCounts({ timeline });
  return {
    total: timeline.length,
    errors: c.uncaught,
    consoleErrors: c.consoleErrors,
    failedRequests: c.failedRequests,
    wsDrops: c.wsDrops,
    clicks: timeline.filter((e) => e.k === 'click').length,
  };
}
