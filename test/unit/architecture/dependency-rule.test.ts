// The dependency rule of DEVELOPERS.md, one case per forbidden import (and the allowed ones beside
// them), run through ESLint with the project's configuration: each fixture is linted as if it were
// a file at that path.
import { ESLint } from 'eslint';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'rapport/layers').map((m) => m.message);
}

const forbidden: [string, string, string, RegExp][] = [
  ['core → a framework', 'src/core/x.ts', "import Fastify from 'fastify';", /src\/core depends on no framework/],
  ['core → Drizzle', 'src/core/x.ts', "import { sql } from 'drizzle-orm';", /no framework/],
  ['core → the store', 'src/core/x.ts', "import { captureStore } from '../store/capture-store.js';", /imports only src\/core/],
  ['core → a root wiring file', 'src/core/x.ts', "import { loadConfig } from '../config.js';", /imports only src\/core/],
  ['core → an adapter', 'src/core/x.ts', "import { toInbound } from '../../adapters/slack/slack-message.js';", /imports only src\/core/],
  ['core → the channels, dynamically', 'src/core/x.ts', "export const f = () => import('../channels/index.js');", /imports only src\/core/],
  ['analytics → the store', 'src/analytics/x.ts', "import { dfViewFor } from '../store/analytics-repo.js';", /pure computation/],
  ['analytics → a framework, dynamically', 'src/analytics/x.ts', "export const f = () => import('pg');", /no framework/],
  ['store → config', 'src/store/x.ts', "import { loadConfig } from '../config.js';", /imports no config/],
  ['store → an adapter', 'src/store/x.ts', "import { verifySignature } from '../../adapters/webhook/signature.js';", /imports no config, context, adapter/],
  ['store → the channels', 'src/store/x.ts', "import type { Channels } from '../channels/index.js';", /imports no config, context, adapter, channel/],
  ['store → HTTP', 'src/store/x.ts', "import { build } from '../http/app.js';", /HTTP/],
  ['store → Fastify', 'src/store/x.ts', "import Fastify from 'fastify';", /database drivers only/],
  ['adapter → another adapter', 'adapters/webhook/x.ts', "import { toInbound } from '../slack/slack-message.js';", /never imports another adapter/],
  ['nested adapter folder → another adapter', 'adapters/webhook/presets/x.ts', "import { toInbound } from '../../slack/slack-message.js';", /never imports another adapter/],
  ['adapter → another adapter, re-exported', 'adapters/slack/x.ts', "export { verifySignature } from '../webhook/signature.js';", /never imports another adapter/],
  ['adapter → the store', 'adapters/slack/x.ts', "import { captureStore } from '../../src/store/capture-store.js';", /never the store/],
  ['adapter → the channels, dynamically', 'adapters/email-imap/x.ts', "export const f = () => import('../../src/channels/index.js');", /never the store or the wiring/],
  ['adapter → Drizzle', 'adapters/webhook/x.ts', "import { sql } from 'drizzle-orm';", /never touches the database/],
  ['HTTP → an adapter', 'src/http/routes/x.ts', "import { verifySignature } from '../../../adapters/webhook/signature.js';", /only the channels dispatcher/],
  ['CLI → an adapter, dynamically', 'src/cli/commands/x.ts', "export const f = () => import('../../../adapters/slack/index.js');", /only the channels dispatcher/],
];

const allowed: [string, string, string][] = [
  ['core → core', 'src/core/x.ts', "import { RapportError } from './errors.js';"],
  ['core → a pure library', 'src/core/x.ts', "import { parsePhoneNumberFromString } from 'libphonenumber-js/max';"],
  ['store → core and Drizzle', 'src/store/x.ts', "import { sql } from 'drizzle-orm';\nimport { RapportError } from '../core/errors.js';"],
  ['adapter → core, its own folder and its vendor library', 'adapters/slack/x.ts', "import { App } from '@slack/bolt';\nimport { toInbound } from './slack-message.js';\nimport type { InboundMessage } from '../../src/core/inbound-message.js';"],
  ['channels → an adapter', 'src/channels/x.ts', "import { createSlackAdapter } from '../../adapters/slack/index.js';"],
  ['tests → anything', 'test/x.test.ts', "import { verifySignature } from '../adapters/webhook/signature.js';"],
];

describe('the dependency rule', () => {
  // Loading the TypeScript parser and the configuration takes a while on a busy machine.
  beforeAll(async () => {
    await layerErrors('src/core/x.ts', '');
  }, 120_000);

  it.each(forbidden)('refuses %s', async (_what, file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each(allowed)('allows %s', async (_what, file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
