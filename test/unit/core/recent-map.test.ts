import { describe, expect, it } from 'vitest';
import { keepRecent } from '../../../src/core/recent-map.js';

describe('keepRecent: a Map as a bounded least-recently-used store', () => {
  it('drops the oldest entry once there are more than max', () => {
    const m = new Map<string, number>();
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) keepRecent(m, k, i, 3);
    expect([...m.keys()]).toEqual(['b', 'c', 'd']);
  });

  it('moves a key kept again to the newest place, so it outlives older ones', () => {
    const m = new Map<string, number>();
    keepRecent(m, 'a', 1, 2);
    keepRecent(m, 'b', 2, 2);
    expect(keepRecent(m, 'a', 3, 2)).toBe(3);
    keepRecent(m, 'c', 4, 2);
    expect([...m.entries()]).toEqual([['a', 3], ['c', 4]]);
  });
});
