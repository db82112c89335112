// Analytics on the command line: keywords, segments, value tiers, word vectors and similar
// communications. Long work shows a progress bar on a terminal (stderr); every command takes --json.
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { rebuildDocumentFrequencies } from '../../analytics-runner/customer-analytics.js';
import { keywordsFor, parseWindow, trendingKeywords } from '../../analytics-runner/keywords-query.js';
import type { Progress } from '../../analytics-runner/progress.js';
import type { RevenueBasis } from '../../analytics-runner/revenue-basis.js';
import { runSegments } from '../../analytics-runner/segments-run.js';
import { similarTo, trainVectors } from '../../analytics-runner/similar.js';
import { explainValue, trainValue } from '../../analytics-runner/value-train.js';
import { RapportError } from '../../core/errors.js';
import { formatTable } from '../format-table.js';
import { customerRefOf, idOf } from '../resolve-ids.js';
import { action, type CommandIo } from '../runner.js';

/** A bar on a TTY (not with --json), nothing otherwise; call `done()` when finished. */
function progressFor(io: CommandIo): { progress: Progress; done(): void } {
  if (io.json || !process.stderr.isTTY) return { progress: () => {}, done: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  return {
    progress: (p, done, total) => {
      if (p !== phase) {
        if (phase) bar.stop();
        phase = p;
        bar.start(Math.max(total, 1), done, { phase: p });
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { phase: p });
      }
    },
    done: () => {
      if (phase) bar.stop();
    },
  };
}

/** One line per currency left out of revenue for want of a rate. */
function revenueWarning(r: RevenueBasis): string[] {
  return r.unconverted.map((u) => `  warning: ${u.orders} orders in ${u.currency} are left out of revenue (no rate to ${r.currency}); load one with \`rapport fx load\``);
}

/** Commander reports a bad value as a usage error (one line, exit 2). */
const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number is expected.');
  return n;
};

export function registerAnalytics(program: Command): void {
  program
    .command('keywords')
    .description('top keywords (TF-IDF, words and two-word phrases) overall, for a customer or a segment, or trending terms')
    .option('--customer <customer>', 'customer id, email or exact name')
    .option('--segment <segment>', 'segment label (English or Chinese) or index in the latest run')
    .option('--company <id>', 'company id')
    .option('--trending <window>', 'terms rising most in the last window (e.g. 7d, 2w) against the one before')
    .option('--limit <n>', 'how many terms', int, 15)
    .option('--rebuild', 'recount document frequencies from all communications (nightly job)')
    .action(
      action<[{ customer?: string; segment?: string; company?: string; trending?: string; limit: number; rebuild?: boolean }]>(async (ctx, io, o) => {
        const bar = progressFor(io);
        try {
          if (o.rebuild) {
            const r = await rebuildDocumentFrequencies(ctx, bar.progress);
            bar.done();
            io.print(r, (x) => `counted ${x.terms} terms over ${x.documents} communications`);
            return;
          }
          if (o.trending) {
            const r = await trendingKeywords(ctx, parseWindow(o.trending), { limit: o.limit }, bar.progress);
            bar.done();
            io.print(r, (x) => [
              `trending over the last ${x.days} days (${x.recentMessages} messages vs ${x.previousMessages} before${x.previousMessages ? '' : ': every term is new'}):`,
              x.terms.length
                ? formatTable(
                    ['TERM', 'NOW', 'BEFORE', 'MESSAGES'],
                    x.terms.map((t) => [t.term, `${(t.recentShare * 100).toFixed(1)}%`, t.isNew ? 'new' : `${(t.previousShare * 100).toFixed(1)}%`, String(t.recentCount)]),
                  )
                : x.recentMessages
                  ? 'nothing rose'
                  : 'no messages in this window',
            ].join('\n'));
            return;
          }
          const customer = o.customer ? await customerRefOf(ctx, o.customer) : undefined;
          const companyId = o.company ? await idOf(ctx, 'company', o.company) : undefined;
          const r = await keywordsFor(ctx, { customer, segment: o.segment, companyId, limit: o.limit }, bar.progress);
          bar.done();
          io.print(r, (x) => [`keywords of ${x.scope} (${x.messages} messages):`, formatTable(['TERM', 'SCORE'], x.keywords.map((k) => [k.term, k.score.toFixed(3)]))].join('\n'));
        } finally {
          bar.done();
        }
      }),
    );

  const segments = program.command('segments').description('customer segments (k-means over RFM, communications, sentiment, issues)');
  segments
    .command('run')
    .description('compute segments for every customer and store the run (history is kept)')
    .option('--k <n>', 'number of segments (default: chosen among stable ks by silhouette, at most n/5 and 8, 2 below 20 customers)', int)
    .option('--balanced', 'equal-size segments (sizes differ by at most one), e.g. to divide accounts among a team')
    .option('--seed <n>', 'random seed (same seed, same data → same segments)', int, 42)
    .action(
      action<[{ k?: number; balanced?: boolean; seed: number }]>(async (ctx, io, o) => {
        const bar = progressFor(io);
        const r = await runSegments(ctx, { k: o.k, balanced: Boolean(o.balanced), seed: o.seed }, bar.progress);
        bar.done();
        io.print(r, (x) => [
          `${x.k} segments over ${x.customers} customers (silhouette ${x.silhouette.toFixed(2)}${x.balanced ? ', balanced' : ''}, ${x.ms} ms):`,
          formatTable(['SEGMENT', 'SIZE', 'LABEL', '标签', 'SET APART BY'], x.segments.map((s) => [String(s.index), String(s.size), s.en, s.zh, (s.traits ?? []).map((t) => t.en).join(', ')])),
          ...(x.tried ? [`  k tried (silhouette, stability): ${x.tried.map((t) => `${t.k}: ${t.silhouette.toFixed(2)}, ${t.stability.toFixed(2)}`).join(' · ')}`] : []),
          ...revenueWarning(x.revenue),
        ].join('\n'));
      }),
    );

  const value = program.command('value').description('customer value tiers (decision tree)');
  value
    .command('train')
    .description('train a value-tier model (new version) and tier every customer')
    .option('--labels <file>', 'CSV with columns customer,tier[,tier_zh]; customer = id, email, external id or exact name (default: tiers from revenue percentiles)')
    .option('--max-depth <n>', 'tree depth', int, 5)
    .action(
      action<[{ labels?: string; maxDepth: number }]>(async (ctx, io, o) => {
        let csv: string | undefined;
        if (o.labels) {
          try {
            csv = readFileSync(o.labels, 'utf8');
          } catch (e) {
            throw new RapportError('validation', `cannot read ${o.labels}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        }
        const bar = progressFor(io);
        const r = await trainValue(ctx, { labelsCsv: csv, maxDepth: o.maxDepth }, bar.progress);
        bar.done();
        const unknown = r.unknownCustomers.length ? [`  ${r.unknownCustomers.length} label rows name unknown customers (e.g. ${r.unknownCustomers.slice(0, 3).join(', ')})`] : [];
        if (!r.promoted) {
          // Not a crash, but not done either: one line on stderr, the details with --json.
          if (io.json) io.out(JSON.stringify(r, null, 2));
          process.stderr.write(`rapport: value model not promoted, the previous one stays live: ${r.refusal?.reason}\n`);
          return r.refusal?.code === 'too_few_labels' ? 2 : 1;
        }
        io.print(r, (x) => [
          `value model v${x.version} from ${x.labelSource === 'csv' ? 'labels' : 'revenue percentiles'}: ${x.rows} customers, ` +
            `${x.folds}-fold accuracy ${x.cvAccuracy === null ? 'n/a' : `${(x.cvAccuracy * 100).toFixed(1)}%`} against ${(x.baseline * 100).toFixed(1)}% for always the largest tier (${x.ms} ms)`,
          `  tiers: ${Object.entries(x.tiers).map(([t, n]) => `${t} ${n}`).join(', ')}`,
          ...unknown,
          ...revenueWarning(x.revenue),
        ].join('\n'));
      }),
    );
  value
    .command('explain')
    .argument('<customer>', 'customer id, email or exact name')
    .description("a customer's value tier and the decision path that gives it")
    .action(
      action<[string]>(async (ctx, io, customer) => {
        const r = await explainValue(ctx, await customerRefOf(ctx, customer));
        io.print(r, (x) => `${x.customerName}: ${x.tier} (model v${x.modelVersion}, ${(x.confidence * 100).toFixed(0)}% of similar customers)\n  ${x.text}\n  ${x.textZh}`);
      }),
    );

  program
    .command('vectors')
    .description('word vectors for similarity')
    .command('train')
    .description('train skip-gram word vectors on all communications and index them for `rapport similar`')
    .option('--seed <n>', 'random seed', int, 42)
    .action(
      action<[{ seed: number }]>(async (ctx, io, o) => {
        const bar = progressFor(io);
        const r = await trainVectors(ctx, { seed: o.seed }, bar.progress);
        bar.done();
        io.print(r, (x) => `word vectors v${x.version}: ${x.vocabulary} words × ${x.dimensions} from ${x.documents} communications (${x.ms} ms)`);
      }),
    );

  program
    .command('similar')
    .argument('[text...]', 'free text to find similar past communications for')
    .option('--communication <id>', 'a stored communication instead of text')
    .option('--limit <n>', 'how many', int, 5)
    .description('similar past communications (English and Chinese)')
    .action(
      action<[string[], { communication?: string; limit: number }]>(async (ctx, io, words, o) => {
        const text = words.join(' ').trim();
        if (!text && !o.communication) throw new RapportError('validation', 'give a text or --communication ID');
        const communicationId = o.communication ? await idOf(ctx, 'communication', o.communication) : undefined;
        const r = await similarTo(ctx, { text: text || undefined, communicationId, limit: o.limit });
        io.print(r, (x) => (x.results.length
          ? formatTable(
              ['SCORE', 'DATE', 'CUSTOMER', 'SUBJECT OR TEXT', 'ID'],
              x.results.map((h) => [h.score.toFixed(2), h.occurredAt.slice(0, 10), h.customerName ?? '-', h.subject ?? h.snippet, h.id]),
              { maxWidth: { 3: 60 } },
            )
          : 'nothing similar found'));
      }),
    );
}
