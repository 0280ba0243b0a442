import { describe, expect, it } from 'vitest';
import { hostFilters } from '../../../lib/background/bridge-injection';
import { AXIALYS_MATCHES } from '../../../lib/identity';

describe('hostFilters', () => {
  it('turns the Axialys match patterns into exact-host webNavigation filters', () => {
    expect(hostFilters(AXIALYS_MATCHES)).toEqual([
      { hostEquals: 'voice-management.axialys.com', schemes: ['https'] },
      { hostEquals: 'admin.axialys.net', schemes: ['https'] },
    ]);
  });

  it('refuses patterns it cannot express exactly, rather than leave frames without a bridge', () => {
    for (const bad of ['https://*.axialys.com/*', '<all_urls>', 'https://admin.axialys.net/extranet/*', '*://admin.axialys.net/*'])
      expect(() => hostFilters([bad]), bad).toThrow(/unsupported match pattern/);
  });
});
