// Secrets at rest (mailbox passwords, OAuth2 tokens): AES-256-GCM with a key derived from
// RAPPORT_SECRET_KEY. The passphrase is stretched once with scrypt; every secret then gets its own
// key from HKDF over a random salt, and its own IV. A sealed value names the key it was sealed
// with (a short id derived from the key, not the key), so a wrong key is told apart from damaged
// data: `secret_key_wrong` vs `secret_malformed`.
//
//   rsb1.<key id>.<base64url(salt 16 | iv 12 | tag 16 | ciphertext)>
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

export type SecretBoxErrorCode = 'secret_key_missing' | 'secret_key_wrong' | 'secret_malformed';

export class SecretBoxError extends Error {
  readonly code: SecretBoxErrorCode;
  constructor(code: SecretBoxErrorCode, message: string) {
    super(message);
    this.name = 'SecretBoxError';
    this.code = code;
  }
}

export interface SecretBox {
  /** A short, non-secret fingerprint of the key (first 8 hex chars of an HKDF output). */
  readonly keyId: string;
  seal(plain: string): string;
  open(sealed: string): string;
}

const PREFIX = 'rsb1';
const SCRYPT_SALT = 'rapport/secret-box/v1';
// N=2^15, r=8: ~50 ms once per process and key; memory 32 MiB.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}.`);
}

/** A box that refuses to work: for a deployment with no key, failing on first use with a clear code. */
function missingKeyBox(): SecretBox {
  const fail = (): never => {
    throw new SecretBoxError(
      'secret_key_missing',
      'RAPPORT_SECRET_KEY is not set: it is needed to store or read sealed secrets (mailbox passwords, webhook secrets); set it to 16+ characters',
    );
  };
  return { keyId: 'none', seal: fail, open: fail };
}

export function createSecretBox(passphrase: string | undefined | null): SecretBox {
  if (!passphrase) return missingKeyBox();
  if (passphrase.length < 16) {
    throw new SecretBoxError('secret_key_wrong', 'RAPPORT_SECRET_KEY must be at least 16 characters');
  }
  const master = scryptSync(passphrase, SCRYPT_SALT, 32, SCRYPT);
  const keyId = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'rapport key id', 4)).toString('hex');
  const keyFor = (salt: Buffer) => Buffer.from(hkdfSync('sha256', master, salt, 'rapport secret-box aes-256-gcm', 32));

  return {
    keyId,
    seal(plain) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(salt), iv);
      // The key id is authenticated too, so it cannot be swapped onto another value.
      cipher.setAAD(Buffer.from(keyId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const payload = Buffer.concat([salt, iv, cipher.getAuthTag(), body]);
      return `${PREFIX}.${keyId}.${payload.toString('base64url')}`;
    },
    open(sealed) {
      const [prefix, id, data, extra] = sealed.split('.');
      if (prefix !== PREFIX || !id || data === undefined || extra !== undefined) {
        throw new SecretBoxError('secret_malformed', 'stored secret is not in the rsb1 format');
      }
      if (id !== keyId) {
        throw new SecretBoxError(
          'secret_key_wrong',
          `stored secret was sealed with another RAPPORT_SECRET_KEY (key id ${id}, current ${keyId})`,
        );
      }
      const payload = Buffer.from(data, 'base64url');
      if (payload.length < 44) throw new SecretBoxError('secret_malformed', 'stored secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', keyFor(payload.subarray(0, 16)), payload.subarray(16, 28));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(payload.subarray(28, 44));
      try {
        return Buffer.concat([decipher.update(payload.subarray(44)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('secret_malformed', 'stored secret failed authentication (damaged or altered)');
      }
    },
  };
}
