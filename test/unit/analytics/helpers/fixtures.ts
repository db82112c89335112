// Readers for the hand-labeled analytics fixtures in test/fixtures/analytics.
import { readFileSync } from 'node:fs';

const dir = new URL('../../../fixtures/analytics/', import.meta.url);

export interface LabeledMessage {
  kind: string;
  sentiment: 'pos' | 'neu' | 'neg';
  text: string;
}

export function labeledMessages(file = 'labeled-messages.tsv'): LabeledMessage[] {
  return readFileSync(new URL(file, dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [kind, sentiment, text] = l.split('\t');
      return { kind: kind as string, sentiment: sentiment as LabeledMessage['sentiment'], text: text as string };
    });
}

/** Paraphrase blocks: one intent written several ways per block. */
export function paraphraseGroups(): string[][] {
  return readFileSync(new URL('paraphrases.txt', dir), 'utf8')
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((l) => l.trim() && !l.startsWith('#')))
    .filter((g) => g.length > 1);
}
