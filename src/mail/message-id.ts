// Message-IDs in one canonical form (`<id@host>`), so a message's externalId and the
// In-Reply-To / References of its replies compare equal whatever the sending client wrote.
import { createHash } from 'node:crypto';

/** `<id@host>` from `<id@host>`, ` id@host `, or `<<id@host>>`; undefined for an empty value. */
export function canonicalMessageId(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = bracketed?.[1] ?? value.trim().split(/\s+/)[0]?.replace(/^<+|>+$/g, '');
  return id ? `<${id}>` : undefined;
}

/** Every Message-ID in a References / In-Reply-To value, in order, without repeats. */
export function messageIdList(value: string | undefined | null): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => `<${m[1]}>`);
  const list = ids.length > 0 ? ids : value.split(/[\s,]+/).filter(Boolean).map((v) => `<${v.replace(/^<+|>+$/g, '')}>`);
  return [...new Set(list)];
}

/** A stable id for a message without Message-ID: the hash of its bytes, line endings normalized. */
export function contentId(raw: Buffer): string {
  const hash = createHash('sha256');
  let start = 0;
  // Hash with CRLF → LF so the same message read from IMAP (CRLF) and from a .eml file (often LF) agrees.
  for (let i = raw.indexOf(13); i !== -1; i = raw.indexOf(13, i + 1)) {
    if (raw[i + 1] === 10) {
      hash.update(raw.subarray(start, i));
      start = i + 1;
    }
  }
  hash.update(raw.subarray(start));
  return `sha256:${hash.digest('hex')}`;
}
