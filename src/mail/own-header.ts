// The header Rapport puts on every mail it sends (digests, notifications). Mail carrying it is our
// own and must never come back in as customer conversation — the loop-protection half of it.

export const ownOriginHeader = 'X-Rapport-Origin';

/** The value senders set; anything non-empty under our header counts as ours. */
export const ownOriginValue = 'rapport';

/** Headers to add to an outgoing message (nodemailer's `headers` option takes this shape). */
export function ownOriginHeaders(kind: string): Record<string, string> {
  return { [ownOriginHeader]: `${ownOriginValue}; kind=${kind}` };
}

/** True when a header value (as read back from a received message) says Rapport sent it. */
export function isOwnOrigin(value: string | undefined | null): boolean {
  return typeof value === 'string' && value.trim().toLowerCase().startsWith(ownOriginValue);
}
