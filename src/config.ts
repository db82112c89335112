// The environment is read once, against a schema, so a bad setting fails at start with its name.
import { z } from 'zod';

const list = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));

export const configSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  RAPPORT_DATA_DIR: z.string().default('./data'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RAPPORT_DEFAULT_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code, e.g. CN or US')
    .default('US'),
  RAPPORT_INTERNAL_DOMAINS: list,
  RAPPORT_AUTO_CREATE: z.enum(['never', 'company_domain', 'always']).default('company_domain'),
  RAPPORT_SECRET_KEY: z.string().min(16, 'at least 16 characters').optional(),
  RAPPORT_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration — ${lines.join('; ')}`);
  }
  return parsed.data;
}
