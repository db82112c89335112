// `rapport demo`: the whole product in a minute, with no Slack, mailbox or server. Loads the bundled
// sample into a fresh embedded database and prints what Rapport knows.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createContext } from '../../context.js';
import { RapportError } from '../../core/errors.js';
import { keywordsFor, trendingKeywords } from '../../analytics-runner/keywords-query.js';
import { runSegments } from '../../analytics-runner/segments-run.js';
import { explainValue, trainValue } from '../../analytics-runner/value-train.js';
import { loadSample, readSample, sampleDir } from '../../demo/load-sample.js';
import { saveFxRates } from '../../store/fx-rates-repo.js';
import { parseRates } from './fx.js';
import { renderCardText } from '../../demo/render-card.js';
import { renderDigestText } from '../../digest/render-text.js';
import { buildDigest, digestOptions } from '../../jobs/digests.js';
import { createLogger } from '../../log.js';
import { customerCard } from '../../store/customer-card.js';
import { findCustomerByIdentity } from '../../store/customers-repo.js';
import { reportFailure } from '../runner.js';
import { serveDemo } from './demo-serve.js';

const rule = (title: string) => `\n── ${title} ${'─'.repeat(Math.max(0, 66 - title.length))}`;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load a bundled sample into a fresh embedded database and show a card, keywords, segments and today\'s digest')
    .option('--data-dir <dir>', 'keep the demo database in this (new or empty) directory instead of a temporary one')
    .option('--serve', 'then start the service with the web console on the demo database and print a demo account')
    .option('--host <host>', 'with --serve: address to listen on (default HOST or 127.0.0.1)')
    .option('--port <port>', 'with --serve: port (default PORT or 3000; 0 picks a free one)')
    .action(async (opts: { dataDir?: string; serve?: boolean; host?: string; port?: string }, command: Command) => {
      const json = Boolean(command.optsWithGlobals().json);
      const keep = Boolean(opts.dataDir);
      const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'rapport-demo-'));
      try {
        if (keep && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
          throw new RapportError('validation', `${dataDir} is not empty: the demo needs a fresh database`);
        }
        const sample = readSample();
        const config = loadConfig({
          ...process.env,
          DATABASE_URL: undefined,
          RAPPORT_DATA_DIR: dataDir,
          RAPPORT_INTERNAL_DOMAINS: sample.internalDomain,
          RAPPORT_DEFAULT_REGION: 'CN',
          RAPPORT_TIMEZONE: 'Asia/Shanghai',
          RAPPORT_REPORTING_CURRENCY: 'CNY',
          RAPPORT_ALERT_SLACK_CHANNEL: undefined,
          SLACK_BOT_TOKEN: undefined,
          RAPPORT_JOBS: 'off',
          RAPPORT_EMAIL_SYNC: 'off',
        });
        const t0 = Date.now();
        const ctx = await createContext(config, createLogger('error', process.stderr));
        try {
          const loaded = await loadSample(ctx);
          const db = ctx.database.db;
          // The sample's orders are in CNY and USD: revenue is summed in CNY at the sample's rate.
          await saveFxRates(db, 'CNY', parseRates(readFileSync(new URL('fx-rates.csv', sampleDir), 'utf8')));
          // What the nightly job does: segments and a value model over the sample's customers.
          const segments = await runSegments(ctx, { seed: 42 });
          const value = await trainValue(ctx, {});
          const keywords = await keywordsFor(ctx, { limit: 10 });
          const trending = await trendingKeywords(ctx, 3, { limit: 8 });
          const zhang = await findCustomerByIdentity(db, 'email', 'zhangwei@huaxin-tech.cn');
          const why = zhang ? await explainValue(ctx, zhang).catch(() => null) : null;
          const card = zhang ? await customerCard(db, zhang, { explainValue: async () => why?.text ?? null }) : null;
          const digest = await buildDigest(db, { slot: new Date(), timeZone: config.RAPPORT_TIMEZONE, owner: null, segment: null, late: false }, digestOptions(ctx));
          const seconds = (Date.now() - t0) / 1000;
          if (json) {
            process.stdout.write(`${JSON.stringify({ dataDir: keep ? dataDir : null, loaded, card, keywords: keywords.keywords, trending: trending.terms, segments: segments.segments, value: { version: value.version, promoted: value.promoted, refusal: value.refusal ?? null, cvAccuracy: value.cvAccuracy, tiers: value.tiers }, digest, seconds }, null, 2)}\n`);
          } else {
            const out = [
              `Rapport demo — loaded ${loaded.customers} customers, ${loaded.orders} orders, ${loaded.emails} emails (${loaded.flaggedAsNoise} auto-replies/bounces kept out of history) and ${loaded.slackMessages} Slack messages in ${seconds.toFixed(1)} s`,
              rule('/crm lookup zhangwei@huaxin-tech.cn'),
              card ? renderCardText(card) : 'customer not found',
              rule('Top keywords (TF-IDF, words and phrases)'),
              keywords.keywords.map((k) => `${k.term} (${k.score.toFixed(2)})`).join(' · ') || '—',
              rule('Trending: last 3 days against the 3 before'),
              trending.terms.map((t) => `${t.term} ${t.isNew ? 'new,' : `${Math.round(t.previousShare * 100)}% →`} ${Math.round(t.recentShare * 100)}%`).join(' · ') || '—',
              rule(`Segments (k-means, k = ${segments.k}: at most 2 below 20 customers; silhouette ${segments.silhouette.toFixed(2)})`),
              ...segments.segments.map((g) => `${String(g.size).padStart(3)} customers  ${g.en} · ${g.zh}${g.traits?.length ? `  (${g.traits.map((t) => t.en).join(', ')})` : ''}`),
              rule(value.promoted
                ? `Value tiers (decision tree v${value.version}, cross-validated accuracy ${value.cvAccuracy === null ? 'n/a' : value.cvAccuracy.toFixed(2)})`
                : 'Value tiers (decision tree)'),
              value.promoted
                ? Object.entries(value.tiers).map(([t, n]) => `${t}: ${n}`).join(' · ')
                : `no model: ${value.refusal?.reason ?? 'not promoted'} (tiers from revenue: ${Object.entries(value.tiers).map(([t, n]) => `${t} ${n}`).join(', ')})`,
              rule("Today's digest"),
              renderDigestText(digest),
              keep ? `The demo database is in ${dataDir}: RAPPORT_DATA_DIR=${dataDir} npx rapport customers list` : 'Run `npx rapport demo --data-dir ./demo-data` to keep the database and explore it with the CLI.',
            ];
            process.stdout.write(`${out.join('\n')}\n`);
          }
          if (opts.serve) await serveDemo(ctx, { host: opts.host ?? config.HOST, port: opts.port !== undefined ? Number(opts.port) : config.PORT, json });
        } finally {
          await ctx.close();
        }
      } catch (e) {
        reportFailure(e, json);
      } finally {
        if (!keep) rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
