import { describe, expect, it } from 'vitest';
import { bodyWithMarker, htmlToText } from '../../../lib/delivery/text';
import { blobToBase64, ticketsOfSearch, ticketUrl } from '../../../lib/delivery/zammad';
import { uploadTimeoutMs } from '../../../lib/delivery/deliver';
import { fitWithin, stepFor, SHRINK_STEPS } from '../../../lib/delivery/shrink';

const M = 'TMN-3f2c0000-0000-4000-8000-000000000001';

describe('body and text', () => {
  it('appends the marker once, escaped, only when absent', () => {
    expect(bodyWithMarker('<p>x</p>', M)).toBe(`<p>x</p>\n<p>Réf. Témoin : ${M}</p>`);
    expect(bodyWithMarker(`<p>Ref ${M}</p>`, M)).toBe(`<p>Ref ${M}</p>`);
  });

  it('turns the summary into plain text for the form and the e-mail', () => {
    expect(htmlToText('<p><strong>Quoi</strong> : a &amp; b &lt;c&gt;</p><ul><li>un</li><li>deux</li></ul><p>l1<br>l2</p>')).toBe(
      'Quoi : a & b <c>\n• un\n• deux\n\nl1\nl2',
    );
  });
});

describe('Zammad client helpers', () => {
  it('encodes strict base64 for any size, without data: prefix or line breaks', async () => {
    for (const n of [0, 1, 2, 3, 100_000, 3 * 0x8000 * 3 + 1]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff);
      expect(await blobToBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('reads both search answer shapes', () => {
    const t = { id: 4, number: '31004', title: 'x' };
    expect(ticketsOfSearch([t])).toEqual([{ id: 4, number: '31004' }]);
    expect(ticketsOfSearch({ tickets: [4], tickets_count: 1, assets: { Ticket: { '4': t } } })).toEqual([{ id: 4, number: '31004' }]);
    expect(ticketsOfSearch([])).toEqual([]);
    expect(() => ticketsOfSearch({ total_count: 1 })).toThrow();
  });

  it('links the ticket in the agent UI', () => {
    expect(ticketUrl('https://zammad.axialys.net/', 19)).toBe('https://zammad.axialys.net/#ticket/zoom/19');
  });

  it('gives uploads more time, within the worker’s limits', () => {
    expect(uploadTimeoutMs(30_000, 0)).toBe(30_000);
    expect(uploadTimeoutMs(30_000, 3_000_000)).toBe(110_000);
    expect(uploadTimeoutMs(30_000, 1e9)).toBe(240_000);
  });
});

describe('re-encoding steps', () => {
  it('each level is smaller; sizes fit the long edge, never enlarge', () => {
    for (let i = 1; i < SHRINK_STEPS.length; i++) {
      expect(SHRINK_STEPS[i]!.maxEdge).toBeLessThan(SHRINK_STEPS[i - 1]!.maxEdge);
      expect(SHRINK_STEPS[i]!.quality).toBeLessThanOrEqual(SHRINK_STEPS[i - 1]!.quality);
    }
    expect(stepFor(99)).toBe(SHRINK_STEPS.at(-1));
    expect(fitWithin(3840, 2160, 1600)).toEqual({ width: 1600, height: 900 });
    expect(fitWithin(1080, 1920, 960)).toEqual({ width: 540, height: 960 });
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
  });
});
