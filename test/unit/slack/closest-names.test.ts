import { describe, expect, it } from 'vitest';
import { candidatePatterns, closestNames } from '../../../src/core/closest-names.js';

describe('closestNames', () => {
  const names = ['Acme Corporation', 'Apex Ltd', 'Bob Stone', '张伟', '王小明', 'Stoneworks'];
  it('finds typos and partial names', () => {
    expect(closestNames('Acme Corp', names)[0]).toBe('Acme Corporation');
    expect(closestNames('Bob Stoen', names)[0]).toBe('Bob Stone');
    expect(closestNames('张为', names)).toEqual(['张伟']);
    expect(closestNames('王小', names)).toEqual(['王小明']);
  });
  it('returns nothing for unrelated text', () => {
    expect(closestNames('zzzz', names)).toEqual([]);
  });
  it('pre-filters with escaped LIKE patterns', () => {
    expect(candidatePatterns('50%_off')).toContain('%50\\%%');
  });
});
