import { describe, expect, it } from 'vitest';
import { smallHeapsWanted } from '../../src/heap-tuning.js';

describe('smallHeapsWanted', () => {
  it('favours small heaps on the embedded database and speed on a PostgreSQL server', () => {
    expect(smallHeapsWanted({})).toBe(true);
    expect(smallHeapsWanted({ DATABASE_URL: 'postgres://rapport@db/rapport' })).toBe(false);
  });

  it('does as RAPPORT_SMALL_HEAPS says when it is set', () => {
    expect(smallHeapsWanted({ RAPPORT_SMALL_HEAPS: '0' })).toBe(false);
    expect(smallHeapsWanted({ RAPPORT_SMALL_HEAPS: '1', DATABASE_URL: 'postgres://rapport@db/rapport' })).toBe(true);
  });
});
