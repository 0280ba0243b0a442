import { describe, expect, it } from 'vitest';
import { backoffMs, BASE_BACKOFF_MS, classify, MAX_BACKOFF_MS, missingAttachments, nextAttemptAt } from '../../../lib/delivery/policy';
import { isDue, nextWake, SETTLE_MS } from '../../../lib/delivery/runner';
import { newItem } from '../../../lib/delivery/outbox';
import { kindOf, parseRetryAfter, ZammadError } from '../../../lib/delivery/zammad';

describe('backoff', () => {
  it('doubles from the base, with jitter between half and all of the step', () => {
    expect(backoffMs(1, 0)).toBe(BASE_BACKOFF_MS / 2);
    expect(backoffMs(1, 1)).toBe(BASE_BACKOFF_MS);
    expect(backoffMs(2, 0)).toBe(BASE_BACKOFF_MS);
    expect(backoffMs(3, 0.5)).toBe(Math.round(4 * BASE_BACKOFF_MS * 0.75));
    // Below the cap, the shortest next wait is never shorter than the longest previous one.
    for (let a = 1; a < 6; a++) expect(backoffMs(a + 1, 0)).toBeGreaterThanOrEqual(backoffMs(a, 1));
  });

  it('is capped, even after very many attempts, and never zero', () => {
    expect(backoffMs(50, 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(10_000, 0)).toBe(MAX_BACKOFF_MS / 2);
    expect(backoffMs(0, 0)).toBeGreaterThan(0);
    expect(backoffMs(1, -3)).toBe(BASE_BACKOFF_MS / 2);
  });

  it('honours a Retry-After longer than the backoff (capped), not a shorter one', () => {
    expect(nextAttemptAt(1000, 1, 0, 120_000)).toBe(121_000);
    expect(nextAttemptAt(1000, 1, 0, 10)).toBe(1000 + BASE_BACKOFF_MS / 2);
    expect(nextAttemptAt(0, 1, 0, 10 * 3600_000)).toBe(MAX_BACKOFF_MS);
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('error mapping', () => {
  const err = (status: number | null, kind = status ? kindOf(status) : 'network', msg = 'm') => new ZammadError(msg, status, kind as never);

  it.each([
    [401, 'create', { action: 'attention', reason: 'auth' }],
    [403, 'verify', { action: 'attention', reason: 'auth' }],
    [422, 'create', { action: 'attention', reason: 'invalid' }],
    [413, 'create', { action: 'shrink' }],
    [413, 'follow-up', { action: 'shrink' }],
    [429, 'create', { action: 'retry', ambiguous: false }],
    [500, 'create', { action: 'retry', ambiguous: true }],
    [502, 'follow-up', { action: 'retry', ambiguous: true }],
    [503, 'search', { action: 'retry', ambiguous: false }],
    [503, 'me', { action: 'retry', ambiguous: false }],
    [404, 'verify', { action: 'attention', reason: 'protocol' }],
    [400, 'create', { action: 'attention', reason: 'protocol' }],
    [403, 'form-config', { action: 'attention', reason: 'formDisabled' }],
    [403, 'form', { action: 'attention', reason: 'formDisabled' }],
  ] as const)('%i during %s', (status, step, want) => {
    expect(classify(err(status), step)).toMatchObject(want);
  });

  it('timeouts and network errors are retried, ambiguous for writes only', () => {
    expect(classify(err(null, 'timeout'), 'create')).toMatchObject({ action: 'retry', ambiguous: true });
    expect(classify(err(null, 'network'), 'form')).toMatchObject({ action: 'retry', ambiguous: true });
    expect(classify(err(null, 'network'), 'verify')).toMatchObject({ action: 'retry', ambiguous: false });
    expect(classify(new TypeError('Failed to fetch'), 'create')).toMatchObject({ action: 'retry', ambiguous: true });
  });

  it('keeps Zammad’s words and the Retry-After', () => {
    expect(classify(new ZammadError("No lookup value found for 'group'", 422, 'invalid'), 'create')).toEqual({
      action: 'attention',
      reason: 'invalid',
      detail: "No lookup value found for 'group'",
    });
    expect(classify(new ZammadError('HTTP 429', 429, 'rate-limited', 60_000), 'create')).toMatchObject({ retryAfterMs: 60_000 });
  });

  it('a 2xx that is not Zammad’s answer (a proxy page) is retried as ambiguous', () => {
    expect(classify(new ZammadError('unexpected response', 201, 'protocol'), 'create')).toMatchObject({ action: 'retry', ambiguous: true });
  });
});

describe('attachment check', () => {
  const a = (filename: string, size: number) => ({ filename, size });
  it('matches by name and exact size, each copy once', () => {
    const expected = [a('capture-1.jpg', 100), a('capture-2.jpg', 100), a('context.json', 7)];
    expect(missingAttachments(expected, [{ attachments: [a('capture-1.jpg', 100), a('context.json', 7)] }])).toEqual([a('capture-2.jpg', 100)]);
    expect(missingAttachments(expected, [{ attachments: [a('capture-1.jpg', 50)] }, { attachments: [a('capture-2.jpg', 100)] }])).toEqual([
      a('capture-1.jpg', 100),
      a('context.json', 7),
    ]);
    expect(missingAttachments([a('x', 1), a('x', 1)], [{ attachments: [a('x', 1)] }])).toEqual([a('x', 1)]);
    expect(missingAttachments(expected, [{ attachments: [...expected, a('image1.png', 3)] }])).toEqual([]);
  });
});

describe('outbox states over time', () => {
  const base = newItem({ id: 'TMN-00000000-0000-4000-8000-000000000000', createdAt: 0, surface: 'bar', title: 't', bodyHtml: 'b', attachments: [] }, 100);

  it('a queued report is due at its time; one left sending once it settled; the others never', () => {
    expect(isDue({ ...base, state: 'queued', nextAttemptAt: 500 }, 499)).toBe(false);
    expect(isDue({ ...base, state: 'queued', nextAttemptAt: 500 }, 500)).toBe(true);
    expect(isDue({ ...base, state: 'sending', updatedAt: 1000 }, 1000 + SETTLE_MS - 1)).toBe(false);
    expect(isDue({ ...base, state: 'sending', updatedAt: 1000 }, 1000 + SETTLE_MS)).toBe(true);
    expect(isDue({ ...base, state: 'sent' }, 1e15)).toBe(false);
    expect(isDue({ ...base, state: 'needs-attention' }, 1e15)).toBe(false);
  });

  it('wakes for the earliest waiting report, not for sent or blocked ones', () => {
    expect(nextWake([])).toBeNull();
    expect(nextWake([{ ...base, state: 'sent' }, { ...base, state: 'needs-attention' }])).toBeNull();
    expect(
      nextWake([
        { ...base, state: 'queued', nextAttemptAt: 9000 },
        { ...base, state: 'sending', updatedAt: 2000 },
        { ...base, state: 'queued', nextAttemptAt: 8000 },
      ]),
    ).toBe(2000 + SETTLE_MS);
  });
});
