// Support-desk words wink-nlp's general lexicon does not score ("crashes", "timeout", "declined")
// or scores for another sense ("support" is +2 in AFINN). Matched on lemmas; wink's negation flag
// flips them ("not broken"). Polarity in [-1, 1].
export const englishDomainLexicon: ReadonlyMap<string, number> = new Map([
  ['crash', -0.7], ['fail', -0.6], ['failure', -0.6], ['error', -0.5], ['broken', -0.7], ['break', -0.5], ['stuck', -0.6],
  ['timeout', -0.5], ['decline', -0.4], ['blank', -0.3], ['damage', -0.6], ['outage', -0.7], ['bug', -0.5], ['late', -0.4],
  ['delay', -0.5], ['rude', -0.9], ['outrageous', -0.9], ['disgraceful', -1], ['unacceptable', -1], ['ignore', -0.5],
  ['overlap', -0.3], ['spam', -0.4], ['invalid', -0.4], ['wrong', -0.5], ['incomplete', -0.5], ['ruin', -0.8],
  ['dishonest', -0.9], ['furious', -1], ['fed', -0.3], ['patience', -0.2], ['confusing', -0.4], ['support', 0],
  ['nothing', -0.2], ['noisy', -0.3], ['refuse', -0.5], ['responsibility', 0], ['charge', -0.1], ['twice', -0.1],
]);

/** Phrases that say something does not work, matched on the lower-cased text. */
export const englishProblemPhrases: readonly [RegExp, number][] = [
  [/\b(?:stopped|not|isn't|is not|doesn't|does not|don't|never) (?:working|work|arriving|arrive|loading|load|opening|open)\b/, -0.7],
  [/\b(?:can't|cannot|can not|unable to|could not|couldn't) (?:log ?in|login|open|access|find|download|connect|see)\b/, -0.6],
  [/\bno (?:results|response|reply|answer|file)\b/, -0.5],
  [/\bnot found\b/, -0.5],
  [/\bdoes nothing\b/, -0.5],
  [/\bnobody (?:answers|replied|has replied|responds)\b/, -0.7],
];
