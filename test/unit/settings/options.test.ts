import { describe, expect, it } from 'vitest';
import { maskToken } from '../../../entrypoints/options/App';
import { SettingsSchema } from '../../../lib/settings/schema';

describe('options page helpers', () => {
  it('shows a stored token masked: only its last four characters', () => {
    expect(maskToken('')).toBe('');
    expect(maskToken('abc')).toBe('•••');
    const masked = maskToken('temoin-agent-token');
    expect(masked).toBe('••••••••oken');
    expect(masked).not.toContain('temoin');
  });

  it('delivery mode and reporter fields are validated', () => {
    expect(SettingsSchema.shape.deliveryMode.safeParse('form').success).toBe(true);
    expect(SettingsSchema.shape.deliveryMode.safeParse('mail').success).toBe(false);
    expect(SettingsSchema.shape.reporterEmail.safeParse('not an email').success).toBe(false);
    expect(SettingsSchema.shape.reporterEmail.parse(' marie@client.example ')).toBe('marie@client.example');
  });
});
