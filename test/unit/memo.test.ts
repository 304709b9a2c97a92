import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/core/memo.js';

describe('Memo', () => {
  it('computes a key once while remembered, and again after the cap dropped everything', () => {
    const made: string[] = [];
    const memo = new Memo((key: string) => {
      made.push(key);
      return key.length;
    }, 2);
    expect([memo.get('a'), memo.get('bb'), memo.get('a'), memo.get('bb')]).toEqual([1, 2, 1, 2]);
    expect(made).toEqual(['a', 'bb']);
    expect(memo.get('ccc')).toBe(3);
    expect(memo.get('a')).toBe(1);
    expect(made).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});
