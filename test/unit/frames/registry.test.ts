import { describe, expect, it } from 'vitest';
import { withFrame, withoutTab, type FrameInfo } from '../../../lib/frames/registry';
import { forgetTab, framesOf, recordFrame } from '../../../lib/frames/store';

const frame = (frameId: number, seenAt: number, url = 'https://voice-management.axialys.com/operateurs/index.htm'): FrameInfo => ({
  frameId, url, topOrigin: null, surface: 'bar', hook: true, seenAt,
});

describe('frame registry', () => {
  it('replaces a frame by id and keeps others sorted', () => {
    let all = withFrame({}, 3, frame(5, 100));
    all = withFrame(all, 3, frame(2, 110));
    all = withFrame(all, 3, frame(5, 120, 'https://x'));
    expect(all['3']?.map((f) => [f.frameId, f.url])).toEqual([[2, 'https://voice-management.axialys.com/operateurs/index.htm'], [5, 'https://x']]);
  });

  it('a new top document drops subframes of the previous document', () => {
    let all = withFrame({}, 1, frame(4, 1_000));
    all = withFrame(all, 1, frame(0, 60_000));
    expect(all['1']?.map((f) => f.frameId)).toEqual([0]);
    expect(withoutTab(all, 1)).toEqual({});
  });

  it('parallel hellos are all kept in storage.session', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordFrame(9, frame(i + 1, 1))));
    expect(await framesOf(9)).toHaveLength(20);
    await forgetTab(9);
    expect(await framesOf(9)).toEqual([]);
  });
});
