// wink-nlp with its English lite model, loaded on first use (~0.2 s) so start-up does not pay.
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

let nlp: WinkMethods | null = null;
export function getNlp(): WinkMethods {
  nlp ??= winkNLP(model, ['sbd', 'negation', 'sentiment', 'ner', 'pos']);
  return nlp;
}
