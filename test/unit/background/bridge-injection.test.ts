import { describe, expect, it } from 'vitest';
import { hostFilters, onHosts } from '../../../lib/background/bridge-injection';
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

describe('onHosts', () => {
  const filters = hostFilters(AXIALYS_MATCHES);
  it('matches frames on the Axialys hosts, whatever their path and query', () => {
    expect(onHosts('https://voice-management.axialys.com/operateurs/index.htm?token_session=x', filters)).toBe(true);
    expect(onHosts('https://admin.axialys.net/', filters)).toBe(true);
  });
  it('refuses other hosts, look-alikes, other schemes and non-URLs', () => {
    for (const url of ['https://crm.example.test/', 'https://admin.axialys.net.evil.test/', 'https://evil.test/?https://admin.axialys.net/', 'http://admin.axialys.net/', 'about:blank', 'not a url', ''])
      expect(onHosts(url, filters), url).toBe(false);
  });
});
