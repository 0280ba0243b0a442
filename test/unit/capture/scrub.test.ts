import { describe, expect, it } from 'vitest';
import { REDACTED, scrubText, scrubUrl, maskContactData, scrubDeep } from '../../../lib/capture/scrub';

describe('scrubUrl', () => {
  it.each([
    ['https://voice-management.axialys.com/operateurs/index.htm?token_session=abc123def456', `https://voice-management.axialys.com/operateurs/index.htm?token_session=${REDACTED}`],
    ['https://x.test/a?access_token=zz&keep=1', `https://x.test/a?access_token=${REDACTED}&keep=1`],
    ['https://x.test/a?Password=hunter2', `https://x.test/a?Password=${REDACTED}`],
    ['https://x.test/a#id_token=abc.def', `https://x.test/a#id_token=${REDACTED}`],
    ['https://user:pw@x.test/a', 'https://x.test/a'],
    ['https://x.test/a?key=s3cr3t&mode=crm', `https://x.test/a?key=${REDACTED}&mode=crm`],
  ])('scrubs %s', (input, expected) => {
    expect(scrubUrl(input)).toBe(expected);
  });

  it.each([
    'https://voice-management.axialys.com/operateurs/index.htm?engine=chrome&version=0.0.0.1&mode=easiware',
    'https://admin.axialys.net/#operateurs',
    'https://x.test/a?monkey=banana&tokenizer=gpt&keyboard=azerty',
    'https://x.test/a?token_session=',
  ])('leaves %s alone', (input) => {
    expect(scrubUrl(input)).toBe(input);
  });
});

describe('scrubText', () => {
  it('removes JWTs and authorization values but keeps the scheme', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(scrubText(`failed with ${jwt} here`)).toBe(`failed with ${REDACTED} here`);
    expect(scrubText('Authorization: Bearer abcdef123456')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(scrubText('Authorization: Token token=abcdef123456')).toBe(`Authorization: Token ${REDACTED}`);
    expect(scrubText('GET /api?token=1234567 500')).toBe(`GET /api?token=${REDACTED} 500`);
  });

  it('keeps ordinary words and short values', () => {
    expect(scrubText('Token expired for the Basic plan')).toBe('Token expired for the Basic plan');
    expect(scrubText('TypeError: Cannot read properties of undefined')).toBe('TypeError: Cannot read properties of undefined');
  });
});

describe('maskContactData (optional)', () => {
  it.each([
    ['appel de 06 12 34 56 78 perdu', `appel de ${REDACTED} perdu`],
    ['appel de 0612345678', `appel de ${REDACTED}`],
    ['appel de 01.23.45.67.89', `appel de ${REDACTED}`],
    ['numero=+33 6 12 34 56 78', `numero=${REDACTED}`],
    ['numero=+33612345678', `numero=${REDACTED}`],
    ['numero=0033 1 23 45 67 89', `numero=${REDACTED}`],
    ['contact: jean.dupont@client.fr', `contact: ${REDACTED}`],
    ['<marie+crm@mail.axialys.example>', `<${REDACTED}>`],
  ])('masks %s', (input, expected) => {
    expect(maskContactData(input)).toBe(expected);
  });

  it.each([
    'id_appel 1700000000123 en erreur',
    'status 500 after 3120 ms',
    'version 126.0.6478.126',
    '2026-11-27T15:45:02.123Z',
    'file bandeau.js:120:17',
    'queue 12 waiting 3',
  ])('leaves %s alone', (input) => {
    expect(maskContactData(input)).toBe(input);
  });

  it('is applied by scrubDeep only when asked, to every string including URLs', () => {
    const ev = { k: 'console', a: ['rappeler 0612345678', { who: 'a@b.fr' }], url: 'https://x.test/?tel=0612345678&token=abcdefgh' };
    expect(scrubDeep(ev)).toEqual({ ...ev, url: `https://x.test/?tel=0612345678&token=${REDACTED}` });
    expect(scrubDeep(ev, { maskContactData: true })).toEqual({
      k: 'console',
      a: [`rappeler ${REDACTED}`, { who: REDACTED }],
      url: `https://x.test/?tel=${REDACTED}&token=${REDACTED}`,
    });
  });
});
