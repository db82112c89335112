// Email normalization. `normalizeEmail` is what we store and show (trimmed, lower-cased);
// `emailMatchKey` is what identities are unique on: Gmail ignores dots and "+tags" in the local
// part and treats googlemail.com as gmail.com, so those fold to one key.

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Lower-cased, trimmed address, or null when it is not a usable address. */
export function normalizeEmail(raw: string): string | null {
  const s = raw.trim().replace(/^mailto:/i, '').replace(/^<(.*)>$/, '$1').toLowerCase();
  if (s.length > 254 || !EMAIL.test(s)) return null;
  const [local] = s.split('@') as [string, string];
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return s;
}

/** The key identities are unique on (Gmail dots and +tags folded). Null for an invalid address. */
export function emailMatchKey(raw: string): string | null {
  const email = normalizeEmail(raw);
  if (!email) return null;
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]!.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Lower-cased bare domain ("Example.COM." → "example.com"), or null when it is not a domain name. */
export function normalizeDomain(raw: string): string | null {
  const s = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(s) ? s : null;
}
