// A phone number that does not parse in RAPPORT_DEFAULT_REGION says which region would read it,
// found by libphonenumber, and the setting is checked against the regions libphonenumber knows.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { normalizeCustomer } from '../../src/core/customers.js';
import { phoneHint } from '../../src/core/phone-number.js';

describe('phone hints', () => {
  it('names the region where a national number is a mobile number, and the number written internationally', () => {
    expect(phoneHint('138 0013 8000', 'US')).toBe(
      'without a country code it is read as a US number; set RAPPORT_DEFAULT_REGION=CN for national numbers such as 138 0013 8000, or write it as +86 138 0013 8000',
    );
    expect(phoneHint('0912 345 678', 'US')).toBe('');
    expect(phoneHint('+86 12', 'US')).toBe('');
    expect(phoneHint('12', 'US')).toBe('');
  });

  it('is part of the rejection reason', () => {
    expect(() => normalizeCustomer({ name: '张伟', phones: ['138 0013 8000'] }, { defaultRegion: 'US' })).toThrow(
      /unparseable phone: "138 0013 8000" \(without a country code .* RAPPORT_DEFAULT_REGION=CN/,
    );
  });

  it('accepts only regions libphonenumber knows', () => {
    expect(loadConfig({ RAPPORT_DEFAULT_REGION: 'CN' }).RAPPORT_DEFAULT_REGION).toBe('CN');
    for (const bad of ['XX', 'cn', 'CHN']) expect(() => loadConfig({ RAPPORT_DEFAULT_REGION: bad }), bad).toThrow(/RAPPORT_DEFAULT_REGION: a region code libphonenumber knows/);
  });
});
