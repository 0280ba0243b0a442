import { describe, expect, it } from 'vitest';
import { REDACTED, scrubText, scrubUrl } from '../../../lib/capture/scrub';

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
