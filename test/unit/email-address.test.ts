import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailMatchKey, normalizeDomain, normalizeEmail } from '../../src/core/email-address.js';
import { isFreeMailDomain } from '../../src/core/free-mail.js';
import { normalizePhone } from '../../src/core/phone-number.js';

const local = fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?$/).filter((s) => !s.includes('..'));
const domain = fc.stringMatching(/^[a-z0-9]{1,12}\.(com|cn|net|org|io)$/);

describe('email normalization', () => {
  it('lower-cases and trims any valid address, and is idempotent', () => {
    fc.assert(
      fc.property(local, domain, fc.boolean(), (l, d, upper) => {
        const raw = ` ${upper ? `${l}@${d}`.toUpperCase() : `${l}@${d}`} `;
        const n = normalizeEmail(raw);
        expect(n).toBe(`${l}@${d}`);
        expect(normalizeEmail(n!)).toBe(n);
      }),
    );
  });

  it('folds Gmail dots, +tags and googlemail.com to one key, and only for Gmail', () => {
    expect(emailMatchKey('John.Smith+crm@GoogleMail.com')).toBe('johnsmith@gmail.com');
    expect(emailMatchKey('j.o.h.n.smith@gmail.com')).toBe('johnsmith@gmail.com');
    expect(emailMatchKey('john.smith+x@acme.com')).toBe('john.smith+x@acme.com');
    fc.assert(
      fc.property(local, (l) => {
        const key = emailMatchKey(`${l}@gmail.com`)!;
        expect(key).not.toMatch(/\.(?=.*@)/);
        expect(emailMatchKey(key)).toBe(key);
      }),
    );
  });

  it('rejects what is not an address', () => {
    for (const bad of ['', 'no-at-sign', 'a@b', 'a..b@x.com', '.a@x.com', 'a@-x.com', 'a b@x.com', '张三@公司']) {
      expect(normalizeEmail(bad), bad).toBeNull();
    }
  });

  it('normalizes domains', () => {
    expect(normalizeDomain(' Example.COM. ')).toBe('example.com');
    expect(normalizeDomain('not a domain')).toBeNull();
  });
});

describe('phone normalization', () => {
  it('stores E.164 using the default region for national numbers', () => {
    expect(normalizePhone('138 0013 8000', 'CN')).toBe('+8613800138000');
    expect(normalizePhone('+86 138-0013-8000', 'US')).toBe('+8613800138000');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('call me', 'US')).toBeNull();
    expect(normalizePhone('123', 'US')).toBeNull();
  });

  it('is idempotent: an E.164 number normalizes to itself in any region', () => {
    fc.assert(
      fc.property(fc.integer({ min: 13000000000, max: 13999999999 }), fc.constantFrom('CN', 'US', 'GB', 'DE'), (n, region) => {
        const first = normalizePhone(String(n), 'CN');
        if (first === null) return;
        expect(first).toBe(`+86${n}`);
        expect(normalizePhone(first, region)).toBe(first);
      }),
    );
  });
});

describe('free-mail domains', () => {
  it('knows Western and Chinese providers and not company domains', () => {
    for (const d of ['gmail.com', 'outlook.com', 'qq.com', '163.com', '126.com', 'foxmail.com', '139.com', 'sina.com']) {
      expect(isFreeMailDomain(d), d).toBe(true);
    }
    expect(isFreeMailDomain('acme.com')).toBe(false);
    expect(isFreeMailDomain('tencent.com')).toBe(false);
  });
});
