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

  it('answers the same key asked again and again, also across the cap, with its own value', () => {
    const made: string[] = [];
    const upper = (key: string): string => {
      made.push(key);
      return key.toUpperCase();
    };
    const memo = new Memo<string>(2);
    const keys = ['', '', 'x', 'x', '', 'y', 'z', 'z', 'x', ''];
    expect(keys.map((key) => memo.get(key, upper))).toEqual(keys.map((key) => key.toUpperCase()));
    // "" and "x" once each until "y" finds the cap of 2 reached and drops them; "z" fills it again, so "x" and "" are made anew.
    expect(made).toEqual(['', 'x', 'y', 'z', 'x', '']);
  });
});
