/**
 * The outbox's record types (kept apart from outbox.ts so lib/db.ts can name them without an
 * import cycle).
 */

export type ReportSurface = 'bar' | 'supervision' | 'extranet' | 'other';

export interface OutgoingAttachment {
  filename: string;
  mimeType: string;
  data: Blob;
}

/** What the popup hands to the outbox (see `enqueue`). */
export interface OutgoingReport {
  /** `TMN-<uuid v4>`: the client marker, put in the article body. */
  id: string;
  /** Epoch ms. */
  createdAt: number;
  surface: ReportSurface;
  /** Already `[<surface label>] <first words of the description>`. */
  title: string;
  /** The article summary, already escaped, safe HTML. The marker is appended when absent. */
  bodyHtml: string;
  /** Screenshots (capture-N.jpg/png), context.json, report.html. */
  attachments: OutgoingAttachment[];
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'needs-attention';

export const DELIVERY_MODES = ['api', 'form', 'export'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/**
 * Why a report waits for the user. Each has `outboxReason_<key>` (what happened) and
 * `outboxAdvice_<key>` (what to do) in _locales.
 */
export const ATTENTION_REASONS = [
  'auth', // 401/403: token missing rights, expired or wrong
  'noToken', // api mode without a token
  'permission', // no host permission for a custom Zammad URL
  'invalid', // 422: Zammad refused the content (error_human shown)
  'tooLarge', // 413 even after re-encoding and splitting
  'incomplete', // attachments still missing after the follow-up articles
  'protocol', // an answer Témoin does not understand (404, 400…)
  'formDisabled', // form mode: the web form is off on this Zammad
  'formInvalid', // form mode: name / e-mail refused
  'formUncertain', // form mode: no answer after sending, cannot be checked without a token
  'exportMode', // export mode: the user sends the files themselves
] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** Reasons a change of settings may cure: such reports are queued again when the settings change. */
export const SETTINGS_REASONS: readonly AttentionReason[] = ['auth', 'noToken', 'permission', 'formDisabled', 'formInvalid', 'exportMode'];

export interface StoredAttachment extends OutgoingAttachment {
  /** data.size when queued (or after re-encoding): what the ticket must hold. */
  size: number;
  /** How many times it was re-encoded smaller after 413s (0: as captured; the original is not kept). */
  level: number;
}

export interface OutboxItem {
  id: string;
  createdAt: number;
  surface: ReportSurface;
  title: string;
  bodyHtml: string;
  attachments: StoredAttachment[];
  state: OutboxState;
  updatedAt: number;
  /** Failed attempts since the last manual retry (drives the backoff). */
  attempts: number;
  /** When the next attempt is due (epoch ms); 0: now. */
  nextAttemptAt: number;
  /**
   * A create (or follow-up) may have reached Zammad without an answer (timeout, dropped
   * connection, 5xx after the body was sent, the worker killed mid-send): the next attempt first
   * looks for the marker instead of posting again.
   */
  maybeCommitted: boolean;
  /** The ticket, once created or found by its marker. */
  ticket: { id: number; number: string } | null;
  /** `<zammad>/#ticket/zoom/<id>` once known. */
  ticketUrl: string | null;
  /** Attachments go one per follow-up article (after a 413 that re-encoding did not cure). */
  split: boolean;
  /** Follow-up articles sent so far (bounded: see MAX_FOLLOW_UPS). */
  followUps: number;
  reason: { key: AttentionReason; detail: string } | null;
  /** The last failure, in plain words (shown while retrying). */
  lastError: string | null;
  /** How it was delivered (or is being): set on the first attempt. */
  mode: DeliveryMode | null;
}
