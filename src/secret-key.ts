// Which key seals stored secrets. RAPPORT_SECRET_KEY when set. Without it, the embedded default
// (PGlite in a data directory) keeps a random key in <RAPPORT_DATA_DIR>/secret.key (mode 0600),
// created on first use: a copied database dump is useless without it, but anyone who can read the
// whole data directory can read the secrets — set RAPPORT_SECRET_KEY (kept elsewhere) to avoid
// that. In-memory PGlite gets a key for the life of the process. On a PostgreSQL server there is
// no default: storing or reading a secret fails with `secret_key_missing`.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { createSecretBox, type SecretBox } from './core/secret-box.js';
import type { Database } from './store/database.js';

const boxes = new Map<string, SecretBox>();
let processKey: string | null = null;

export function secretKeySource(config: Config, database: Pick<Database, 'kind' | 'location'>): 'env' | 'data_dir' | 'process' | 'none' {
  if (config.RAPPORT_SECRET_KEY) return 'env';
  if (database.kind !== 'pglite') return 'none';
  return database.location === 'memory' ? 'process' : 'data_dir';
}

export function secretBoxFor(config: Config, database: Pick<Database, 'kind' | 'location'>): SecretBox {
  const key = resolveKey(config, database);
  const cacheKey = key ?? '';
  let box = boxes.get(cacheKey);
  if (!box) {
    box = createSecretBox(key);
    boxes.set(cacheKey, box);
  }
  return box;
}

function resolveKey(config: Config, database: Pick<Database, 'kind' | 'location'>): string | null {
  switch (secretKeySource(config, database)) {
    case 'env':
      return config.RAPPORT_SECRET_KEY!;
    case 'process':
      processKey ??= randomBytes(32).toString('hex');
      return processKey;
    case 'data_dir': {
      const file = join(database.location, 'secret.key');
      if (!existsSync(file)) {
        // 'wx': never overwrite a key another process wrote a moment ago.
        try {
          writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
      return readFileSync(file, 'utf8').trim();
    }
    default:
      return null;
  }
}
