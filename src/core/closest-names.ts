// "Did you mean…": names ranked by how many character n-grams they share with what was typed
// (Dice coefficient). Trigrams for alphabetic text, bigrams for Chinese and other CJK text, so a typo
// ("Acme Crop") or a partial name (王小) still finds its customer. Works the same on PGlite and
// PostgreSQL because the database only pre-filters with LIKE on a few of these grams (no pg_trgm).

const cjk = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

export function normalizeName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The n-grams of a name: trigrams of each padded word, bigrams of CJK runs. */
export function nameGrams(s: string): Set<string> {
  const grams = new Set<string>();
  for (const word of normalizeName(s).split(/[\s,.;:()\-_/&@]+/).filter(Boolean)) {
    if (cjk.test(word)) {
      // Single characters too: Chinese names are short (张伟 vs 张为 share no bigram).
      for (const ch of word) grams.add(ch);
      for (let i = 0; i + 2 <= word.length; i++) grams.add(word.slice(i, i + 2));
    } else {
      const padded = `  ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
    }
  }
  return grams;
}

export function nameSimilarity(a: string, b: string): number {
  const ga = nameGrams(a);
  const gb = nameGrams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return (2 * shared) / (ga.size + gb.size);
}

/** LIKE patterns (lower-case, wildcards escaped) that any plausible candidate contains. */
export function candidatePatterns(query: string, max = 24): string[] {
  const grams = [...nameGrams(query)].map((g) => g.trim()).filter((g) => g.length >= (cjk.test(g) ? 1 : 2));
  const unique = [...new Set(grams)].slice(0, max);
  return unique.map((g) => `%${g.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

export function closestNames(query: string, names: string[], limit = 5, threshold = 0.25): string[] {
  const seen = new Set<string>();
  return names
    .filter((n) => {
      const k = normalizeName(n);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((name) => ({ name, score: nameSimilarity(query, name) }))
    .filter((x) => x.score >= threshold)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((x) => x.name);
}
