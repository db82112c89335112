// `rapport demo --serve`: the demo database behind the real service, with the web console and a
// demo admin whose password is random and printed once. Runs until Ctrl-C (or SIGTERM).
import { trainVectors } from '../../analytics-runner/similar.js';
import { addUser, generatePassword } from '../../console/users.js';
import type { AppContext } from '../../context.js';
import { build } from '../../http/app.js';
import { listen } from '../../http/server.js';

export const DEMO_EMAIL = 'demo@rapport.example';

export async function serveDemo(ctx: AppContext, opts: { host: string; port: number; json: boolean }): Promise<void> {
  // Word vectors make "similar past conversations" work on the demo's customer pages.
  await trainVectors(ctx, { seed: 42 });
  const password = generatePassword();
  await addUser(ctx.database.db, { email: DEMO_EMAIL, role: 'admin', password }, { name: 'demo' });
  const app = await build({ ctx, logRequests: false });
  const address = await listen(app, opts.host, opts.port);
  const url = address.replace('://0.0.0.0', '://127.0.0.1');
  if (opts.json) process.stdout.write(`${JSON.stringify({ url, email: DEMO_EMAIL, password })}\n`);
  else {
    process.stdout.write(
      [
        '',
        `Rapport console: ${url}`,
        `Sign in as ${DEMO_EMAIL} with password ${password} (admin; shown only now).`,
        'Press Ctrl-C to stop; the demo database is removed unless --data-dir was given.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await app.close();
}
