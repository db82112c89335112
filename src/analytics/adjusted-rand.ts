// Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items: 1 for
// identical partitions (up to renaming), ~0 for chance agreement. Used to check that segments are
// stable under resampling, and by the tests against planted groups.
const choose2 = (n: number) => (n * (n - 1)) / 2;

export function adjustedRandIndex(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error('labelings differ in length');
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  a.forEach((x, i) => {
    const y = b[i] as number;
    table.set(`${x}|${y}`, (table.get(`${x}|${y}`) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  });
  let index = 0;
  for (const n of table.values()) index += choose2(n);
  let sumRows = 0;
  for (const n of rows.values()) sumRows += choose2(n);
  let sumCols = 0;
  for (const n of cols.values()) sumCols += choose2(n);
  const expected = (sumRows * sumCols) / choose2(a.length);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
