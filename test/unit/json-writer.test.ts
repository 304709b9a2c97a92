import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/output/json-writer.js';

function written(value: unknown): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeJson(value, (text) => pieces.push(text));
  return { text: pieces.join(''), pieces: pieces.length };
}

class Money {
  constructor(readonly minor: number, readonly currency: string) {}
}

const holes: unknown[] = [1];
holes[3] = 4;

describe('writeJson', () => {
  it.each([
    ['a document like status --json', { today: '2026-11-23', cases: [{ id: 1, email: 'jörg@example.de', next: { stage: 'reminder', on: '2026-11-24' }, skip: null }], totals: [] }],
    ['empty containers', { a: [], b: {}, c: [[], {}], d: [{}] }],
    ['what JSON leaves out or turns into null', { gone: undefined, fn: () => 1, list: [undefined, () => 1, Symbol('s')], kept: null }],
    ['values with toJSON and class instances', { at: new Date('2026-11-23T08:00:00Z'), money: new Money(4900, 'EUR'), nested: [new Date(0)] }],
    ['text that needs escaping', { quote: 'say "hi"\n\tand \\ leave', unicode: '山田 🎉 \u2028', ['key "with" quotes\n']: 1 }],
    ['bare values', 'just text'],
    ['numbers and booleans', [0, -1.5, 1e21, NaN, Infinity, true, false]],
    ['deep nesting', { a: { b: { c: [{ d: [1, [2, [3, { e: 'f' }]]] }] } } }],
    ['an array with holes', holes],
    ['an object without a prototype', Object.assign(Object.create(null) as Record<string, unknown>, { x: 1, y: [2] })],
  ])('writes %s exactly as JSON.stringify(value, null, 2)', (_name, value) => {
    expect(written(value).text).toBe(JSON.stringify(value, null, 2));
  });

  it('writes a large document in many pieces of bounded size, the same text as a whole', () => {
    const cases = Array.from({ length: 20_000 }, (_, i) => ({ id: i, email: `kunde${i}@example.com`, product: 'Masterclass Fotografie', openMinor: 4900 + i }));
    const pieces: string[] = [];
    writeJson({ cases }, (text) => pieces.push(text));
    expect(pieces.length).toBeGreaterThan(20);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(70_000);
    expect(pieces.join('')).toBe(JSON.stringify({ cases }, null, 2));
  });
});
