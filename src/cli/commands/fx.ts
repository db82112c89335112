// `rapport fx load|list`: exchange rates into the reporting currency, so segments and value tiers
// sum revenue in one currency (RAPPORT_REPORTING_CURRENCY).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Command } from 'commander';
import { RapportError } from '../../core/errors.js';
import { listFxRates, saveFxRates, type FxRate } from '../../store/fx-rates-repo.js';
import { action } from '../runner.js';

function reportingCurrency(configured: string | undefined): string {
  if (!configured) throw new RapportError('validation', 'set RAPPORT_REPORTING_CURRENCY first: rates are loaded into that currency');
  return configured;
}

/** Every row checked before anything is written: a bad file changes nothing. */
export function parseRates(csv: string): FxRate[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new RapportError('validation', `rates CSV cannot be read: ${(e as Error).message}`);
  }
  const first = records[0];
  if (!first || !('currency' in first) || !('rate_to_reporting' in first) || !('as_of' in first)) {
    throw new RapportError('validation', 'rates CSV needs the columns currency,rate_to_reporting,as_of');
  }
  return records.map((r, i) => {
    const line = i + 2;
    const currency = (r.currency ?? '').toUpperCase();
    const rate = Number(r.rate_to_reporting);
    const asOf = r.as_of ?? '';
    if (!/^[A-Z]{3}$/.test(currency)) throw new RapportError('validation', `line ${line}: currency "${r.currency}" is not a three-letter code`);
    if (!Number.isFinite(rate) || rate <= 0) throw new RapportError('validation', `line ${line}: rate_to_reporting must be a positive number`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new RapportError('validation', `line ${line}: as_of must be a date (YYYY-MM-DD)`);
    return { currency, rateToReporting: rate, asOf };
  });
}

export function registerFx(program: Command): void {
  const fx = program.command('fx').description('exchange rates into the reporting currency (RAPPORT_REPORTING_CURRENCY) for revenue in analytics');
  fx.command('load')
    .argument('<file>', 'CSV with columns currency,rate_to_reporting,as_of (one unit of currency = rate units of the reporting currency)')
    .description('load or replace exchange rates; every row is checked before any is written')
    .action(
      action<[string]>(async (ctx, io, file) => {
        const reporting = reportingCurrency(ctx.config.RAPPORT_REPORTING_CURRENCY);
        let csv: string;
        try {
          csv = readFileSync(file, 'utf8');
        } catch (e) {
          throw new RapportError('validation', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        const rates = parseRates(csv);
        await saveFxRates(ctx.database.db, reporting, rates);
        const currencies = [...new Set(rates.map((r) => r.currency))].sort();
        io.print({ reportingCurrency: reporting, rates: rates.length, currencies }, (x) => `loaded ${x.rates} rates into ${x.reportingCurrency} for ${x.currencies.join(', ')}`);
      }),
    );
  fx.command('list')
    .description('the rates loaded for the reporting currency')
    .action(
      action<[]>(async (ctx, io) => {
        const reporting = reportingCurrency(ctx.config.RAPPORT_REPORTING_CURRENCY);
        const rates = await listFxRates(ctx.database.db, reporting);
        io.print({ reportingCurrency: reporting, rates }, (x) => x.rates.length
          ? x.rates.map((r) => `${r.asOf}  1 ${r.currency} = ${r.rateToReporting} ${x.reportingCurrency}`).join('\n')
          : `no rates loaded into ${x.reportingCurrency}`);
      }),
    );
}
