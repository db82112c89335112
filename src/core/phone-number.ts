// Phone numbers are stored in E.164, parsed with libphonenumber-js against a default region
// (RAPPORT_DEFAULT_REGION) for numbers written without a country code.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export function normalizePhone(raw: string, defaultRegion: string): string | null {
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed) || /[a-z]{2,}/i.test(trimmed.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}
