// `rapport kinds …`: the learned kind/sentiment classifier — evaluate the live model on a labeled
// file, report its scores and the corrections people made, retrain now, or rebuild the default.
import type { Command } from 'commander';
import { buildDefaultKindModel, kindPaths, retrainKindModel, type RetrainResult } from '../../analytics-runner/kind-classifier.js';
import { evaluateKindFile, kindReport, metricsTable, reportText } from '../../analytics-runner/kind-report.js';
import { action, makeIo, reportFailure } from '../runner.js';

export function registerKinds(program: Command): void {
  const group = program.command('kinds').description('the learned message kind and sentiment classifier');
  group
    .command('evaluate')
    .argument('<file>', 'labeled TSV: lang, kind, sentiment, text (as corpus/kinds/train.tsv)')
    .description('accuracy of the live model on a labeled file, per language and per kind')
    .action(
      action<[string]>(async (ctx, io, file) => {
        const m = await evaluateKindFile(ctx, file);
        io.print(m, (v) => `live model v${v.version} on ${v.file}\n${metricsTable(v)}`);
      }),
    );
  group
    .command('report')
    .description("the live model's precision and recall per kind (holdout or cross-validation) and the corrections people made")
    .action(
      action(async (ctx, io) => {
        io.print(await kindReport(ctx), reportText);
      }),
    );
  group
    .command('train')
    .description('retrain now on the corpus and the corrections (as the nightly job does); promoted only when at least as good on the holdout')
    .option('--force', 'retrain even when nothing changed since the live model')
    .option('--default', `rebuild the default model from the corpus alone (${kindPaths.defaultModel.split('/').slice(-2).join('/')}, no database)`)
    .action(async (opts: { force?: boolean; default?: boolean }, command: Command) => {
      if (!opts.default) return action<[{ force?: boolean }]>(async (ctx, io, o) => {
        io.note('training (a minute or so)…');
        io.print(await retrainKindModel(ctx, { force: Boolean(o.force) }), retrainText);
      })(opts, command);
      const io = makeIo(Boolean(command.optsWithGlobals().json));
      try {
        io.note('building the default model from the corpus (cross-validation first)…');
        const m = buildDefaultKindModel();
        io.print({ file: kindPaths.defaultModel, threshold: m.otherThreshold, trainedOn: m.trainedOn, cv: m.metrics?.cv }, (v) => `wrote ${v.file}\n${v.cv?.folds}-fold cross-validation:\n${v.cv ? metricsTable(v.cv) : ''}`);
      } catch (e) {
        reportFailure(e, io.json);
      }
    });
}

function retrainText(r: RetrainResult): string {
  if (r.status === 'skipped') return `skipped: ${r.reason} (live v${r.liveVersion})`;
  return `v${r.version} ${r.status === 'promoted' ? 'promoted' : 'kept back'}: ${r.reason}; trained with ${r.corrections} corrected messages`;
}
