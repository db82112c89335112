// The labeled corpus of the kind/sentiment classifier: TSV with the columns `lang kind sentiment
// text` (a header line naming them is allowed, `#` lines are comments, `\n` in text is a line
// break). Parsing is strict: a bad line is an error naming its number, never a silent skip.
import { RapportError } from '../core/errors.js';
import { kinds, type Kind } from './kind.js';

export const sentimentClasses = ['neg', 'neu', 'pos'] as const;
export type SentimentClass = (typeof sentimentClasses)[number];

export interface LabeledExample {
  lang: string;
  /** Missing when only the sentiment is known (a correction of sentiment alone). */
  kind?: Kind | undefined;
  sentiment?: SentimentClass | undefined;
  text: string;
  /** How much this example counts in training (corrections may count more). */
  weight?: number;
}

const isKind = (s: string): s is Kind => (kinds as readonly string[]).includes(s);
const isSentiment = (s: string): s is SentimentClass => (sentimentClasses as readonly string[]).includes(s);

export function parseKindCorpus(tsv: string, source = 'corpus'): LabeledExample[] {
  const out: LabeledExample[] = [];
  const problems: string[] = [];
  tsv.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (i === 0 && cells[0] === 'lang' && cells[1] === 'kind') return;
    const [lang, kind, sentiment, ...rest] = cells;
    const text = rest.join('\t').replace(/\\n/g, '\n').trim();
    if (!lang || !kind || !sentiment || !text) problems.push(`line ${i + 1}: expected lang<TAB>kind<TAB>sentiment<TAB>text`);
    else if (!isKind(kind)) problems.push(`line ${i + 1}: unknown kind "${kind.slice(0, 20)}" (${kinds.join('|')})`);
    else if (!isSentiment(sentiment)) problems.push(`line ${i + 1}: unknown sentiment "${sentiment.slice(0, 20)}" (neg|neu|pos)`);
    else out.push({ lang, kind, sentiment, text });
  });
  if (problems.length) {
    throw new RapportError('validation', `${source}: ${problems.length} bad line(s): ${problems.slice(0, 5).join('; ')}`, { fields: problems.slice(0, 50).map((message) => ({ field: source, message })) });
  }
  if (out.length === 0) throw new RapportError('validation', `${source}: no labeled messages`);
  return out;
}

/** The language column for a text that has none: zh when it holds Han characters, else en. */
export function languageOfExample(text: string): string {
  return /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
}
