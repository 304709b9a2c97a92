import { describe, expect, it } from 'vitest';
import { RepeatFilter } from '../../src/import/repeat-filter.js';

describe('RepeatFilter', () => {
  it('says "maybe read before" for every key read before, and rarely for a new one', () => {
    const filter = new RepeatFilter();
    let flaggedNew = 0;
    for (let i = 0; i < 200_000; i++) if (filter.markRead(String(100_000 + i), '2026-11-23')) flaggedNew++;
    for (let i = 0; i < 200_000; i += 997) expect(filter.markRead(String(100_000 + i), '2026-11-23')).toBe(true);
    // Two probes in 32M bits: well under 0.1% of 200k new keys are flagged wrongly; 1% would mean a broken hash.
    expect(flaggedNew).toBeLessThan(2_000);
  });

  it('tells the order ID from the due date', () => {
    const filter = new RepeatFilter();
    expect(filter.markRead('1001', '2026-11-23')).toBe(false);
    expect(filter.markRead('1001', '2026-12-23')).toBe(false);
    expect(filter.markRead('10012026-11-2', '3')).toBe(false);
    expect(filter.markRead('1001', '2026-11-23')).toBe(true);
  });

  it('shares its marks with a filter made on the same memory (the parsing thread)', () => {
    const filter = new RepeatFilter();
    filter.markRead('A-1', '2026-01-31');
    const other = new RepeatFilter(filter.memory);
    expect(other.markRead('A-1', '2026-01-31')).toBe(true);
    other.markRead('B-2', '2026-02-28');
    expect(filter.markRead('B-2', '2026-02-28')).toBe(true);
  });
});
