import { describe, expect, it } from 'vitest';
import { createSecretBox, isSealed, SecretBoxError } from '../../../src/core/secret-box.js';

const key = 'correct horse battery staple';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SecretBoxError ? e.code : 'other';
  }
  return undefined;
}

describe('secret box (AES-256-GCM, key from RAPPORT_SECRET_KEY)', () => {
  it('round-trips a password, including non-ASCII, and never stores it in clear', () => {
    const box = createSecretBox(key);
    for (const secret of ['app-password-1234', '授权码abcdEFGH', '']) {
      const sealed = box.seal(secret);
      expect(isSealed(sealed)).toBe(true);
      if (secret) expect(sealed).not.toContain(secret);
      expect(createSecretBox(key).open(sealed)).toBe(secret);
    }
  });

  it('seals the same password differently every time (random salt and IV)', () => {
    const box = createSecretBox(key);
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('tells a wrong key apart from damaged data', () => {
    const sealed = createSecretBox(key).seal('hunter2-hunter2');
    expect(codeOf(() => createSecretBox('another key of enough length').open(sealed))).toBe('secret_key_wrong');
    const [prefix, id, data] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[flipped.length - 1]! ^= 1;
    expect(codeOf(() => createSecretBox(key).open(`${prefix}.${id}.${flipped.toString('base64url')}`))).toBe('secret_malformed');
    expect(codeOf(() => createSecretBox(key).open('plain text'))).toBe('secret_malformed');
  });

  it('fails with secret_key_missing on use when no key is configured, and refuses a short key', () => {
    const box = createSecretBox(undefined);
    expect(codeOf(() => box.seal('x'))).toBe('secret_key_missing');
    expect(codeOf(() => box.open('rsb1.abcd.xyz'))).toBe('secret_key_missing');
    expect(codeOf(() => createSecretBox('short'))).toBe('secret_key_wrong');
  });
});
