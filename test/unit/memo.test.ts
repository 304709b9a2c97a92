import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/core/memo.js';

describe('Memo', () => {
  it('computes a key once while remembered, and again after the cap dropped everything', () => {
    const made: string[] = [];
    const length = (key: string): number => {
      made.push(key);
      return key.length;
    };
    const memo = new Memo<number>(2);
    expect([memo.get('a', length), memo.get('bb', length), memo.get('a', length), memo.get('bb', length)]).toEqual([1, 2, 1, 2]);
    expect(made).toEqual(['a', 'bb']);
    expect(memo.get('ccc', length)).toBe(3);
    expect(memo.get('a', length)).toBe(1);
    expect(made).toEqual(['a', 'bb', 'ccc', 'a']);
  });
});
