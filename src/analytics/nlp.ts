// wink-nlp with its English lite model, loaded on first use (~0.2 s and ~15 MB) so neither the
// start-up of a command nor an idle `rapport serve` pays for it: importing the model package reads
// all of it, so it is required here, not imported.
import { createRequire } from 'node:module';
import type { WinkMethods } from 'wink-nlp';
import type Model from 'wink-eng-lite-web-model';

const require = createRequire(import.meta.url);
let nlp: WinkMethods | null = null;
let vocabulary = Infinity;

export function getNlp(): WinkMethods {
  if (!nlp) {
    const winkNLP = require('wink-nlp') as typeof import('wink-nlp').default;
    const model = require('wink-eng-lite-web-model') as typeof Model;
    nlp = winkNLP(model, ['sbd', 'negation', 'sentiment', 'ner', 'pos']);
    // wink numbers the model's own words first and gives every unknown word the next free id, so
    // the id of a first nonsense word is the size of the vocabulary.
    vocabulary = nlp.readDoc('qzxvjkwq').tokens().itemAt(0).out(nlp.its.uniqueId) as number;
  }
  return nlp;
}

// The same text is often read more than once per message (its words, its kind features, its
// sentiment): the last document is kept and given again for the same text. Documents are only read.
let lastText: string | null = null;
let lastDoc: ReturnType<WinkMethods['readDoc']> | null = null;

/** wink's document of a text; the previous call's document when the text is the same. */
export function readDoc(text: string): ReturnType<WinkMethods['readDoc']> {
  if (text !== lastText || !lastDoc) {
    lastDoc = getNlp().readDoc(text);
    lastText = text;
  }
  return lastDoc;
}

const known = new Map<string, boolean>();

/**
 * True when a lower-case word is not in the model's vocabulary (a name, a typo, jargon). wink's
 * vocabulary is case-sensitive ("Refund" is unknown, "refund" is not), so callers pass the
 * lower-case form; answers are kept (the cache is cleared when it grows past 50,000 words).
 */
export function isUnknownWord(lower: string): boolean {
  let k = known.get(lower);
  if (k === undefined) {
    const doc = getNlp().readDoc(lower);
    k = doc.tokens().length() === 1 && (doc.tokens().itemAt(0).out(getNlp().its.uniqueId) as number) < vocabulary;
    if (known.size >= 50_000) known.clear();
    known.set(lower, k);
  }
  return !k;
}
