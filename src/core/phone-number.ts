// Phone numbers are stored in E.164, parsed with libphonenumber-js against a default region
// (RAPPORT_DEFAULT_REGION) for numbers written without a country code.
import { getCountries, isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

export function normalizePhone(raw: string, defaultRegion: string): string | null {
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed) || /[a-z]{2,}/i.test(trimmed.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** True for a region libphonenumber has metadata for (CN, US, GB, …). */
export function isPhoneRegion(region: string): boolean {
  return /^[A-Z]{2}$/.test(region) && isSupportedCountry(region);
}

// Trying every region costs ~30 ms, so the regions found are remembered by the number's shape
// (its length and leading digits decide where it is valid), for a bounded number of shapes.
const regionCache = new Map<string, string[]>();
const REGION_CACHE_SIZE = 2000;

function regionsFor(national: string, digits: string, defaultRegion: string): string[] {
  const key = `${defaultRegion}:${digits.length}:${digits.slice(0, 4)}`;
  const cached = regionCache.get(key);
  if (cached) return cached;
  const valid = getCountries()
    .filter((c) => c !== defaultRegion)
    .map((c) => parsePhoneNumberFromString(national, c))
    .filter((p) => p?.isValid()) as PhoneNumber[];
  const mobile = valid.filter((p) => p.getType() === 'MOBILE' || p.getType() === 'FIXED_LINE_OR_MOBILE');
  // Regions sharing a numbering plan (the 25 of +1) give the same E.164 number: one candidate,
  // named by the region libphonenumber reads that number as; the plan used most comes first.
  const byNumber = new Map<string, number>();
  for (const p of mobile.length > 0 ? mobile : valid) byNumber.set(p.number, (byNumber.get(p.number) ?? 0) + 1);
  const numbers = [...byNumber.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n);
  const regions = numbers.length <= 3 ? numbers.map((n) => parsePhoneNumberFromString(n)?.country).filter((c): c is CountryCode => Boolean(c)) : [];
  if (regionCache.size < REGION_CACHE_SIZE) regionCache.set(key, regions);
  return regions;
}

/**
 * What would make a phone number that did not parse readable: for a national number (no +country
 * code) the regions where libphonenumber finds it valid (a mobile number first), with the setting
 * to change and the number written internationally. Empty when nothing better can be said.
 */
export function phoneHint(raw: string, defaultRegion: string): string {
  const national = raw.trim();
  const digits = national.replace(/\D/g, '');
  if (national.startsWith('+') || digits.length < 6 || /[a-z]{2,}/i.test(national)) return '';
  const regions = regionsFor(national, digits, defaultRegion);
  if (regions.length === 0) return '';
  const international = parsePhoneNumberFromString(national, regions[0] as CountryCode)?.formatInternational();
  return (
    `without a country code it is read as a ${defaultRegion} number; set RAPPORT_DEFAULT_REGION=${regions.join(' or ')} ` +
    `for national numbers such as ${national}${international ? `, or write it as ${international}` : ''}`
  );
}
