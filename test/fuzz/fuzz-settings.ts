// Shared bounds for the fuzz suite: each property runs a fixed number of cases or stops at its time
// limit, whichever comes first, so the suite takes seconds on a loaded machine. The seed is fixed,
// so a run (and CI) is reproducible; RAPPORT_FUZZ_SEED=random explores new cases (fast-check prints
// the seed and the shrunk case of a failure, to replay it with RAPPORT_FUZZ_SEED=<seed>).
import fc from 'fast-check';

/** Cases a property runs at most, and the time after which it stops early (not a failure). */
export const fuzzRuns = Number(process.env.RAPPORT_FUZZ_RUNS ?? 150);
export const fuzzMillis = Number(process.env.RAPPORT_FUZZ_MS ?? 5_000);

const seedSetting = process.env.RAPPORT_FUZZ_SEED ?? '20261202';
const fuzzSeed = seedSetting === 'random' ? undefined : Number(seedSetting);

export function fuzzParameters<T>(): fc.Parameters<T> {
  return { numRuns: fuzzRuns, interruptAfterTimeLimit: fuzzMillis, markInterruptAsFailure: false, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) };
}

/** Text with what breaks naive code: NUL, lone surrogates, quotes, separators, CJK, long runs. */
export const hostileString = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '"', "'", ',', '\r\n', '<div>', '%00', '退款申请', '　', '\u202e', 'A'.repeat(5_000)),
    fc.array(fc.constantFrom('\u0000', '\uD800', '"', ',', '\n', '退', 'a', ' ', '<', '>', '@', '.', '%'), { maxLength }).map((a) => a.join('')),
  );

/** Any JSON value, hostile strings included, nested a little. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString(12), tie('value'), { maxKeys: 5 }),
  ),
})).value;
