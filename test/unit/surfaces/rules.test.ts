import { describe, expect, it } from 'vitest';
import { DEFAULT_SURFACE_RULES, surfaceOfUrl, SurfaceRulesSchema } from '../../../lib/surfaces/rules';
import { tabSurface } from '../../../lib/surfaces/summary';

describe('surfaceOfUrl', () => {
  it.each([
    ['https://voice-management.axialys.com/operateurs/index.htm', 'bar'],
    ['https://voice-management.axialys.com/operateurs/index.htm?token_session=abc', 'bar'],
    ['https://voice-management.axialys.com/superviseurs/index.htm', 'supervision'],
    ['https://admin.axialys.net/', 'extranet'],
    ['https://admin.axialys.net/#/svi/12', 'extranet'],
    ['https://voice-management.axialys.com/', 'other'],
    ['https://crm.example.test/', 'other'],
    ['https://admin.axialys.net.evil.test/', 'other'],
    ['not a url', 'other'],
  ])('%s → %s', (url, surface) => {
    expect(surfaceOfUrl(url)).toBe(surface);
  });

  it('uses rules given as data', () => {
    const rules = SurfaceRulesSchema.parse([{ surface: 'bar', hosts: ['*.centrex.example'], paths: ['/agent/*'] }]);
    expect(surfaceOfUrl('https://vm.centrex.example/agent/x', rules)).toBe('bar');
    expect(surfaceOfUrl('https://voice-management.axialys.com/operateurs/index.htm', rules)).toBe('other');
  });

  it('rejects malformed rules', () => {
    expect(SurfaceRulesSchema.safeParse([{ surface: 'other', hosts: ['x'] }]).success).toBe(false);
    expect(SurfaceRulesSchema.safeParse([]).success).toBe(false);
    expect(SurfaceRulesSchema.safeParse(DEFAULT_SURFACE_RULES).success).toBe(true);
  });
});

describe('tabSurface', () => {
  const f = (frameId: number, surface: 'bar' | 'other', topOrigin: string | null) => ({ frameId, url: 'u', topOrigin, surface, hook: true, seenAt: 1 });
  it('prefers the top frame', () => {
    expect(tabSurface([f(0, 'bar', 'https://voice-management.axialys.com')])).toEqual({ surface: 'bar', embeddedIn: null });
  });
  it('names the embedding page for an iframe', () => {
    expect(tabSurface([f(7, 'bar', 'https://crm.example.test')])).toEqual({ surface: 'bar', embeddedIn: 'crm.example.test' });
  });
  it('falls back to other', () => {
    expect(tabSurface([])).toEqual({ surface: 'other', embeddedIn: null });
  });
});
