// Bounded tokenizing: analysis time per character of huge, hostile inputs against the time per
// character of ordinary messages in the same run. A ratio near 1 (or above: huge inputs are cut)
// means analysis stays linear; before the bounds a 16k-character base64 token took ~3 s.
//   node --import tsx bench/tokenize.bench.ts
//   RAPPORT_BENCH_TOKENIZE_MB=1
import path from 'node:path';
import { analyzeMessage } from '../src/analytics/analyze-message.js';
import { dfView, emptyDf } from '../src/analytics/keywords.js';
import { searchTextOf } from '../src/analytics/segment.js';
import { sectionMarkdown, type Bench, type BenchRow, type BenchSection } from './run.js';

const ordinary = [
  'Hi Sam,\n\nOur refund request for order SO-1042 is still pending after two weeks. Could you check the status? The invoice was issued on May 3rd.\n\nThanks,\nEmily',
  '您好，我们第三季度的订单需要在月底前发货，请确认仓库的排期。另外發票抬頭需要修改，麻烦重新开具。\n\n张伟',
  'The API integration keeps failing since the last release: every sync returns a 500 error. 发货延迟也很严重。',
];

function perChar(texts: readonly string[], rounds: number): number {
  const df = dfView(emptyDf());
  const t = performance.now();
  let chars = 0;
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      analyzeMessage('subject', text, df);
      searchTextOf('subject', text);
      chars += text.length;
    }
  }
  return (performance.now() - t) / 1000 / chars;
}

async function measure(): Promise<BenchSection> {
  const mb = Number(process.env.RAPPORT_BENCH_TOKENIZE_MB ?? 1);
  const size = Math.round(mb * 1_000_000);
  perChar(ordinary, 3); // warm the models
  const base = perChar(ordinary, 200);
  const rows: BenchRow[] = [
    { name: 'ordinary messages (English, Chinese, mixed; ~150 characters)', values: { seconds: base * 1e6, 'MB/s': 1 / base / 1e6 }, ratio: null, note: 'seconds per million characters; baseline' },
  ];
  const inputs: [string, string][] = [
    [`one ${mb} MB token ("A" × n)`, 'A'.repeat(size)],
    [`a ${mb} MB base64 blob`, Buffer.from(Array.from({ length: Math.ceil(size * 0.75) }, (_, i) => (i * 7919 + 13) % 256)).toString('base64').slice(0, size)],
    ['100k characters of Chinese without punctuation', '我们的发货延迟了客服说优惠券不能用请尽快处理退款申请'.repeat(4000).slice(0, 100_000)],
    [`${mb} MB of English prose`, `${ordinary[0]} `.repeat(Math.ceil(size / ordinary[0]!.length)).slice(0, size)],
  ];
  for (const [name, text] of inputs) {
    const seconds = perChar([text], 1);
    rows.push({ name, values: { seconds: seconds * 1e6, 'MB/s': 1 / seconds / 1e6 }, ratio: base / seconds, note: `whole input: ${(seconds * text.length).toFixed(2)} s` });
  }
  return {
    title: 'Bounded tokenizing: analysis and search segmentation of hostile inputs',
    about: `analyzeMessage (language, keywords, sentiment, kind) plus searchTextOf, per character, on inputs of \`RAPPORT_BENCH_TOKENIZE_MB\` (default 1) MB against ordinary messages. Ratio = ordinary seconds per character ÷ this input's (> 1: cheaper per character, because the bounds cut the input).`,
    baseline: 'ordinary messages, same run',
    columns: ['seconds', 'MB/s'],
    rows,
  };
}

export const bench: Bench = { name: 'tokenize', run: measure };

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(sectionMarkdown(await measure()));
}
